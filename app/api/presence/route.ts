import { apiRoute } from '@/lib/server/api-route';
import { getPresenceSince } from '@/lib/server/directory-service';
import { apiJson } from '@/lib/server/api-response';

/** GET /api/presence[?since=version]: presence changes since a version, or the whole snapshot. */
export const GET = apiRoute('/api/presence', async ({ query: since, app }) => apiJson(await getPresenceSince(app, since)));
