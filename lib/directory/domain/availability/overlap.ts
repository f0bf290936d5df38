// A team's overlap (docs/architecture.md §18): for each member with known working hours, which
// half hours of the viewer's day they work, and the longest window when the most of them do.
// Pure: the browser calls it with the viewer's midnight, the tests with any instant.

import { withinWorkingHours, type WorkingHours } from '@/lib/directory/domain/availability/working-time';

export const SLOT_MINUTES = 30;
export const SLOTS = (24 * 60) / SLOT_MINUTES;

export interface OverlapMember {
  id: number;
  name: string;
  workingHours: WorkingHours | null;
  /** Out (status.ts): drawn hatched and never counted as available. */
  out: boolean;
}

export interface TeamOverlap {
  /** Members with known hours, in the order given; `working[i]`: they work slot i of the viewer's day. */
  rows: Array<{ id: number; name: string; out: boolean; working: boolean[] }>;
  /** Members whose hours are unknown: listed apart, never guessed. */
  unknown: Array<{ id: number; name: string }>;
  /** How many can overlap: known hours and not out. */
  of: number;
  /** The first longest run of slots with the most members working; null when no one works. */
  best: { count: number; start: number; end: number } | null;
}

/** `dayStartMs`: the viewer's local midnight; slot i is [dayStart + i·30 min, + 30 min), tested at its middle. */
export function teamOverlap(members: OverlapMember[], dayStartMs: number): TeamOverlap {
  const rows: TeamOverlap['rows'] = [];
  const unknown: TeamOverlap['unknown'] = [];
  const counts = new Array<number>(SLOTS).fill(0);
  for (const m of members) {
    if (!m.workingHours) {
      unknown.push({ id: m.id, name: m.name });
      continue;
    }
    const working = Array.from({ length: SLOTS }, (_, i) => withinWorkingHours(m.workingHours!, dayStartMs + (i + 0.5) * SLOT_MINUTES * 60_000) === true);
    if (!m.out) working.forEach((w, i) => (counts[i]! += w ? 1 : 0));
    rows.push({ id: m.id, name: m.name, out: m.out, working });
  }
  const max = Math.max(0, ...counts);
  let best: TeamOverlap['best'] = null;
  if (max > 0) {
    for (let i = 0; i < SLOTS; ) {
      if (counts[i] !== max) {
        i++;
        continue;
      }
      let j = i;
      while (j < SLOTS && counts[j] === max) j++;
      if (!best || j - i > best.end - best.start) best = { count: max, start: i, end: j };
      i = j;
    }
  }
  return { rows, unknown, of: rows.filter((r) => !r.out).length, best };
}

/** "All 9 overlap 14:00–15:00 your time", or "No hour when all 9 overlap; best: 7 of 9 at 15:00–17:00 your time". */
export function overlapSentence(overlap: TeamOverlap, time: (slot: number) => string): string {
  const { best, of, rows } = overlap;
  if (of === 0 && rows.length > 0) return rows.length === 1 ? 'The one member whose working hours the directory can read is out.' : `All ${rows.length} members whose working hours the directory can read are out.`;
  if (of === 0) return 'No one here has working hours the directory can read.';
  if (!best) return `No working hours today for any of the ${of}.`;
  const window = `${time(best.start)}–${time(best.end)} your time`;
  if (best.count === of) return of === 1 ? `Works ${window}` : `All ${of} overlap ${window}`;
  return `No hour when all ${of} overlap; best: ${best.count} of ${of} at ${window}`;
}
