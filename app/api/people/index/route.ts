import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { refuseApiRequest } from '@/lib/access/viewer';
import { getPeopleIndex } from '@/lib/server/people-index-service';
import { apiError, toErrorResponse } from '@/lib/server/api-response';

const noParameters = z.object({}).strict();

// The index is what /api/people shows this viewer, so it is refused as /api/people is, and no
// cache shared between viewers may keep it: private, revalidated on every use (no-cache), and
// varying with the cookie that says who asks (docs/architecture.md §16).
const HEADERS = {
  'Cache-Control': 'private, no-cache',
  Vary: 'Cookie',
  'Content-Type': 'application/json; charset=utf-8',
};

/** GET /api/people/index: everyone listed, for the browser to search as the viewer types; 304 for an If-None-Match that still holds. */
export async function GET(request: NextRequest) {
  if (!noParameters.safeParse(Object.fromEntries(request.nextUrl.searchParams)).success) return apiError(400, 'invalid_query', 'The people index takes no parameters.');
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    const index = await getPeopleIndex();
    const headers = { ...HEADERS, ETag: index.etag };
    if (matches(request.headers.get('if-none-match'), index.etag)) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(index.json), { headers });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** If-None-Match holds the current ETag (a list of them, or `*`; weak ones compared weakly, as RFC 9110 §13.1.2 says). */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
