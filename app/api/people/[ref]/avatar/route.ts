import { apiRoute } from '@/lib/server/api-route';
import { noSuchPerson } from '@/lib/server/api-response';
import { getAvatarUrl } from '@/lib/server/directory-service';
import { avatarVersion } from '@/lib/directory/domain/avatar-link';

/**
 * GET /api/people/{ref}/avatar?v={version}: a redirect to the person's picture, for rows the
 * browser answers from the people index, which carries versions, not URLs (docs/architecture.md §17).
 * Refused as /api/people is; a person the viewer may not see, or without a picture, is a 404.
 */
export const GET = apiRoute('/api/people/[ref]/avatar', async ({ params, query, app }) => {
  const url = await getAvatarUrl(app, params.ref);
  if (url === null) return noSuchPerson();
  // The address names the current version: the browser may keep the redirect (a new picture is a
  // new address). Any other: asked again each time, so an old address still finds today's face.
  const current = query === avatarVersion(url);
  return new Response(null, {
    status: 302,
    headers: { Location: url, 'Cache-Control': current ? 'private, max-age=86400' : 'private, no-cache', Vary: 'Cookie' },
  });
});
