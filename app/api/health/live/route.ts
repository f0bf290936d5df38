import { theApp } from '@/lib/server/app-handle';
import { apiJson } from '@/lib/server/api-response';
import { refuseQuery } from '@/lib/server/route-input';

/**
 * GET /api/health/live: the process answers (Kubernetes' livenessProbe). Always 200 while it can
 * answer at all, draining included: Zulip or Redis trouble is not cured by a restart, and is
 * what /api/health/ready and /api/health report. Public: it says nothing about the organization.
 */
export function GET(request: Request) {
  const refused = refuseQuery(request);
  if (refused) return refused;
  return apiJson({ status: 'live', draining: theApp().draining.draining });
}
