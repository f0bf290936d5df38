// Wall-clock time in an IANA zone, for an instant, and back: what "within working hours" and
// "back on Monday" need. Pure, the same in the browser and on the server; DST handled by asking
// Intl for the zone's offset at each instant (docs/architecture.md §18).

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    if (partsFormatters.size < 1_000) partsFormatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
/** A day, in ms: the span either side of a time in which a zone changes its offset at most once. */
const DAY_MS = 86_400_000;

export interface WallTime {
  year: number;
  /** 1 … 12 */
  month: number;
  day: number;
  /** 0 Sunday … 6 Saturday */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

// Asking Intl is ~10–30 µs a time, and a page asks the same few questions many times over: every
// row in one zone reads the same minute, and "day starts in" the same mornings. The answer for a
// zone and a minute never changes, so it is kept (a bounded cache; the objects are never changed).
const wallTimes = new Map<string, WallTime | null>();
const MAX_WALL_TIMES = 10_000;

/** The wall clock in `timeZone` at `ms` (to the minute); null for a zone this runtime does not know. */
export function wallTime(ms: number, timeZone: string): WallTime | null {
  const key = `${Math.floor(ms / 60_000)}|${timeZone}`;
  let known = wallTimes.get(key);
  if (known === undefined) {
    known = readWallTime(ms, timeZone);
    if (wallTimes.size >= MAX_WALL_TIMES) wallTimes.clear();
    wallTimes.set(key, known);
  }
  return known;
}

function readWallTime(ms: number, timeZone: string): WallTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = partsFormatter(timeZone).formatToParts(new Date(ms));
  } catch {
    return null;
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: WEEKDAY_INDEX[get('weekday')] ?? 0,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone)!;
  const asUtc = Date.UTC(w.year, w.month - 1, w.day) + w.minutes * 60_000;
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time the clocks skip (spring forward)
 * moves later by the gap's length (02:30 on that day is 03:30, as JavaScript's Temporal does by
 * default); a time they repeat (fall back) is its first occurrence.
 */
export function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const local = Date.UTC(year, month - 1, day) + minutes * 60_000;
  // The two readings the time can have: by the offset of the day before and of the day after (a
  // zone changes its offset at most once in that span). Both hold in a repeated hour, neither in
  // a skipped one. (Two passes from the time itself also disagree just after a change: wrong.)
  const before = local - offsetMinutes(local - DAY_MS, timeZone) * 60_000;
  const after = local - offsetMinutes(local + DAY_MS, timeZone) * 60_000;
  // No change of offset within a day either side (nearly always): the one reading holds.
  if (before === after) return before;
  const reads = (ms: number) => {
    const w = wallTime(ms, timeZone);
    return w !== null && Date.UTC(w.year, w.month - 1, w.day) + w.minutes * 60_000 === local;
  };
  const readings = [before, after].filter(reads);
  // A repeated hour: its first occurrence. A skipped one: moved later by the gap, by the offset before it.
  return readings.length > 0 ? Math.min(...readings) : before;
}

/** Whether the date exists (not 30 February, nor 29 February in a common year): Date would roll it over. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A calendar date as YYYY-MM-DD. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` after the given one (proleptic Gregorian, no zone involved). */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}
