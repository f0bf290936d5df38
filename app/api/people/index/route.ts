import { apiRoute } from '@/lib/server/api-route';
import { getPeopleIndex } from '@/lib/server/people-index-service';
import { PEOPLE_REVISION_HEADER } from '@/lib/directory/search/people-index';

// The index is what /api/people shows this viewer, so it is refused as /api/people is, and no
// cache shared between viewers may keep it: private, revalidated on every use (no-cache), and
// varying with the cookie that says who asks (docs/architecture.md §17).
const HEADERS = {
  'Cache-Control': 'private, no-cache',
  Vary: 'Cookie',
  'Content-Type': 'application/json; charset=utf-8',
};

/** GET /api/people/index: everyone listed, for the browser to search as the viewer types; 304 for an If-None-Match that still holds. */
export const GET = apiRoute('/api/people/index', async ({ request, app }) => {
  const index = await getPeopleIndex(app);
  const headers = { ...HEADERS, ETag: index.etag, [PEOPLE_REVISION_HEADER]: String(index.revision) };
  if (matches(request.headers.get('if-none-match'), index.etag)) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(index.json), { headers });
});

/** If-None-Match holds the current ETag (a list of them, or `*`; weak ones compared weakly, as RFC 9110 §13.1.2 says). */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
