// A team's overlap (docs/architecture.md §18): for each member with known working hours, which
// half hours of the viewer's day they work, and the longest window when the most of them do.
// Pure: the browser calls it with the viewer's day in their zone, the tests with any day and zone.

import { withinWorkingHours, type WorkingHours } from '@/lib/directory/domain/availability/working-time';
import { instantOf, wallTime } from '@/lib/directory/domain/availability/zoned-time';

export const SLOT_MINUTES = 30;
/**
 * The largest team whose hours are compared: a bar per member stays readable, and the overlap of
 * an arbitrary part of a larger team (its first N by name) would tell the viewer nothing true.
 */
export const OVERLAP_TEAM_LIMIT = 100;
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

/** The viewer's calendar day in their zone: the chart's slots are its wall-clock half hours. */
export interface ViewerDay {
  year: number;
  /** 1 … 12 */
  month: number;
  day: number;
  timeZone: string;
}

/** When slot boundary `i` (0 … SLOTS) of the viewer's day happens: i·30 minutes on their wall clock. */
export function slotInstant(day: ViewerDay, i: number): number {
  return instantOf(day.year, day.month, day.day, i * SLOT_MINUTES, day.timeZone);
}

/**
 * Where each slot is tested: the middle of its half hour on the viewer's wall clock, so a day of 23
 * or 25 hours (the clocks changing) is still midnight to midnight. A half hour the clocks skip that
 * day is no one's (null); of an hour they repeat, the first is shown.
 */
function slotProbes(day: ViewerDay): Array<number | null> {
  return Array.from({ length: SLOTS }, (_, i) => {
    const minutes = i * SLOT_MINUTES + SLOT_MINUTES / 2;
    const at = instantOf(day.year, day.month, day.day, minutes, day.timeZone);
    const wall = wallTime(at, day.timeZone);
    return wall && wall.day === day.day && wall.minutes === minutes ? at : null;
  });
}

/** `day`: the viewer's day, or null before the page knows their zone (rows, and no one working). */
export function teamOverlap(members: OverlapMember[], day: ViewerDay | null): TeamOverlap {
  const probes = day ? slotProbes(day) : new Array<null>(SLOTS).fill(null);
  const rows: TeamOverlap['rows'] = [];
  const unknown: TeamOverlap['unknown'] = [];
  const counts = new Array<number>(SLOTS).fill(0);
  for (const m of members) {
    if (!m.workingHours) {
      unknown.push({ id: m.id, name: m.name });
      continue;
    }
    const working = probes.map((at) => at !== null && withinWorkingHours(m.workingHours!, at) === true);
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
