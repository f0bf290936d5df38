import { theApp } from '@/lib/server/app-handle';
import { refuseApiRequest } from '@/lib/server/viewer';
import { healthReport } from '@/lib/server/health-report';
import { apiJson, toErrorResponse } from '@/lib/server/api-response';
import { refuseQuery } from '@/lib/server/route-input';

/**
 * GET /api/health: is Zulip reachable, are the credentials accepted, how old is the data.
 * 200 when the directory is serving fresh data, 503 otherwise (with the same body), so a load
 * balancer and a person can both read it. In the closed access modes only viewers may read it.
 */
export async function GET(request: Request) {
  // Reading the request (its query and identity) keeps this dynamic: health is about now.
  const app = theApp();
  const refused = refuseQuery(request) ?? (await refuseApiRequest(app, request));
  if (refused) return refused;
  try {
    const { ok, body } = healthReport(await app.runtime());
    return apiJson(body, { status: ok ? 200 : 503 });
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
