import { downloadHeaders } from '@/app/export/export-response';
import { requestOrigin } from '@/lib/access/request-origin';
import { personFileName } from '@/lib/export/file-name';
import { personVCard } from '@/lib/export/people-export';
import { apiRoute } from '@/lib/server/api-route';
import { noSuchPerson } from '@/lib/server/api-response';
import { getProfile } from '@/lib/server/directory-service';

/** GET /people/{ref}/vcard: one person's card (vCard 4.0), for "Add to contacts"; ref as for /people/{ref}. */
export const GET = apiRoute('/people/[ref]/vcard', async ({ request, params, app }) => {
  const profile = await getProfile(app, params.ref);
  if (!profile) return noSuchPerson();
  const { person, org } = profile;
  const card = personVCard(person, { orgName: org.name, origin: requestOrigin(request, app.settings.access), realmUrl: org.realmUrl });
  return new Response(card, { headers: downloadHeaders('text/vcard; charset=utf-8', personFileName(person.name, person.id)) });
});
