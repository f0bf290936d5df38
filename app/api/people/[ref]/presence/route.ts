import { apiRoute } from '@/lib/server/api-route';
import { getPresenceDetail } from '@/lib/server/presence-detail';
import { apiJson, noSuchPerson } from '@/lib/server/api-response';

/**
 * GET /api/people/{ref}/presence: the per-client breakdown, from Zulip's per-person endpoint, or
 * from the snapshot when the budget is spent and that answer would add nothing (docs/architecture.md §3).
 */
export const GET = apiRoute('/api/people/[ref]/presence', async ({ params, app }) => {
  const detail = await getPresenceDetail(app, params.ref);
  return detail ? apiJson(detail) : noSuchPerson();
});
