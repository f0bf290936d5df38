import { PROFILE_FIELD_TYPE } from '@/lib/directory/field-types';
import { buildSearchIndex, search, type SearchIndex } from '@/lib/directory/search';
import type { PeopleStore } from '@/lib/directory/people-store';
import type { PresenceStore } from '@/lib/presence/presence-store';
import type { PresenceSummary } from '@/lib/presence/status';
import type { Freshness, PeoplePage, PeopleQuery, Person } from '@/lib/directory/types';

const STATE_RANK = { active: 0, idle: 1, offline: 2 } as const;
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

interface Derived {
  version: number;
  index: SearchIndex;
  byName: Person[];
  byId: Map<number, Person>;
  nameRank: Map<number, number>;
  facets: PeoplePage['facets'];
}

/**
 * Search, filter, sort and page the directory on the server, so the browser only ever holds
 * one page of rows, whatever the size of the organization. The index, the name order and the
 * facets are rebuilt only when the people store changes.
 */
export class PeopleQueries {
  private derived: Derived | null = null;

  constructor(
    private people: PeopleStore,
    private presence: PresenceStore,
  ) {}

  run(query: PeopleQuery, freshness: Freshness): Omit<PeoplePage, 'presenceVersion'> {
    const d = this.derive();
    const presenceOf = (id: number) => (freshness.presenceDisabled ? null : this.presence.get(id));
    const q = query.q.trim();
    let matches: Array<{ person: Person; score: number }>;
    if (q) {
      matches = search(d.index, q).flatMap(({ id, score }) => {
        const person = d.byId.get(id);
        return person ? [{ person, score }] : [];
      });
    } else {
      matches = d.byName.map((person) => ({ person, score: 0 }));
    }
    matches = matches.filter(
      ({ person }) =>
        (!query.department || person.department === query.department) &&
        (!query.office || person.office === query.office),
    );
    const reachable = matches.filter(({ person }) => isReachable(presenceOf(person.id))).length;
    if (query.status !== 'any') {
      matches = matches.filter(({ person }) => {
        const state = presenceOf(person.id)?.state;
        return query.status === 'active' ? state === 'active' : isReachable(presenceOf(person.id));
      });
    }
    const nameRank = (p: Person) => d.nameRank.get(p.id) ?? 0;
    const rank = (p: Person) => STATE_RANK[presenceOf(p.id)?.state ?? 'offline'];
    matches.sort((a, b) => {
      if (q && a.score !== b.score) return b.score - a.score;
      if (query.sort === 'reachable') {
        const byState = rank(a.person) - rank(b.person);
        if (byState !== 0) return byState;
      }
      return nameRank(a.person) - nameRank(b.person);
    });
    const items = matches
      .slice(query.offset, query.offset + query.limit)
      .map(({ person }) => ({ ...person, presence: presenceOf(person.id) }));
    return {
      total: matches.length,
      reachable,
      offset: query.offset,
      limit: query.limit,
      items,
      facets: d.facets,
      freshness,
    };
  }

  private derive(): Derived {
    if (this.derived?.version === this.people.version) return this.derived;
    const people = this.people.list();
    const textFieldIds = this.people
      .fieldDefinitions()
      .filter((f) => TEXT_FIELD_TYPES.has(f.type))
      .map((f) => String(f.id));
    const byName = [...people].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
    const index = buildSearchIndex(
      byName.map((p) => ({
        id: p.id,
        name: p.name,
        fields: [p.email ?? p.apiEmail, p.title, p.department, p.office, p.pronouns, p.status?.text, ...textFieldValues(p, textFieldIds)].filter(
          (v): v is string => !!v,
        ),
      })),
    );
    const distinct = (values: Array<string | null>) =>
      [...new Set(values.filter((v): v is string => !!v))].sort(collator.compare);
    this.derived = {
      version: this.people.version,
      index,
      byName,
      byId: new Map(byName.map((p) => [p.id, p])),
      nameRank: new Map(byName.map((p, i) => [p.id, i])),
      facets: { departments: distinct(people.map((p) => p.department)), offices: distinct(people.map((p) => p.office)) },
    };
    return this.derived;
  }
}

function isReachable(presence: PresenceSummary | null): boolean {
  return presence?.state === 'active' || presence?.state === 'idle';
}

// Other short text fields (e.g. a GitHub handle) are searchable too; ids, dates and long bios are not.
const TEXT_FIELD_TYPES = new Set<number>([PROFILE_FIELD_TYPE.SHORT_TEXT, PROFILE_FIELD_TYPE.EXTERNAL_ACCOUNT]);

function textFieldValues(p: Person, ids: string[]): string[] {
  return ids.flatMap((id) => (p.fields[id] ? [p.fields[id]] : []));
}
