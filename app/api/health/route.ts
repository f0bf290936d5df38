import { apiRoute } from '@/lib/server/api-route';
import { healthReport } from '@/lib/server/health-report';
import { apiJson } from '@/lib/server/api-response';

/**
 * GET /api/health: is Zulip reachable, are the credentials accepted, how old is the data.
 * 200 when the directory is serving fresh data, 503 otherwise (with the same body), so a load
 * balancer and a person can both read it. In the closed access modes only viewers may read it.
 * Reading the request (its query and identity) keeps this dynamic: health is about now.
 */
export const GET = apiRoute('/api/health', async ({ app }) => {
  const { ok, body } = healthReport(await app.runtime());
  return apiJson(body, { status: ok ? 200 : 503 });
});
