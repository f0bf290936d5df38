// One availability answer per person at a given instant: presence, plus out, busy and working
// hours (docs/architecture.md §18). Pure and isomorphic: the server answers with it, and the
// browser recomputes it as its clock moves, so crossing a working-hours boundary changes the
// answer with no new data.

import { isCalendarHint, resolveReturn, resolveStart } from '@/lib/directory/domain/availability/return-day';
import type { StatusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import { withinWorkingHours, type WorkingHours } from '@/lib/directory/domain/availability/working-time';
import { isoDate, wallTime } from '@/lib/directory/domain/availability/zoned-time';

export interface Availability {
  /** Active or idle, not out, and within working hours where they are known. */
  reachable: boolean;
  /**
   * `until`: YYYY-MM-DD in their zone, when the status names a date; `lastDay`: that date is the
   * last day away ("until Friday"), not the day back ("back on Monday").
   */
  out: { reason: string; until: string | null; lastDay: boolean } | null;
  busy: boolean;
  workingHours: WorkingHours | null;
  /** null when the hours are unknown. */
  withinWorkingHours: boolean | null;
}

/** What the answer is computed from, all of it on the Person (lib/directory/domain/types.ts). */
export interface AvailabilityInputs {
  timezone: string;
  statusMeaning: StatusMeaning | null;
  workingHours: WorkingHours | null;
}

export type PresenceState = 'active' | 'idle' | 'offline';

/** The answer at `nowMs` (Unix ms) for someone whose presence is `state` (null: not shown). */
export function availabilityAt(person: AvailabilityInputs, state: PresenceState | null, nowMs: number): Availability {
  const out = outAt(person, nowMs);
  const within = person.workingHours ? withinWorkingHours(person.workingHours, nowMs) : null;
  return {
    reachable: (state === 'active' || state === 'idle') && !out && within !== false,
    out,
    busy: person.statusMeaning?.kind === 'busy',
    workingHours: person.workingHours,
    withinWorkingHours: within,
  };
}

/** UTC−12: with no zone (or one this runtime does not know), a day is over only once it is over everywhere. */
const LAST_ZONE = 'Etc/GMT+12';

/**
 * Out, with the return day the status names; null when the status says nothing of the kind,
 * before the day it says the absence starts, or once the return day has passed in their zone:
 * the status was not cleared, and by its own words the absence is over (its text still shows).
 */
export function outAt(person: Pick<AvailabilityInputs, 'statusMeaning' | 'timezone'>, nowMs: number): Availability['out'] {
  const meaning = person.statusMeaning;
  if (meaning?.kind !== 'out') return null;
  const timeZone = person.timezone;
  const theirs = timeZone ? wallTime(nowMs, timeZone) : null;
  const today = theirs ?? wallTime(nowMs, LAST_ZONE)!;
  const todayIso = isoDate(today.year, today.month, today.day);
  const hint = meaning.returns;
  // A relative date ("back on Monday", "tomorrow") needs today in their zone: without it, only a
  // calendar day is known ("14 Dec" or with its year; a day and month's year hardly depends on the zone).
  const until = !hint || (!theirs && (hint.kind === 'weekday' || hint.kind === 'tomorrow')) ? null : resolveReturn(hint, today);
  // Said ahead of time ("OOO from 22 Dec"): not out before that day, placed before a calendar return.
  const calendarReturn = isCalendarHint(hint) ? until : null;
  if (meaning.starts && resolveStart(meaning.starts, today, calendarReturn) > todayIso) return null;
  if (until !== null && until < todayIso) return null;
  return { reason: meaning.reason, until, lastDay: until !== null && meaning.lastDay };
}
