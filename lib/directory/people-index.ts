// The people index a browser searches as it types (docs/architecture.md §17): everyone the
// directory lists, as lib/directory/query-people.ts needs them (ListedPerson), in the server's
// name order, plus the teams and who is in them. Pure and isomorphic: the server encodes it
// (lib/server/people-index-service.ts), the browser decodes it and runs the same PeopleQueries.
//
// Column by column rather than an object per person: the names of keys are not repeated 20,000
// times, repeated values (offices, titles, zones) become small numbers, and like values sit
// together, which is what compression does best with.
import type { ListedPerson, PeopleSource, TeamsSource } from '@/lib/directory/query-people';
import type { FieldDefinition, PersonStatus } from '@/lib/directory/types';
import type { TeamSummary } from '@/lib/directory/teams-types';

export const PEOPLE_INDEX_FORMAT = 1;

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
  avatarUrl: Array<string | null>;
  timezone: number[];
  pronouns: number[];
  title: number[];
  department: number[];
  office: number[];
  /** [text, emoji, emoji name], or 0 for no status. */
  status: Array<[string | null, string | null, string | null] | 0>;
  /** Values of the fields in `fields`, by field id; 0 for none. */
  fieldValues: Array<Record<string, string> | 0>;
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
  return {
    format: PEOPLE_INDEX_FORMAT,
    fields: fields.map((f) => ({ id: f.id, type: f.type })),
    strings,
    id: people.map((p) => p.id),
    name: people.map((p) => p.name),
    apiEmail: people.map((p) => p.apiEmail),
    email: people.map((p) => (p.email === null ? 0 : p.email === p.apiEmail ? 1 : p.email)),
    avatarUrl: people.map((p) => p.avatarUrl),
    timezone: people.map((p) => code(p.timezone)),
    pronouns: people.map((p) => code(p.pronouns)),
    title: people.map((p) => code(p.title)),
    department: people.map((p) => code(p.department)),
    office: people.map((p) => code(p.office)),
    status: people.map((p) => (p.status ? [p.status.text, p.status.emoji, p.status.emojiName] : 0)),
    fieldValues: people.map((p) => {
      const values: Record<string, string> = {};
      let any = false;
      for (const id of fieldIds) {
        const value = p.fields[id];
        if (value !== undefined) {
          values[id] = value;
          any = true;
        }
      }
      return any ? values : 0;
    }),
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
  const people: ListedPerson[] = payload.id.map((id, i) => {
    const email = payload.email[i]!;
    const apiEmail = payload.apiEmail[i]!;
    const status = payload.status[i]!;
    const personStatus: PersonStatus | null = status === 0 ? null : { text: status[0], emoji: status[1], emojiName: status[2] };
    const values = payload.fieldValues[i]!;
    return {
      id,
      name: payload.name[i]!,
      apiEmail,
      email: email === 0 ? null : email === 1 ? apiEmail : email,
      avatarUrl: payload.avatarUrl[i] ?? null,
      timezone: text(payload.timezone[i]!) ?? '',
      pronouns: text(payload.pronouns[i]!),
      title: text(payload.title[i]!),
      department: text(payload.department[i]!),
      office: text(payload.office[i]!),
      status: personStatus,
      fields: values === 0 ? {} : values,
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
