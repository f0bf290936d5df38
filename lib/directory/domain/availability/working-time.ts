// When working hours hold, at a given instant (docs/architecture.md §18): pure and isomorphic, the
// same on the server and in the browser, which recomputes availability as its clock moves. How a
// profile's text is read into these hours is working-hours.ts, on the server.

import { addDays, instantOf, wallTime } from '@/lib/directory/domain/availability/zoned-time';

/** Working hours as the API sends them (docs/architecture.md §18). */
export interface WorkingHours {
  /** As written (or the organization's default, DIRECTORY_WORKING_HOURS). */
  text: string;
  /** 0 Sunday … 6 Saturday, ascending. */
  days: number[];
  /** "HH:MM" on the person's clock; `end` may be "24:00", and before `start` when hours pass midnight. */
  start: string;
  end: string;
  /** IANA zone the hours are in: the person's Zulip zone, or one the text names. */
  timeZone: string;
}

const minutesOf = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

/** Whether `ms` falls within the hours; hours that pass midnight belong to the day they start. */
export function withinWorkingHours(hours: WorkingHours, ms: number): boolean | null {
  const now = wallTime(ms, hours.timeZone);
  if (!now) return null;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const today = hours.days.includes(now.weekday);
  if (start < end) return today && now.minutes >= start && now.minutes < end;
  const yesterday = hours.days.includes((now.weekday + 6) % 7);
  return (today && now.minutes >= start) || (yesterday && now.minutes < end);
}

/**
 * Whether each of `list` holds `ms`: 1 within, 0 outside, 2 unknown zone. Thousands of distinct
 * hours share a few dozen zones: each zone's clock is read from Intl once a minute (wallTime).
 */
export function withinEach(list: readonly WorkingHours[], ms: number): Uint8Array {
  return Uint8Array.from(list, (hours) => {
    const within = withinWorkingHours(hours, ms);
    return within === null ? 2 : within ? 1 : 0;
  });
}

/** The next instant (ms) the hours begin after `ms`, within a week; null when they never do. */
export function nextWorkingStart(hours: WorkingHours, ms: number): number | null {
  const now = wallTime(ms, hours.timeZone);
  if (!now) return null;
  const start = minutesOf(hours.start);
  for (let offset = 0; offset <= 7; offset++) {
    const day = addDays(now.year, now.month, now.day, offset);
    if (!hours.days.includes(day.weekday)) continue;
    const at = instantOf(day.year, day.month, day.day, start, hours.timeZone);
    if (at > ms) return at;
  }
  return null;
}
