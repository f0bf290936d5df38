import { apiRoute } from '@/lib/server/api-route';
import { apiJson } from '@/lib/server/api-response';
import { readiness } from '@/lib/server/readiness';

/**
 * GET /api/health/ready: whether to send this instance requests (Kubernetes' readinessProbe):
 * 200 once its data is loaded (a follower: caught up with the leader's feed), 503 before, and
 * from the moment it is told to stop. The first probe starts the runtime. Public: it says only
 * ready or not, and why.
 */
export const GET = apiRoute('/api/health/ready', async ({ app }) => {
  const { ready, reason } = await readiness(app);
  return apiJson({ status: ready ? 'ready' : 'not_ready', reason }, { status: ready ? 200 : 503 });
});
