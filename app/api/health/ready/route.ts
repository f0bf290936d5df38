import { theApp } from '@/lib/server/app-handle';
import { apiJson } from '@/lib/server/api-response';
import { refuseQuery } from '@/lib/server/route-input';
import { readiness } from '@/lib/server/readiness';

/**
 * GET /api/health/ready: whether to send this instance requests (Kubernetes' readinessProbe):
 * 200 once its data is loaded (a follower: caught up with the leader's feed), 503 before, and
 * from the moment it is told to stop. The first probe starts the runtime. Public: it says only
 * ready or not, and why.
 */
export async function GET(request: Request) {
  const refused = refuseQuery(request);
  if (refused) return refused;
  const { ready, reason } = await readiness(theApp());
  return apiJson({ status: ready ? 'ready' : 'not_ready', reason }, { status: ready ? 200 : 503 });
}
