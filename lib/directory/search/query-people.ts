import { PROFILE_FIELD_TYPE } from '@/lib/directory/domain/field-types';
import { buildSearchIndex, prepareTypoSearch, searchRanks, searchTokens, type RankedHits, type SearchIndex } from '@/lib/directory/search/search';
import type { FieldDefinition, Freshness, PeoplePage, PeopleQuery, Person } from '@/lib/directory/domain/types';
import type { TeamSummary } from '@/lib/directory/domain/teams-types';
import type { PresenceSummary } from '@/lib/presence/status';
import { toPersonRow, type ListedPerson, type RowOf } from '@/lib/directory/domain/person-row';
import { withinEach, type WorkingHours } from '@/lib/directory/domain/availability/working-time';
import { outAt } from '@/lib/directory/domain/availability/answer';
import { isCalendarHint } from '@/lib/directory/domain/availability/return-day';

const STATE_RANK = { active: 0, idle: 1, offline: 2 } as const;
const OFFLINE = STATE_RANK.offline;
/** What a status means, per rank (lib/directory/domain/availability/status-meaning.ts). */
const MEANING = { none: 0, busy: 1, out: 2 } as const;
/**
 * "Reachable first" (docs/architecture.md §18): reachable and active, reachable and idle, then
 * everyone else, then those who are out.
 */
const REACH_CLASS = { active: 0, idle: 1, other: 2, out: 3 } as const;
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
/** Recent searches kept for as-you-type refinement ("an" → "ana" only looks at the hits of "an"). */
const SEARCH_CACHE_SIZE = 16;

/** The people a query runs over (lib/directory/domain/people-store.ts on the server). */
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

/** Teams and who is in them, subgroups resolved (lib/directory/domain/teams-store.ts on the server). */
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
  /** Per rank: MEANING of their status. */
  meaning: Uint8Array;
  /** Ranks out on some days only: a return day that can pass (a date, a day and month), or a start said ahead of time. */
  datedOut: number[];
  /** Per rank: index of their working hours in `hours`, -1 when unknown. */
  hoursCode: Int32Array;
  /** The distinct working hours (a few per organization): "within now?" is asked once per entry. */
  hours: WorkingHours[];
  /** Ranks, newest `dateJoined` first (sort=joined). */
  joinedOrder: Uint32Array;
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
  private buffers = { ranks: new Uint32Array(0), scores: new Float64Array(0), order: new Uint32Array(0), reach: new Uint8Array(0) };
  private clock: { peopleVersion: number; minute: number; within: Uint8Array; over: Set<number> } | null = null;
  /** Per team asked for: 1 at the rank of each of its people (teams-store.ts resolves subgroups). */
  private teamMasks: { peopleVersion: number; teamsVersion: number; masks: Map<number, Uint8Array> } | null = null;

  constructor(
    private people: PeopleSource<P>,
    private presence: PresenceSource,
    private teams?: TeamsSource,
  ) {}

  /** `nowMs`: the instant availability is answered for (working hours, return dates). */
  run(query: PeopleQuery, freshness: Freshness, nowMs = Date.now()): Omit<PeoplePage, 'presenceVersion' | 'items'> & { items: Array<RowOf<P>> } {
    const { d, order, total, reachable, out, approximate } = this.select(query, freshness, nowMs);
    const end = Math.min(total, query.offset + query.limit);
    const items = [];
    for (let k = query.offset; k < end; k++) {
      const person = d.people[order[k]!]!;
      items.push(toPersonRow(person, freshness.presenceDisabled ? null : this.presence.get(person.id), nowMs));
    }
    return {
      total,
      reachable,
      out,
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
  matchingIds(query: PeopleQuery, freshness: Freshness, nowMs = Date.now()): { ids: number[]; facets: PeoplePage['facets'] } {
    const { d, order, total } = this.select(query, freshness, nowMs);
    const ids = new Array<number>(total);
    for (let k = 0; k < total; k++) ids[k] = d.people[order[k]!]!.id;
    return { ids, facets: this.facets(d) };
  }

  /** Builds the search, and what a search forgiving a typo reads, before a query needs them. */
  prepare(): void {
    prepareTypoSearch(this.derive().index);
  }

  /** Everyone listed, in name order (the order a search breaks ties in): what the browser's people index is made of. */
  nameOrder(): readonly P[] {
    return this.derive().people;
  }

  private facets(d: Derived<P>): PeoplePage['facets'] {
    return { ...d.facets, teams: this.teams?.list() ?? [] };
  }

  /** The ranks a query keeps, in its order (in the scratch buffers: read them before the next query). */
  private select(
    query: PeopleQuery,
    freshness: Freshness,
    nowMs: number,
  ): { d: Derived<P>; order: Uint32Array; total: number; reachable: number; out: number; approximate: boolean } {
    const d = this.derive();
    const state = freshness.presenceDisabled ? null : this.statesByRank(d);
    const q = query.q.trim();
    const hits = q ? this.search(d, q) : d.everyone;
    const { within, over } = this.clockNow(d, nowMs);

    // Filter, counting who is reachable and who is out before the availability filter (the count
    // line says "N people · M reachable now · K out" for the department/office/search chosen).
    const departmentCode = query.department ? (d.departmentCode.get(query.department) ?? -2) : null;
    const officeCode = query.office ? (d.officeCode.get(query.office) ?? -2) : null;
    const teamMask = query.team ? this.teamMask(d, query.team) : null;
    const { ranks, scores, order: partitioned, reach } = this.scratch(hits.count);
    let total = 0;
    let reachable = 0;
    let out = 0;
    for (let k = 0; k < hits.count; k++) {
      const r = hits.ranks[k]!;
      if (departmentCode !== null && d.department[r] !== departmentCode) continue;
      if (officeCode !== null && d.office[r] !== officeCode) continue;
      if (teamMask !== null && teamMask[r] === 0) continue;
      const s = state ? state[r]! : OFFLINE;
      const isOut = d.meaning[r] === MEANING.out && !over.has(r);
      const code = d.hoursCode[r]!;
      // Reachable: active or idle, not out, within working hours where they are known (answer.ts says the same per person).
      const isReachable = s !== OFFLINE && !isOut && (code < 0 || within[code] !== 0);
      if (isReachable) reachable++;
      if (isOut) out++;
      if (query.status === 'active' ? s !== STATE_RANK.active : query.status === 'reachable' ? !isReachable : query.status === 'out' ? !isOut : false) continue;
      ranks[total] = r;
      scores[total] = hits.scores[k]!;
      reach[r] = isOut ? REACH_CLASS.out : isReachable ? (s === STATE_RANK.active ? REACH_CLASS.active : REACH_CLASS.idle) : REACH_CLASS.other;
      total++;
    }

    let order: Uint32Array = ranks;
    if (query.sort === 'joined') order = joinedFirst(d.joinedOrder, ranks, total, reach, partitioned);
    else if (query.sort === 'reachable' && query.status === 'out') order = soonestBackFirst(d.people, ranks, total, nowMs);
    // Hits are in (score desc, name) order; "reachable first" puts the reach classes in order
    // within each run of equal scores (a stable partition: linear, no sort).
    else if (query.sort === 'reachable') order = partitionByReach(ranks, scores, total, reach, partitioned);
    return { d, order, total, reachable, out, approximate: hits.approximate === true };
  }

  /**
   * What the clock decides, kept for the minute: whether each distinct set of working hours holds
   * `nowMs` (withinEach), and whose absence is over by its own return day (answer.ts's outAt).
   * Hours begin and end on whole minutes and days on whole minutes in every zone, so within one
   * minute of the clock the answers are the same.
   */
  private clockNow(d: Derived<P>, nowMs: number): { within: Uint8Array; over: Set<number> } {
    const minute = Math.floor(nowMs / 60_000);
    const c = this.clock;
    if (c && c.peopleVersion === d.version && c.minute === minute) return c;
    const within = withinEach(d.hours, nowMs);
    const over = new Set(d.datedOut.filter((r) => outAt(d.people[r]!, nowMs) === null));
    this.clock = { peopleVersion: d.version, minute, within, over };
    return this.clock;
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

  /** `reach` is by rank (so sized for everyone), the others by position in the answer. */
  private scratch(size: number) {
    const people = this.derived?.people.length ?? 0;
    if (this.buffers.ranks.length < size || this.buffers.reach.length < people) {
      const n = Math.max(size, people);
      this.buffers = { ranks: new Uint32Array(n), scores: new Float64Array(n), order: new Uint32Array(n), reach: new Uint8Array(n) };
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
    // Values the collator holds equal ("Design", "design") in one order whatever order people come in (the store's on the server, the index's in the browser).
    const distinct = (values: Array<string | null>) =>
      [...new Set(values.filter((v): v is string => !!v))].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
    const facets = { departments: distinct(people.map((p) => p.department)), offices: distinct(people.map((p) => p.office)) };
    const departmentCode = new Map(facets.departments.map((name, i) => [name, i]));
    const officeCode = new Map(facets.offices.map((name, i) => [name, i]));
    const n = byRank.length;
    const everyone: RankedHits = { count: n, ranks: new Uint32Array(n), scores: new Float64Array(n) };
    const department = new Int32Array(n);
    const office = new Int32Array(n);
    const meaning = new Uint8Array(n);
    const hoursCode = new Int32Array(n);
    const hours: WorkingHours[] = [];
    const hoursCodes = new Map<string, number>();
    const datedOut: number[] = [];
    for (let r = 0; r < n; r++) {
      everyone.ranks[r] = r;
      const p = byRank[r]!;
      department[r] = p.department ? (departmentCode.get(p.department) ?? -1) : -1;
      office[r] = p.office ? (officeCode.get(p.office) ?? -1) : -1;
      meaning[r] = p.statusMeaning ? MEANING[p.statusMeaning.kind] : MEANING.none;
      // Out on some days only: a return date that passes, or a start said ahead of time (answer.ts's outAt).
      const status = p.statusMeaning;
      if (status?.kind === 'out' && (isCalendarHint(status.returns) || status.starts)) datedOut.push(r);
      const h = p.workingHours;
      if (!h) hoursCode[r] = -1;
      else {
        const key = `${h.timeZone}|${h.days.join()}|${h.start}|${h.end}`;
        let code = hoursCodes.get(key);
        if (code === undefined) {
          code = hours.push(h) - 1;
          hoursCodes.set(key, code);
        }
        hoursCode[r] = code;
      }
    }
    // Newest first; an unreadable date last; name order among equals (the sort is stable).
    const joinedAt = byRank.map((p) => Date.parse(p.dateJoined) || 0);
    const joinedOrder = Uint32Array.from(everyone.ranks).sort((a, b) => joinedAt[b]! - joinedAt[a]!);
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
      meaning,
      datedOut,
      hoursCode,
      hours,
      joinedOrder,
      searches: [],
    };
    return this.derived;
  }
}

/** Within each run of equal scores, by reach class (REACH_CLASS, by rank); name order kept. */
function partitionByReach(ranks: Uint32Array, scores: Float64Array, count: number, reach: Uint8Array, out: Uint32Array): Uint32Array {
  let o = 0;
  let start = 0;
  while (start < count) {
    let end = start + 1;
    while (end < count && scores[end] === scores[start]) end++;
    for (let c = REACH_CLASS.active; c <= REACH_CLASS.out; c++) {
      for (let k = start; k < end; k++) if (reach[ranks[k]!] === c) out[o++] = ranks[k]!;
    }
    start = end;
  }
  return out;
}

/** The kept ranks in `joinedOrder` (newest first): marked, then read off in that order, linear. */
function joinedFirst(joinedOrder: Uint32Array, ranks: Uint32Array, count: number, mark: Uint8Array, out: Uint32Array): Uint32Array {
  const KEPT = 255;
  for (let k = 0; k < count; k++) mark[ranks[k]!] = KEPT;
  let o = 0;
  for (let i = 0; i < joinedOrder.length && o < count; i++) if (mark[joinedOrder[i]!] === KEPT) out[o++] = joinedOrder[i]!;
  // The marks live in a buffer the next query reuses: leave none behind.
  for (let k = 0; k < count; k++) mark[out[k]!] = 0;
  return out;
}

/** Who's out: the soonest return date first, an unknown one last; name order among equals. */
function soonestBackFirst(people: readonly ListedPerson[], ranks: Uint32Array, count: number, nowMs: number): Uint32Array {
  const until = new Map<number, string>();
  for (let k = 0; k < count; k++) {
    const r = ranks[k]!;
    const out = outAt(people[r]!, nowMs);
    // "until 18 Dec" is back on the 19th: after "back 18 Dec", before "back 19 Dec".
    until.set(r, out?.until ? `${out.until}${out.lastDay ? '+' : ''}` : '\uffff');
  }
  return ranks.subarray(0, count).sort((a, b) => (until.get(a)! < until.get(b)! ? -1 : until.get(a)! > until.get(b)! ? 1 : a - b));
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
