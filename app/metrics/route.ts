import { apiRoute } from '@/lib/server/api-route';
import { metricsAccess } from '@/lib/server/metrics/metrics-access';

/**
 * GET /metrics: Prometheus's text exposition format (lib/server/metrics/directory-metrics.ts).
 * Only with DIRECTORY_METRICS_TOKEN set, and only to requests bearing it (401 otherwise); without
 * it there are no metrics (404). Public in the route table: this token is its access check
 * (README, "Running it in production").
 */
export const GET = apiRoute('/metrics', async ({ request, app }) => {
  const access = metricsAccess(app.settings.metrics, request.headers.get('authorization'));
  if (!access.ok) {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
    if (access.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="metrics"';
    return new Response(`${access.message}\n`, { status: access.status, headers });
  }
  const { contentType, body } = await app.metrics.exposition();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
});
