import { theApp } from '@/lib/server/app-handle';
import { metricsAccess } from '@/lib/server/metrics/metrics-access';
import { refuseQuery } from '@/lib/server/route-input';

/**
 * GET /metrics: Prometheus's text exposition format (lib/server/metrics/directory-metrics.ts).
 * Only with DIRECTORY_METRICS_TOKEN set, and only to requests bearing it (401 otherwise); without
 * it there are no metrics (404). proxy.ts lets it past the directory's own access check: this
 * token is its access check (README, "Running it in production").
 */
export async function GET(request: Request) {
  const refused = refuseQuery(request);
  if (refused) return refused;
  const app = theApp();
  const access = metricsAccess(app.settings.metrics, request.headers.get('authorization'));
  if (!access.ok) {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
    if (access.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="metrics"';
    return new Response(`${access.message}\n`, { status: access.status, headers });
  }
  const { contentType, body } = await app.metrics.exposition();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}
