import { theApp } from '@/lib/server/app-handle';
import { getProfile } from '@/lib/server/directory-service';
import { apiJson, toErrorResponse } from '@/lib/server/api-response';
import { noSuchPerson, personRouteInput } from '@/lib/server/route-input';

/** GET /api/people/{ref}: one person's profile; ref is a user id, API email or real email. */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const app = theApp();
  const input = await personRouteInput(app, request, params);
  if ('answer' in input) return input.answer;
  try {
    const profile = await getProfile(app, input.ref);
    return profile ? apiJson(profile) : noSuchPerson();
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
