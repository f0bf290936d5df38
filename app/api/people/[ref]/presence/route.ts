import { refuseApiRequest } from '@/lib/access/viewer';
import { parsePersonRef } from '@/lib/directory/person-ref';
import { getPresenceDetail } from '@/lib/server/presence-detail';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';
import { refuseQuery } from '@/lib/server/route-input';

/** GET /api/people/{ref}/presence: the per-client breakdown, from Zulip's per-person endpoint. */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const parsed = parsePersonRef((await params).ref);
  if (!parsed.ok) return apiError(400, 'invalid_ref', parsed.error);
  const refused = refuseQuery(request) ?? (await refuseApiRequest(request));
  if (refused) return refused;
  try {
    const detail = await getPresenceDetail(parsed.ref);
    return detail ? apiJson(detail) : apiError(404, 'not_found', 'No one in this organization matches that reference.');
  } catch (error) {
    return toErrorResponse(error);
  }
}
