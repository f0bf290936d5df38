import { PROFILE_FIELD_TYPE } from '@/lib/directory/field-types';
import { buildSearchIndex, searchRanks, searchTokens, type RankedHits, type SearchIndex } from '@/lib/directory/search';
import type { FieldDefinition, Freshness, PeoplePage, PeopleQuery, Person } from '@/lib/directory/types';
import type { TeamSummary } from '@/lib/directory/teams-types';
import type { PresenceSummary } from '@/lib/presence/status';

const STATE_RANK = { active: 0, idle: 1, offline: 2 } as const;
const OFFLINE = STATE_RANK.offline;
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
/** Recent searches kept for as-you-type refinement ("an" → "ana" only looks at the hits of "an"). */
const SEARCH_CACHE_SIZE = 16;

/**
 * What a query reads of a person: what a row shows and what is searched and filtered. The
 * server's people store holds whole Persons; the browser's people index (people-index.ts) only
 * these, so the same engine answers in both places (docs/architecture.md §17).
 */
export type ListedPerson = Pick<
  Person,
  'id' | 'name' | 'apiEmail' | 'email' | 'avatarUrl' | 'timezone' | 'pronouns' | 'title' | 'department' | 'office' | 'status' | 'fields'
>;

/** A row as a query answers it: the person and their presence now. */
export type ListedRow = ListedPerson & { presence: PresenceSummary | null };

/** A page of rows: what /api/people answers (whole Persons), or the browser's index (ListedPersons). */
export type ListedPage = Omit<PeoplePage, 'items' | 'presenceVersion'> & { items: ListedRow[] };

/** The people a query runs over (lib/directory/people-store.ts on the server). */
export interface PeopleSource<P extends ListedPerson> {
  /** Changes whenever anyone or any field definition does. */
  readonly version: number;
  list(): readonly P[];
  fieldDefinitions(): ReadonlyArray<Pick<FieldDefinition, 'id' | 'type'>>;
  /** True when list() is already in name order (the index sent to browsers is): no collation needed, and the order is the server's. */
  readonly nameOrdered?: boolean;
}

/** Everyone's presence (lib/presence/presence-store.ts on the server). */
export interface PresenceSource {
  readonly version: number;
  get(id: number): PresenceSummary | null;
}

/** Teams and who is in them, subgroups resolved (lib/directory/teams-store.ts on the server). */
export interface TeamsSource {
  readonly version: number;
  list(): TeamSummary[];
  members(id: number): ReadonlySet<number> | undefined;
}

interface Derived<P extends ListedPerson> {
  version: number;
  index: SearchIndex;
  /** Everyone in name order: the index's rank order. */
  people: P[];
  /** Per rank: index of the person's department / office in the facet lists, -1 for none. */
  department: Int32Array;
  office: Int32Array;
  departmentCode: Map<string, number>;
  officeCode: Map<string, number>;
  /** Teams change apart from people: their list comes from the teams store at each query. */
  facets: Omit<PeoplePage['facets'], 'teams'>;
  /** 0 … n-1, the candidates of an empty search. */
  everyone: RankedHits;
  searches: Array<{ tokens: string[]; key: string; hits: RankedHits }>;
}

/**
 * Search, filter, sort and page the directory on the server, so the browser only ever holds
 * one page of rows, whatever the size of the organization. The index, the name order, the facets
 * and per-person facet codes are rebuilt only when the people store changes; presence states by
 * rank only when presence changes. A query is then a few linear passes over typed arrays (no
 * comparator sort, no object per candidate): a few milliseconds for 20,000 people.
 */
export class PeopleQueries<P extends ListedPerson = Person> {
  private derived: Derived<P> | null = null;
  private states: { peopleVersion: number; presenceVersion: number; byRank: Uint8Array } | null = null;
  /** Scratch buffers reused by every query (queries run synchronously, one at a time). */
  private buffers = { ranks: new Uint32Array(0), scores: new Float64Array(0), order: new Uint32Array(0) };
  /** Per team asked for: 1 at the rank of each of its people (teams-store.ts resolves subgroups). */
  private teamMasks: { peopleVersion: number; teamsVersion: number; masks: Map<number, Uint8Array> } | null = null;

  constructor(
    private people: PeopleSource<P>,
    private presence: PresenceSource,
    private teams?: TeamsSource,
  ) {}

  run(query: PeopleQuery, freshness: Freshness): Omit<PeoplePage, 'presenceVersion' | 'items'> & { items: Array<P & { presence: PresenceSummary | null }> } {
    const { d, order, total, reachable, approximate } = this.select(query, freshness);
    const end = Math.min(total, query.offset + query.limit);
    const items = [];
    for (let k = query.offset; k < end; k++) {
      const person = d.people[order[k]!]!;
      items.push({ ...person, presence: freshness.presenceDisabled ? null : this.presence.get(person.id) });
    }
    return {
      total,
      reachable,
      offset: query.offset,
      limit: query.limit,
      items,
      facets: this.facets(d),
      freshness,
      ...(approximate ? { approximate: true } : {}),
    };
  }

  /**
   * Everyone a query matches, as ids in its order, paging ignored: what an export reads (it
   * takes each row when it writes it). No row is copied: for 20,000 people a copy of each is
   * most of a query's time.
   */
  matchingIds(query: PeopleQuery, freshness: Freshness): { ids: number[]; facets: PeoplePage['facets'] } {
    const { d, order, total } = this.select(query, freshness);
    const ids = new Array<number>(total);
    for (let k = 0; k < total; k++) ids[k] = d.people[order[k]!]!.id;
    return { ids, facets: this.facets(d) };
  }

  /** Everyone listed, in name order (the order a search breaks ties in): what the browser's people index is made of. */
  nameOrder(): readonly P[] {
    return this.derive().people;
  }

  private facets(d: Derived<P>): PeoplePage['facets'] {
    return { ...d.facets, teams: this.teams?.list() ?? [] };
  }

  /** The ranks a query keeps, in its order (in the scratch buffers: read them before the next query). */
  private select(query: PeopleQuery, freshness: Freshness): { d: Derived<P>; order: Uint32Array; total: number; reachable: number; approximate: boolean } {
    const d = this.derive();
    const state = freshness.presenceDisabled ? null : this.statesByRank(d);
    const q = query.q.trim();
    const hits = q ? this.search(d, q) : d.everyone;

    // Filter, counting who is reachable before the presence filter (the count line says
    // "N people · M reachable now" for the department/office/search chosen).
    const departmentCode = query.department ? (d.departmentCode.get(query.department) ?? -2) : null;
    const officeCode = query.office ? (d.officeCode.get(query.office) ?? -2) : null;
    const teamMask = query.team ? this.teamMask(d, query.team) : null;
    const { ranks, scores, order: partitioned } = this.scratch(hits.count);
    let total = 0;
    let reachable = 0;
    for (let k = 0; k < hits.count; k++) {
      const r = hits.ranks[k]!;
      if (departmentCode !== null && d.department[r] !== departmentCode) continue;
      if (officeCode !== null && d.office[r] !== officeCode) continue;
      if (teamMask !== null && teamMask[r] === 0) continue;
      const s = state ? state[r]! : OFFLINE;
      if (s !== OFFLINE) reachable++;
      if (query.status === 'active' ? s !== STATE_RANK.active : query.status === 'reachable' ? s === OFFLINE : false) continue;
      ranks[total] = r;
      scores[total] = hits.scores[k]!;
      total++;
    }

    // Hits are in (score desc, name) order; "reachable first" puts active, idle, offline within
    // each run of equal scores (a stable three-way partition: linear, no sort).
    const order = query.sort === 'reachable' && state ? partitionByState(ranks, scores, total, state, partitioned) : ranks;
    return { d, order, total, reachable, approximate: hits.approximate === true };
  }

  /** An unknown team (or a system or deactivated group) has no one: an all-zero mask. */
  private teamMask(d: Derived<P>, teamId: number): Uint8Array {
    const teamsVersion = this.teams?.version ?? 0;
    const cache = this.teamMasks;
    if (!cache || cache.peopleVersion !== d.version || cache.teamsVersion !== teamsVersion) {
      this.teamMasks = { peopleVersion: d.version, teamsVersion, masks: new Map() };
    }
    const masks = this.teamMasks!.masks;
    let mask = masks.get(teamId);
    if (!mask) {
      mask = new Uint8Array(d.people.length);
      const members = this.teams?.members(teamId);
      if (members) for (let r = 0; r < d.people.length; r++) if (members.has(d.people[r]!.id)) mask[r] = 1;
      // Bounded, whatever ids viewers make up: 64 masks of 20,000 people are 1.3 MB.
      if (masks.size >= 64) masks.clear();
      masks.set(teamId, mask);
    }
    return mask;
  }

  private scratch(size: number) {
    if (this.buffers.ranks.length < size) {
      this.buffers = { ranks: new Uint32Array(size), scores: new Float64Array(size), order: new Uint32Array(size) };
    }
    return this.buffers;
  }

  /** Search hits, narrowing the hits of an earlier query that this one refines. */
  private search(d: Derived<P>, q: string): RankedHits {
    const tokens = searchTokens(q);
    if (tokens.length === 0) return d.everyone;
    const key = tokens.join(' ');
    const cached = d.searches.findIndex((s) => s.key === key);
    if (cached >= 0) {
      const [entry] = d.searches.splice(cached, 1);
      d.searches.push(entry!);
      return entry!.hits;
    }
    // Every hit of the new query is a hit of an earlier one whose every token is part of one of
    // the new tokens (typing more only ever narrows); start from the smallest such set.
    let base: RankedHits | undefined;
    for (const s of d.searches) {
      if (base && s.hits.count >= base.count) continue;
      if (s.tokens.every((t) => tokens.some((u) => u.includes(t)))) base = s.hits;
    }
    const hits = searchRanks(d.index, q, base?.ranks.subarray(0, base.count));
    d.searches.push({ tokens, key, hits });
    if (d.searches.length > SEARCH_CACHE_SIZE) d.searches.shift();
    return hits;
  }

  private statesByRank(d: Derived<P>): Uint8Array {
    const s = this.states;
    if (s && s.peopleVersion === d.version && s.presenceVersion === this.presence.version) return s.byRank;
    const byRank = new Uint8Array(d.people.length);
    for (let r = 0; r < d.people.length; r++) {
      const summary = this.presence.get(d.people[r]!.id);
      byRank[r] = summary ? STATE_RANK[summary.state] : OFFLINE;
    }
    this.states = { peopleVersion: d.version, presenceVersion: this.presence.version, byRank };
    return byRank;
  }

  private derive(): Derived<P> {
    if (this.derived?.version === this.people.version) return this.derived;
    const people = this.people.list();
    const textFieldIds = searchedFields(this.people.fieldDefinitions()).map((f) => String(f.id));
    const index = buildSearchIndex(
      people.map((p) => ({
        id: p.id,
        name: p.name,
        fields: [p.email ?? p.apiEmail, p.title, p.department, p.office, p.pronouns, p.status?.text, ...textFieldValues(p, textFieldIds)].filter(
          (v): v is string => !!v,
        ),
      })),
      'en',
      this.people.nameOrdered === true,
    );
    // The index orders people by name (Intl.Collator, then id): that order is the rank.
    const byId = new Map(people.map((p) => [p.id, p]));
    const byRank = index.ids.map((id) => byId.get(id)!);
    const distinct = (values: Array<string | null>) =>
      [...new Set(values.filter((v): v is string => !!v))].sort(collator.compare);
    const facets = { departments: distinct(people.map((p) => p.department)), offices: distinct(people.map((p) => p.office)) };
    const departmentCode = new Map(facets.departments.map((name, i) => [name, i]));
    const officeCode = new Map(facets.offices.map((name, i) => [name, i]));
    const n = byRank.length;
    const everyone: RankedHits = { count: n, ranks: new Uint32Array(n), scores: new Float64Array(n) };
    const department = new Int32Array(n);
    const office = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      everyone.ranks[r] = r;
      const p = byRank[r]!;
      department[r] = p.department ? (departmentCode.get(p.department) ?? -1) : -1;
      office[r] = p.office ? (officeCode.get(p.office) ?? -1) : -1;
    }
    this.derived = {
      version: this.people.version,
      index,
      people: byRank,
      department,
      office,
      departmentCode,
      officeCode,
      facets,
      everyone,
      searches: [],
    };
    return this.derived;
  }
}

/** Within each run of equal scores, active first, then idle, then offline; name order kept. */
function partitionByState(ranks: Uint32Array, scores: Float64Array, count: number, state: Uint8Array, out: Uint32Array): Uint32Array {
  let o = 0;
  let start = 0;
  while (start < count) {
    let end = start + 1;
    while (end < count && scores[end] === scores[start]) end++;
    for (let s = 0; s <= OFFLINE; s++) {
      for (let k = start; k < end; k++) if (state[ranks[k]!] === s) out[o++] = ranks[k]!;
    }
    start = end;
  }
  return out;
}

// Other short text fields (e.g. a GitHub handle) are searchable too; ids, dates and long bios are not.
const TEXT_FIELD_TYPES = new Set<number>([PROFILE_FIELD_TYPE.SHORT_TEXT, PROFILE_FIELD_TYPE.EXTERNAL_ACCOUNT]);

/** The custom fields a search looks in, of these definitions. */
export function searchedFields<F extends { type: number }>(definitions: readonly F[]): F[] {
  return definitions.filter((f) => TEXT_FIELD_TYPES.has(f.type));
}

function textFieldValues(p: ListedPerson, ids: string[]): string[] {
  return ids.flatMap((id) => (p.fields[id] ? [p.fields[id]] : []));
}
