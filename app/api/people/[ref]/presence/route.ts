import { theApp } from '@/lib/server/app-handle';
import { getPresenceDetail } from '@/lib/server/presence-detail';
import { apiJson, toErrorResponse } from '@/lib/server/api-response';
import { noSuchPerson, personRouteInput } from '@/lib/server/route-input';

/**
 * GET /api/people/{ref}/presence: the per-client breakdown, from Zulip's per-person endpoint, or
 * from the snapshot when the budget is spent and that answer would add nothing (docs/architecture.md §3).
 */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const app = theApp();
  const input = await personRouteInput(app, request, params);
  if ('answer' in input) return input.answer;
  try {
    const detail = await getPresenceDetail(app, input.ref);
    return detail ? apiJson(detail) : noSuchPerson();
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
