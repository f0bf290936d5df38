import { apiRoute } from '@/lib/server/api-route';
import { getProfile } from '@/lib/server/directory-service';
import { apiJson, noSuchPerson } from '@/lib/server/api-response';

/** GET /api/people/{ref}: one person's profile; ref is a user id, API email or real email. */
export const GET = apiRoute('/api/people/[ref]', async ({ params, app }) => {
  const profile = await getProfile(app, params.ref);
  return profile ? apiJson(profile) : noSuchPerson();
});
