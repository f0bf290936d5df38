import { theApp } from '@/lib/server/app-handle';
import { downloadHeaders } from '@/app/export/export-response';
import { requestOrigin } from '@/lib/access/request-origin';
import { personFileName } from '@/lib/export/file-name';
import { personVCard } from '@/lib/export/people-export';
import { toErrorResponse } from '@/lib/server/api-response';
import { getProfile } from '@/lib/server/directory-service';
import { noSuchPerson, personRouteInput } from '@/lib/server/route-input';

/** GET /people/{ref}/vcard: one person's card (vCard 4.0), for "Add to contacts"; ref as for /people/{ref}. */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const app = theApp();
  const input = await personRouteInput(app, request, params);
  if ('answer' in input) return input.answer;
  try {
    const profile = await getProfile(app, input.ref);
    if (!profile) return noSuchPerson();
    const { person, org } = profile;
    const card = personVCard(person, { orgName: org.name, origin: requestOrigin(request, app.settings.access) });
    return new Response(card, { headers: downloadHeaders('text/vcard; charset=utf-8', personFileName(person.name, person.id)) });
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
