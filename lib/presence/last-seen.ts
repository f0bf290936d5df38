// The words for presence, exactly as Zulip's web app writes them (English source strings):
// web/src/buddy_data.ts `user_last_seen_time_status` and web/src/timerender.ts
// `last_seen_status_from_date` / `relative_time_string_from_date` (docs/zulip.md §d).
// Pure: "now" and the viewer's time zone are arguments, so server and browser render the same text.

import type { PresenceSummary } from '@/lib/presence/status';

/**
 * What Zulip's web app says of someone with no presence data, which depends on how far back the
 * data goes: 365 days from feature level 288 (10.0), 14 days before ("Active more than 2 weeks
 * ago", 7.0–9.x wording); web/src/buddy_data.ts `user_last_seen_time_status` (docs/zulip.md §d).
 */
export function noDataLabel(historyDays: number): string {
  return historyDays >= 365 ? 'Not active in the last year' : 'Active more than 2 weeks ago';
}

/**
 * "Active now" / "Idle" / "Active 14 minutes ago" / … / "Not active in the last year" (see
 * noDataLabel for `historyDays`).
 *
 * Under a minute (only possible with clock skew, since offline means older than the threshold)
 * Zulip prints "Active 0 minutes ago": it has no "just now" branch in this function, and neither
 * do we. A last-active time in the future is clamped to 0 minutes rather than shown negative.
 */
export function presenceLabel(summary: PresenceSummary | null, nowSec: number, timeZone?: string, historyDays = 365): string {
  if (summary === null) return noDataLabel(historyDays);
  if (summary.state === 'active') return 'Active now';
  // Zulip shows no time for idle people.
  if (summary.state === 'idle') return 'Idle';
  // Zulip's `last_active_date` treats 0 like no data.
  if (!summary.lastActiveAt) return noDataLabel(historyDays);
  return `Active ${relative(summary.lastActiveAt, nowSec, timeZone, LAST_SEEN)}`;
}

/**
 * Zulip's general relative time ("Just now", "5 minutes ago", "An hour ago", "Yesterday",
 * "Jul 27"), used for the breakdown's "last reported" column.
 */
export function relativeTimeLabel(timestampSec: number, nowSec: number, timeZone?: string): string {
  return relative(timestampSec, nowSec, timeZone, RELATIVE);
}

interface Wording {
  justNow: string | null;
  minutes: (n: number) => string;
  anHour: string;
  hours: (n: number) => string;
  yesterday: string;
  days: (n: number) => string;
}

// No singular forms: Zulip's strings are "{minutes} minutes ago" even for 1.
const LAST_SEEN: Wording = {
  justNow: null,
  minutes: (n) => `${n} minutes ago`,
  anHour: 'an hour ago',
  hours: (n) => `${n} hours ago`,
  yesterday: 'yesterday',
  days: (n) => `${n} days ago`,
};

const RELATIVE: Wording = {
  justNow: 'Just now',
  minutes: (n) => `${n} minutes ago`,
  anHour: 'An hour ago',
  hours: (n) => `${n} hours ago`,
  yesterday: 'Yesterday',
  days: (n) => `${n} days ago`,
};

function relative(thenSec: number, nowSec: number, timeZone: string | undefined, w: Wording): string {
  // date-fns differenceInMinutes truncates.
  const minutes = Math.max(0, Math.trunc((nowSec - thenSec) / 60));
  // relative_time_string_from_date says "Just now" up to and including 2 minutes.
  if (w.justNow !== null && minutes <= 2) return w.justNow;
  if (minutes < 60) return w.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? w.anHour : w.hours(hours);
  // Only past 24 hours does the calendar count: 23 hours across midnight is still "23 hours ago".
  const then = thenSec * 1000;
  const now = nowSec * 1000;
  const zone = usableZone(timeZone);
  const daysOld = Math.round(dayNumber(now, zone) - dayNumber(then, zone));
  if (daysOld === 1) return w.yesterday;
  if (daysOld < 90) return w.days(daysOld);
  // Day 90 exactly falls through to the dated form with a year, as in Zulip (`days_old > 90`).
  // Zulip compares getFullYear() in the browser's zone; we compare in the display zone, which is
  // the same thing whenever the display zone is the browser's.
  if (daysOld > 90 && yearOf(then, zone) === yearOf(now, zone)) {
    return formatter(zone, false).format(then);
  }
  return formatter(zone, true).format(then);
}

// Intl formatters are costly to build and labels re-render every 30 s: cache per zone.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** An invalid zone (e.g. a stale IANA name from a profile) falls back to the runtime's zone. */
function usableZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  if (partsFormatters.has(timeZone)) return timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function partsFormatter(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let f = partsFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hourCycle: 'h23',
    });
    partsFormatters.set(key, f);
  }
  return f;
}

/** "Jul 27" (Zulip's "dayofyear") or "Jul 27, 2016" ("dayofyear_year"). */
function formatter(zone: string | undefined, withYear: boolean): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${withYear}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      month: 'short',
      day: 'numeric',
      ...(withYear ? { year: 'numeric' } : {}),
    });
    dateFormatters.set(key, f);
  }
  return f;
}

/** The calendar date of an instant in a zone, as a UTC-midnight day number. */
function dayNumber(ms: number, zone: string | undefined): number {
  let y = 0;
  let m = 0;
  let d = 0;
  for (const p of partsFormatter(zone).formatToParts(ms)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') m = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
  }
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function yearOf(ms: number, zone: string | undefined): number {
  const part = partsFormatter(zone)
    .formatToParts(ms)
    .find((p) => p.type === 'year');
  return Number(part?.value);
}

/** Zulip's time_zone_util.difference_in_calendar_days: whole calendar days in the viewer's zone. */
export function calendarDaysBetween(laterMs: number, earlierMs: number, timeZone?: string): number {
  const zone = usableZone(timeZone);
  return Math.round(dayNumber(laterMs, zone) - dayNumber(earlierMs, zone));
}
