import { downloadHeaders, exportOrigin } from '@/app/export/export-response';
import { refuseApiRequest } from '@/lib/access/viewer';
import { parsePersonRef } from '@/lib/directory/person-ref';
import { personFileName } from '@/lib/export/file-name';
import { personVCard } from '@/lib/export/people-export';
import { apiError, toErrorResponse } from '@/lib/server/api-response';
import { getProfile } from '@/lib/server/directory-service';
import { refuseQuery } from '@/lib/server/route-input';

/** GET /people/{ref}/vcard: one person's card (vCard 4.0), for "Add to contacts"; ref as for /people/{ref}. */
export async function GET(request: Request, { params }: { params: Promise<{ ref: string }> }) {
  const parsed = parsePersonRef((await params).ref);
  if (!parsed.ok) return apiError(400, 'invalid_ref', parsed.error);
  const refused = refuseQuery(request) ?? (await refuseApiRequest(request));
  if (refused) return refused;
  try {
    const profile = await getProfile(parsed.ref);
    if (!profile) return apiError(404, 'not_found', 'No one in this organization matches that reference.');
    const { person, org } = profile;
    const card = personVCard(person, { orgName: org.name, origin: exportOrigin(request) });
    return new Response(card, { headers: downloadHeaders('text/vcard; charset=utf-8', personFileName(person.name, person.id)) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
