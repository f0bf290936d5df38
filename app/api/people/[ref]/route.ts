import { refuseApiRequest } from '@/lib/access/viewer';
import { parsePersonRef } from '@/lib/directory/person-ref';
import { getProfile } from '@/lib/server/directory-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';
import { refuseQuery } from '@/lib/server/route-input';

/** GET /api/people/{ref}: one person's profile; ref is a user id, API email or real email. */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const parsed = parsePersonRef((await params).ref);
  if (!parsed.ok) return apiError(400, 'invalid_ref', parsed.error);
  const refused = refuseQuery(request) ?? (await refuseApiRequest(request));
  if (refused) return refused;
  try {
    const profile = await getProfile(parsed.ref);
    return profile ? apiJson(profile) : apiError(404, 'not_found', 'No one in this organization matches that reference.');
  } catch (error) {
    return toErrorResponse(error);
  }
}
