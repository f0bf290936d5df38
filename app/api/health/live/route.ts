import { apiRoute } from '@/lib/server/api-route';
import { apiJson } from '@/lib/server/api-response';

/**
 * GET /api/health/live: the process answers (Kubernetes' livenessProbe). Always 200 while it can
 * answer at all, draining included: Zulip or Redis trouble is not cured by a restart, and is
 * what /api/health/ready and /api/health report. Public: it says nothing about the organization.
 */
export const GET = apiRoute('/api/health/live', async ({ app }) => apiJson({ status: 'live', draining: app.draining.draining }));
