// The organization as a tree, from the person field the directory recognises as the manager
// (field-roles.ts, Person.managerIds). Pure: built once per people-store version by whoever
// serves it, from the people listed and a lookup for those who have left. Real data is messy,
// and each case has one rule:
//   - no manager (none set, or none the directory knows): a root;
//   - several managers: the first one known is where they sit, the others are "also reports to";
//   - a manager who has left (deactivated, so kept only for lookups): placed as any manager is,
//     marked left, with their reports still under them; someone who left with no one under them
//     is not in the chart;
//   - someone listing themselves: that entry is ignored;
//   - a cycle (A reports to B reports to A): nobody in it has a root above, so the member with the
//     lowest id becomes a root and the row that closes the cycle under them is a repeat ("also
//     above"), never expanded. Every cycle is cut once, so every walk up or down ends.
// Guests the directory does not list and bots are not known here (the lookup answers nothing),
// so someone under a hidden guest is a root: the chart never names a person the directory hides.
// A profile's reporting line is read from this same index (org-chart-reporting-line.ts), so the
// profile and the chart cannot disagree (docs/architecture.md §14).

export interface OrgMember {
  id: number;
  name: string;
  /** As the manager field lists them, first first. */
  managerIds: readonly number[];
}

/** One row under a parent: a person placed there, or a repeat of a person placed higher up. */
export interface OrgEntry {
  id: number;
  repeat: boolean;
}

export interface OrgChart {
  /** People placed in the chart. */
  readonly size: number;
  /** Placed in the chart (a listed person, or someone who left and has reports). */
  has(id: number): boolean;
  /** Anyone the chart knows, placed or only named as another manager. */
  person(id: number): { id: number; name: string; left: boolean } | undefined;
  /** A level in display order: `null` for the top (most people under them first), else by name. */
  children(parent: number | null): readonly OrgEntry[];
  /** Where someone's (non-repeat) row is among their parent's: for paging to it. */
  indexOf(id: number): number;
  /** The person they sit under, null for a root, undefined when not in the chart. */
  parentOf(id: number): number | null | undefined;
  /** Their other managers the chart knows, in the field's order. */
  alsoReportsTo(id: number): readonly number[];
  /**
   * Every manager the chart knows for them, in the field's order from the first one known: the
   * one they sit under (for the member a cycle is cut at, the one whose row repeats them), then
   * alsoReportsTo. Empty for someone with none, or not in the chart.
   */
  managersOf(id: number): readonly number[];
  /** The people who list them as a further manager (the other side of alsoReportsTo), by name. */
  alsoManages(id: number): readonly number[];
  /** People below them, all levels (repeats not counted). */
  descendants(id: number): number;
  /** Top first, the person last; null when not in the chart. */
  path(id: number): number[] | null;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const NONE: readonly OrgEntry[] = Object.freeze([]);
const NO_IDS: readonly number[] = Object.freeze([]);
/** `parent` values besides a person's index. */
const ROOT = -1;
const NOT_PLACED = -2;

// Built in a few flat arrays indexed by a dense number per person (ids are Zulip's, sparse):
// at 20,000 people this is what keeps a rebuild to tens of milliseconds (bench/README.md).
export function buildOrgChart(listed: Iterable<OrgMember>, former: (id: number) => OrgMember | undefined): OrgChart {
  const index = new Map<number, number>();
  const ids: number[] = [];
  const names: string[] = [];
  const managers: Array<readonly number[]> = [];
  const left: boolean[] = [];
  /** The index of the person each sits under, ROOT, or NOT_PLACED (someone who left, named only as another manager). */
  const parent: number[] = [];
  const add = (member: OrgMember, gone: boolean) => {
    index.set(member.id, ids.length);
    ids.push(member.id);
    names.push(member.name);
    managers.push(member.managerIds);
    left.push(gone);
    parent.push(NOT_PLACED);
    return ids.length - 1;
  };
  for (const member of listed) if (!index.has(member.id)) add(member, false);
  const unknown = new Set<number>();
  const lookup = (id: number): number | undefined => {
    const at = index.get(id);
    if (at !== undefined || unknown.has(id)) return at;
    const member = former(id);
    if (member) return add({ ...member, id }, true);
    unknown.add(id);
    return undefined;
  };

  // Each person's parent: the first manager known. Someone who left enters the chart when they
  // are somebody's parent, and is then placed the same way (their own manager, if known).
  const also = new Map<number, number[]>();
  const alsoBy = new Map<number, number[]>();
  const queue = ids.map((_, i) => i);
  let placed = 0;
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    if (parent[i] !== NOT_PLACED) continue;
    const managerIds = managers[i]!;
    let first = ROOT;
    for (let k = 0; k < managerIds.length; k++) {
      const managerId = managerIds[k]!;
      if (managerId === ids[i] || managerIds.indexOf(managerId) < k) continue;
      const j = lookup(managerId);
      if (j === undefined) continue;
      if (first === ROOT) first = j;
      else {
        // Appended in place: thousands may list the same head as a further manager.
        pushTo(also, i, j);
        pushTo(alsoBy, j, i);
      }
    }
    parent[i] = first;
    placed++;
    if (first !== ROOT && parent[first] === NOT_PLACED) queue.push(first);
  }
  const n = ids.length;

  // Whoever cannot walk up to a root hangs from a cycle. Walking up from each person once
  // (state: 0 not seen, 1 on this walk, 2 reaches a root) finds every cycle; each is cut at its
  // lowest id, which becomes a root, and the row under its old parent becomes a repeat.
  const state = new Uint8Array(n);
  const repeats: Array<[above: number, top: number]> = [];
  /** A cut member's old parent: still their manager, though the chart draws them at the top. */
  const cutFrom = new Map<number, number>();
  const walk: number[] = [];
  for (let start = 0; start < n; start++) {
    if (parent[start] === NOT_PLACED || state[start] === 2) continue;
    walk.length = 0;
    let i = start;
    while (i !== ROOT && state[i] === 0) {
      state[i] = 1;
      walk.push(i);
      i = parent[i]!;
    }
    if (i !== ROOT && state[i] === 1) {
      let top = i;
      for (let k = walk.indexOf(i); k < walk.length; k++) if (ids[walk[k]!]! < ids[top]!) top = walk[k]!;
      repeats.push([parent[top]!, top]);
      cutFrom.set(top, parent[top]!);
      parent[top] = ROOT;
    }
    for (const j of walk) state[j] = 2;
  }

  // Each level as a slice of one array (`start[p]` to `start[p + 1]`; the top is slot n). A
  // repeat is stored as ~index.
  const slot = (p: number) => (p === ROOT ? n : p);
  const start = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) if (parent[i] !== NOT_PLACED) start[slot(parent[i]!) + 1]!++;
  for (const [above] of repeats) start[above + 1]!++;
  for (let p = 0; p <= n; p++) start[p + 1]! += start[p]!;
  const rows = new Int32Array(start[n + 1]!);
  const fill = start.slice(0, n + 1);
  for (let i = 0; i < n; i++) if (parent[i] !== NOT_PLACED) rows[fill[slot(parent[i]!)]!++] = i;
  for (const [above, top] of repeats) rows[fill[above]!++] = ~top;

  // People below each person: children before parents (reverse of a walk down from the top).
  const below = new Int32Array(n);
  const order: number[] = [];
  for (let k = start[n]!; k < start[n + 1]!; k++) order.push(rows[k]!);
  for (let o = 0; o < order.length; o++) {
    const i = order[o]!;
    for (let k = start[i]!; k < start[i + 1]!; k++) if (rows[k]! >= 0) order.push(rows[k]!);
  }
  for (let o = order.length - 1; o >= 0; o--) {
    const i = order[o]!;
    if (parent[i]! >= 0) below[parent[i]!]! += below[i]! + 1;
  }

  const person = (row: number) => (row < 0 ? ~row : row);
  const byName = (a: number, b: number) => collator.compare(names[person(a)]!, names[person(b)]!) || ids[person(a)]! - ids[person(b)]!;
  for (let p = 0; p < n; p++) if (start[p + 1]! - start[p]! > 1) rows.subarray(start[p]!, start[p + 1]!).sort(byName);
  rows.subarray(start[n]!, start[n + 1]!).sort((a, b) => below[b]! - below[a]! || byName(a, b));
  const position = new Int32Array(n).fill(-1);
  for (let p = 0; p <= n; p++) for (let k = start[p]!; k < start[p + 1]!; k++) if (rows[k]! >= 0) position[rows[k]!] = k - start[p]!;

  const levels = new Map<number, readonly OrgEntry[]>();
  const alsoManagedBy = new Map<number, readonly number[]>();
  const placedAt = (id: number) => {
    const i = index.get(id);
    return i !== undefined && parent[i] !== NOT_PLACED ? i : undefined;
  };
  return {
    size: placed,
    has: (id) => placedAt(id) !== undefined,
    person(id) {
      const i = index.get(id);
      return i === undefined ? undefined : { id, name: names[i]!, left: left[i]! };
    },
    children(id) {
      const p = id === null ? n : placedAt(id);
      if (p === undefined) return NONE;
      let level = levels.get(p);
      if (!level) {
        level = Array.from(rows.subarray(start[p]!, start[p + 1]!), (row) => ({ id: ids[person(row)]!, repeat: row < 0 }));
        levels.set(p, level);
      }
      return level;
    },
    indexOf(id) {
      const i = placedAt(id);
      return i === undefined ? -1 : position[i]!;
    },
    parentOf(id) {
      const i = placedAt(id);
      if (i === undefined) return undefined;
      return parent[i] === ROOT ? null : ids[parent[i]!]!;
    },
    alsoReportsTo(id) {
      const i = index.get(id);
      return (i !== undefined && also.get(i)?.map((j) => ids[j]!)) || NO_IDS;
    },
    managersOf(id) {
      const i = placedAt(id);
      if (i === undefined) return NO_IDS;
      const first = parent[i]! >= 0 ? parent[i]! : cutFrom.get(i);
      return first === undefined ? NO_IDS : [first, ...(also.get(i) ?? [])].map((j) => ids[j]!);
    },
    alsoManages(id) {
      const i = index.get(id);
      const by = i === undefined ? undefined : alsoBy.get(i);
      if (!by) return NO_IDS;
      let sorted = alsoManagedBy.get(i!);
      if (!sorted) {
        sorted = [...by].sort(byName).map((j) => ids[j]!);
        alsoManagedBy.set(i!, sorted);
      }
      return sorted;
    },
    descendants(id) {
      const i = placedAt(id);
      return i === undefined ? 0 : below[i]!;
    },
    path(id) {
      const i = placedAt(id);
      if (i === undefined) return null;
      const path = [id];
      for (let p = parent[i]!; p !== ROOT; p = parent[p]!) path.push(ids[p]!);
      return path.reverse();
    },
  };
}

function pushTo(lists: Map<number, number[]>, key: number, value: number): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
