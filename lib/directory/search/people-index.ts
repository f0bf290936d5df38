// The people index a browser searches as it types (docs/architecture.md §17): everyone the
// directory lists, as lib/directory/search/query-people.ts needs them (ListedPerson), in the server's
// name order, plus the teams and who is in them. Pure and isomorphic: the server encodes it
// (lib/server/people-index-service.ts), the browser decodes it and runs the same PeopleQueries.
//
// Column by column rather than an object per person: the names of keys are not repeated 20,000
// times, repeated values (offices, titles, zones) become small numbers, and like values sit
// together, which is what compression does best with.
import type { PeopleSource, TeamsSource } from '@/lib/directory/search/query-people';
import type { ListedPerson } from '@/lib/directory/domain/person-row';
import type { FieldDefinition, PersonStatus } from '@/lib/directory/domain/types';
import type { TeamSummary } from '@/lib/directory/domain/teams-types';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import type { WorkingHours } from '@/lib/directory/domain/availability/working-time';
import { avatarLink, avatarVersion } from '@/lib/directory/domain/avatar-link';
import { joinedText } from '@/lib/directory/domain/date-joined';

/**
 * 2: with what availability reads (join dates, working hours; docs/architecture.md §18).
 * 3: pictures as versions (lib/directory/domain/avatar-link.ts), field values as string codes.
 */
export const PEOPLE_INDEX_FORMAT = 3;

/**
 * The answer's header that says the revision of the people it holds (DirectoryData.peopleRevision):
 * the same on every instance and rising with each change, so an answer of an earlier revision
 * than the browser holds comes from an instance behind (docs/architecture.md §17). A header, not
 * a field: the same people numbered anew (after a new register) keep their ETag, and a 304.
 */
export const PEOPLE_REVISION_HEADER = 'Directory-People-Revision';

/** The columns of strings a field's column may be the same as. */
const SHARED_COLUMNS = ['pronouns', 'title', 'department', 'office'] as const;
type SharedColumn = (typeof SHARED_COLUMNS)[number];
/** In a field's column: the value is the text of the person's working hours (what an hours field holds). */
const HOURS_TEXT = -2;

/** What GET /api/people/index answers. */
export interface PeopleIndexPayload {
  format: typeof PEOPLE_INDEX_FORMAT;
  /** The field definitions a query reads (the searchable text fields): id and type. */
  fields: Array<Pick<FieldDefinition, 'id' | 'type'>>;
  /** Repeated values (zones, pronouns, titles, departments, offices), by number; -1 is none. */
  strings: string[];
  id: number[];
  name: string[];
  apiEmail: string[];
  /** 1: the same as apiEmail, 0: none shown, else the address. */
  email: Array<string | 0 | 1>;
  /** The picture's version (its address is avatarLink(id, version)); -1 for no picture. */
  avatar: number[];
  timezone: number[];
  /** Zulip's date_joined: minutes since the epoch when it is in Zulip's own form (joinedText), else as sent. */
  joined: Array<number | string>;
  pronouns: number[];
  title: number[];
  department: number[];
  office: number[];
  /** [text, emoji, emoji name], or 0 for no status. Its meaning (out, busy) is read again from it on decoding. */
  status: Array<[string | null, string | null, string | null] | 0>;
  /**
   * The distinct working hours as parsed on the server (what people write varies little), each
   * [text, days, start, end, zone]; zone 0 is the person's own (most hours are in it).
   */
  hours: Array<[string, number[], string, string, string | 0]>;
  /** Each person's, by number in `hours`; -1 is unknown. */
  workingHours: number[];
  /**
   * Values of the fields in `fields`, a column per field id, as positions in `strings` (-1: none;
   * -2: the text of the person's working hours). A column the same as one above (a title field
   * is `title`) is that column's name: compression cannot see a repeat that far back.
   */
  fieldValues: Record<string, number[] | SharedColumn>;
  /** Each team and its people (subgroups resolved) as positions in the columns above, ascending, each the gap from the one before. */
  teams: Array<{ id: number; name: string; members: number[] }>;
}

/** Builds the index from people in name order, the field definitions a query reads, and the teams. */
export function encodePeopleIndex(
  people: readonly ListedPerson[],
  fields: ReadonlyArray<Pick<FieldDefinition, 'id' | 'type'>>,
  teams: TeamsSource | undefined,
): PeopleIndexPayload {
  const strings: string[] = [];
  const codes = new Map<string, number>();
  const code = (value: string | null) => {
    if (value === null) return -1;
    let c = codes.get(value);
    if (c === undefined) {
      c = strings.push(value) - 1;
      codes.set(value, c);
    }
    return c;
  };
  const fieldIds = fields.map((f) => String(f.id));
  const position = new Map(people.map((p, i) => [p.id, i]));
  const hours: PeopleIndexPayload['hours'] = [];
  const hoursCodes = new Map<string, number>();
  const hoursCode = (h: WorkingHours | null, personZone: string) => {
    if (h === null) return -1;
    const entry: PeopleIndexPayload['hours'][number] = [h.text, h.days, h.start, h.end, h.timeZone === personZone ? 0 : h.timeZone];
    const key = JSON.stringify(entry);
    let c = hoursCodes.get(key);
    if (c === undefined) {
      c = hours.push(entry) - 1;
      hoursCodes.set(key, c);
    }
    return c;
  };
  const columns = {
    pronouns: people.map((p) => code(p.pronouns)),
    title: people.map((p) => code(p.title)),
    department: people.map((p) => code(p.department)),
    office: people.map((p) => code(p.office)),
  };
  const fieldColumn = (id: string): number[] | SharedColumn => {
    const column = people.map((p) => {
      const value = p.fields[id] ?? null;
      return value !== null && value === p.workingHours?.text ? HOURS_TEXT : code(value);
    });
    return SHARED_COLUMNS.find((name) => sameColumn(columns[name], column)) ?? column;
  };
  return {
    format: PEOPLE_INDEX_FORMAT,
    fields: fields.map((f) => ({ id: f.id, type: f.type })),
    strings,
    id: people.map((p) => p.id),
    name: people.map((p) => p.name),
    apiEmail: people.map((p) => p.apiEmail),
    email: people.map((p) => (p.email === null ? 0 : p.email === p.apiEmail ? 1 : p.email)),
    avatar: people.map((p) => (p.avatarUrl === null ? -1 : avatarVersion(p.avatarUrl))),
    timezone: people.map((p) => code(p.timezone)),
    joined: people.map((p) => joinedMinutes(p.dateJoined) ?? p.dateJoined),
    ...columns,
    status: people.map((p) => (p.status ? [p.status.text, p.status.emoji, p.status.emojiName] : 0)),
    workingHours: people.map((p) => hoursCode(p.workingHours, p.timezone)),
    hours,
    fieldValues: Object.fromEntries(fieldIds.map((id) => [id, fieldColumn(id)])),
    teams: (teams?.list() ?? []).map((team) => {
      const members = [...(teams?.members(team.id) ?? [])]
        .map((id) => position.get(id))
        .filter((p): p is number => p !== undefined)
        .sort((a, b) => a - b);
      return { id: team.id, name: team.name, members: members.map((p, i) => p - (i === 0 ? 0 : members[i - 1]!)) };
    }),
  };
}

/** The people and teams of an index, as PeopleQueries reads them. */
export interface DecodedPeopleIndex {
  people: PeopleSource<ListedPerson>;
  teams: TeamsSource;
}

/** Reads an index; `version` numbers this one apart from the last (PeopleQueries rebuilds when it changes). */
export function decodePeopleIndex(payload: PeopleIndexPayload, version: number): DecodedPeopleIndex {
  if (payload.format !== PEOPLE_INDEX_FORMAT) throw new Error(`people index format ${String(payload.format)} is not ${PEOPLE_INDEX_FORMAT}`);
  const text = (c: number) => (c < 0 ? null : (payload.strings[c] ?? null));
  // One object per distinct hours and zone, shared by everyone who has them.
  const hoursSeen = new Map<string, WorkingHours>();
  const workingHours = (c: number, personZone: string): WorkingHours | null => {
    const entry = c < 0 ? undefined : payload.hours[c];
    if (!entry) return null;
    const [hoursText, days, start, end, zone] = entry;
    const timeZone = zone === 0 ? personZone : zone;
    const key = `${c} ${timeZone}`;
    let h = hoursSeen.get(key);
    if (!h) {
      h = { text: hoursText, days, start, end, timeZone };
      hoursSeen.set(key, h);
    }
    return h;
  };
  const people: ListedPerson[] = payload.id.map((id, i) => {
    const email = payload.email[i]!;
    const apiEmail = payload.apiEmail[i]!;
    const status = payload.status[i]!;
    const personStatus: PersonStatus | null = status === 0 ? null : { text: status[0], emoji: status[1], emojiName: status[2] };
    const timezone = text(payload.timezone[i]!) ?? '';
    const hours = workingHours(payload.workingHours[i]!, timezone);
    const fields: Record<string, string> = {};
    for (const fieldId in payload.fieldValues) {
      const column = payload.fieldValues[fieldId]!;
      const c = (typeof column === 'string' ? payload[column] : column)[i] ?? -1;
      const value = c === HOURS_TEXT ? (hours?.text ?? null) : text(c);
      if (value !== null) fields[fieldId] = value;
    }
    const avatar = payload.avatar[i] ?? -1;
    const joined = payload.joined[i]!;
    return {
      id,
      name: payload.name[i]!,
      apiEmail,
      email: email === 0 ? null : email === 1 ? apiEmail : email,
      avatarUrl: avatar < 0 ? null : avatarLink(id, avatar),
      timezone,
      dateJoined: typeof joined === 'number' ? joinedText(joined * 60_000) : joined,
      pronouns: text(payload.pronouns[i]!),
      title: text(payload.title[i]!),
      department: text(payload.department[i]!),
      office: text(payload.office[i]!),
      status: personStatus,
      // Read again as the server read it (to-person.ts), as a follower does from Redis: no bytes for it.
      statusMeaning: statusMeaning(personStatus),
      workingHours: hours,
      fields,
    };
  });
  const summaries: TeamSummary[] = payload.teams.map((t) => ({ id: t.id, name: t.name }));
  const members = new Map<number, ReadonlySet<number>>();
  for (const team of payload.teams) {
    const ids = new Set<number>();
    let at = 0;
    for (const gap of team.members) {
      at += gap;
      ids.add(payload.id[at]!);
    }
    members.set(team.id, ids);
  }
  return {
    people: { version, nameOrdered: true, list: () => people, fieldDefinitions: () => payload.fields },
    teams: { version, list: () => summaries, members: (id) => members.get(id) },
  };
}

function sameColumn(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** Zulip's date_joined as it sends it, minute precision and UTC: "2021-03-04T09:15+00:00". */
const ZULIP_JOINED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\+00:00$/;

/** Minutes since the epoch, when `dateJoined` is in Zulip's form and so is written back exactly by joinedText. */
function joinedMinutes(dateJoined: string): number | null {
  if (!ZULIP_JOINED.test(dateJoined)) return null;
  const ms = Date.parse(dateJoined);
  return Number.isFinite(ms) && joinedText(ms) === dateJoined ? ms / 60_000 : null;
}

