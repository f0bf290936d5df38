// The calendar day a return date means once "today" is known (docs/architecture.md §18): date
// arithmetic only, which every row recomputes in the browser. Reading the date out of a status's
// words is return-date.ts, whose word lists stay out of the page's first load.

import { addDays, isoDate, type WallTime } from '@/lib/directory/domain/availability/zoned-time';

/** A return date as the text says it; a calendar date only once "today" is known (resolveReturn). */
export type ReturnHint =
  | { kind: 'date'; year: number; month: number; day: number }
  | { kind: 'day-month'; month: number; day: number }
  | { kind: 'weekday'; weekday: number }
  | { kind: 'tomorrow' };

/**
 * The calendar date a hint means, given today in the person's zone: a weekday is the next one
 * after today ("back on Monday" said on a Monday is a week away), a day and month the next
 * one from today on.
 */
export function resolveReturn(hint: ReturnHint, today: Pick<WallTime, 'year' | 'month' | 'day' | 'weekday'>): string {
  switch (hint.kind) {
    case 'date':
      return isoDate(hint.year, hint.month, hint.day);
    case 'tomorrow': {
      const d = addDays(today.year, today.month, today.day, 1);
      return isoDate(d.year, d.month, d.day);
    }
    case 'weekday': {
      const d = addDays(today.year, today.month, today.day, ((hint.weekday - today.weekday + 6) % 7) + 1);
      return isoDate(d.year, d.month, d.day);
    }
    case 'day-month': {
      const thisYear = hint.month > today.month || (hint.month === today.month && hint.day >= today.day);
      let year = thisYear ? today.year : today.year + 1;
      // 29 February: the next year that has one.
      while (new Date(Date.UTC(year, hint.month - 1, hint.day)).getUTCDate() !== hint.day) year++;
      return isoDate(year, hint.month, hint.day);
    }
  }
}
