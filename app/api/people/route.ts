import { apiRoute } from '@/lib/server/api-route';
import { getPeoplePage } from '@/lib/server/directory-service';
import { apiJson } from '@/lib/server/api-response';

/** GET /api/people?q=&department=&office=&status=&sort=&offset=&limit= */
export const GET = apiRoute('/api/people', async ({ query, app }) => apiJson(await getPeoplePage(app, query)));
