import { csvHeader, csvRecord } from '@/lib/export/csv';
import { splitName, vcard } from '@/lib/export/vcard';
import type { Person, PersonRow } from '@/lib/directory/domain/types';
import { userHashUrl } from '@/lib/directory/domain/zulip-links';

// What the directory's exports say about a person: the CSV columns and the vCard. Only what the
// page shows a viewer: `Person.email` is the address Zulip shows an ordinary member (null when
// hidden; lib/directory/domain/email-visibility.ts), never the API email or one only the bot may read.

export interface ExportContext {
  /** The organization's name as the directory shows it (DIRECTORY_NAME, else Zulip's). */
  orgName: string;
  /** Where profile addresses point: DIRECTORY_PUBLIC_URL, else the request's origin. */
  origin: string;
  /** The Zulip organization's URL: a card's UID names the person's account there, whatever host the directory was opened on. */
  realmUrl: string;
  /** Zulip reports no presence for this organization: the column is left empty. */
  presenceDisabled: boolean;
  /** A person's managers' names, as the profile names them: "Name (left)" for one who has left. */
  managerNames: (id: number) => string[];
}

export const CSV_COLUMNS = ['Name', 'Title', 'Department', 'Office', 'Managers', 'Email', 'Pronouns', 'Time zone', 'Presence', 'Profile URL'] as const;

/** This directory's page for a person, absolute (`origin` is an origin: scheme, host, port, no slash). */
export function profileAddress(origin: string, id: number): string {
  return `${origin}/people/${id}`;
}

export function csvHead(): string {
  return csvHeader(CSV_COLUMNS);
}

/** One CSV record; presence is the state when the export was made ("active", "idle", "offline"). */
export function personCsvRecord(row: PersonRow, context: ExportContext): string {
  return csvRecord([
    row.name,
    row.title,
    row.department,
    row.office,
    context.managerNames(row.id).join('; '),
    row.email,
    row.pronouns,
    row.timezone,
    context.presenceDisabled ? null : (row.presence?.state ?? 'offline'),
    profileAddress(context.origin, row.id),
  ]);
}

/** One VCARD for a person. */
export function personVCard(person: Person, context: Pick<ExportContext, 'orgName' | 'origin' | 'realmUrl'>): string {
  const url = profileAddress(context.origin, person.id);
  return vcard({
    fullName: person.name || `Person ${person.id}`,
    name: splitName(person.name),
    title: person.title,
    org: [context.orgName, person.department],
    email: person.email,
    timeZone: person.timezone || null,
    photoUrl: person.avatarUrl,
    url,
    // The person's Zulip account: the same card from any address of the directory (localhost,
    // its public name, before and after DIRECTORY_PUBLIC_URL is set) updates one contact.
    uid: userHashUrl(context.realmUrl, person.id),
    note: person.pronouns ? `Pronouns: ${person.pronouns}` : null,
  });
}
