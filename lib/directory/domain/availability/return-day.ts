// The calendar day a return date means once "today" is known (docs/architecture.md §18): date
// arithmetic only, which every row recomputes in the browser. Reading the date out of a status's
// words is return-date.ts, whose word lists stay out of the page's first load.

import { addDays, isCalendarDate, isoDate, type WallTime } from '@/lib/directory/domain/availability/zoned-time';

/** A return date as the text says it; a calendar date only once "today" is known (resolveReturn). */
export type ReturnHint =
  | { kind: 'date'; year: number; month: number; day: number }
  | { kind: 'day-month'; month: number; day: number }
  | { kind: 'weekday'; weekday: number }
  | { kind: 'tomorrow' };

/** A hint that names a calendar day (a date, or a day and month), which passes, unlike a weekday or "tomorrow". */
export type CalendarHint = Extract<ReturnHint, { kind: 'date' | 'day-month' }>;

export function isCalendarHint(hint: ReturnHint | null | undefined): hint is CalendarHint {
  return hint?.kind === 'date' || hint?.kind === 'day-month';
}

/**
 * The calendar date a hint means, given today in the person's zone: a weekday is the next one
 * after today ("back on Monday" said on a Monday is a week away); a day and month the first one
 * from RECENTLY_PASSED_DAYS ago on: "back 14 Dec" read on 15 Dec is yesterday, a status not
 * cleared (answer.ts: no longer out), not an absence of a year.
 */
export function resolveReturn(hint: ReturnHint, today: Pick<WallTime, 'year' | 'month' | 'day' | 'weekday'>): string {
  switch (hint.kind) {
    case 'date':
      return isoDate(hint.year, hint.month, hint.day);
    case 'tomorrow':
      return daysFrom(today, 1);
    case 'weekday':
      return daysFrom(today, ((hint.weekday - today.weekday + 6) % 7) + 1);
    case 'day-month':
      return firstOnOrAfter(hint, daysFrom(today, -RECENTLY_PASSED_DAYS));
  }
}

type DayMonth = Extract<ReturnHint, { kind: 'day-month' }>;

/** YYYY-MM-DD `days` after `today` (before it when negative). */
function daysFrom(today: Pick<WallTime, 'year' | 'month' | 'day'>, days: number): string {
  const d = addDays(today.year, today.month, today.day, days);
  return isoDate(d.year, d.month, d.day);
}

/** The first such day on or after `iso` (29 February: in a year that has one). */
function firstOnOrAfter(hint: DayMonth, iso: string): string {
  for (let year = Number(iso.slice(0, 4)); ; year++) {
    const date = isoDate(year, hint.month, hint.day);
    if (isCalendarDate(year, hint.month, hint.day) && date >= iso) return date;
  }
}

/** The last such day on or before `iso` (29 February: four years back cover it). */
function lastOnOrBefore(hint: DayMonth, iso: string): string {
  for (let year = Number(iso.slice(0, 4)); ; year--) {
    const date = isoDate(year, hint.month, hint.day);
    if (isCalendarDate(year, hint.month, hint.day) && date <= iso) return date;
  }
}

/**
 * How long ago a day and month may be to mean the one that has passed rather than the next.
 * Absences are said ahead of time, rarely nine months ahead without a year; a forgotten status
 * is met soon after its day.
 */
const RECENTLY_PASSED_DAYS = 90;

/** How far ahead a day and month may be to mean the coming one as a start; further, the last one. */
const START_AHEAD_DAYS = 90;

/**
 * The day an absence starts ("OOO from 22 Dec"), given today in the person's zone and the return
 * day when the status names a calendar one: a day and month is then the last such day on or
 * before the return ("from 22 Dec until 3 Jan" read in September is this December's). Without a
 * return, the coming one when it is at most START_AHEAD_DAYS away (absences are said a little
 * ahead), else the last one on or before today ("Parental leave from 1 Sep", months on).
 */
export function resolveStart(
  hint: CalendarHint,
  today: Pick<WallTime, 'year' | 'month' | 'day'>,
  returnDay: string | null,
): string {
  if (hint.kind === 'date') return isoDate(hint.year, hint.month, hint.day);
  if (returnDay !== null) return lastOnOrBefore(hint, returnDay);
  const todayIso = daysFrom(today, 0);
  const coming = firstOnOrAfter(hint, todayIso);
  return coming <= daysFrom(today, START_AHEAD_DAYS) ? coming : lastOnOrBefore(hint, todayIso);
}
