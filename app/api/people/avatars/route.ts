import { apiRoute } from '@/lib/server/api-route';
import { apiJson } from '@/lib/server/api-response';
import { getAvatarUrls } from '@/lib/server/directory-service';

/**
 * GET /api/people/avatars?ids=1,2,3: the URLs of these people's pictures at once, for the rows
 * the browser answers from the people index (lib/directory/domain/avatar-link.ts): one request
 * for a list's pictures instead of a redirect for each. Refused as /api/people is; someone the
 * viewer may not see, or without a picture, is left out.
 */
export const GET = apiRoute('/api/people/avatars', async ({ query, app }) => apiJson(await getAvatarUrls(app, query)));
