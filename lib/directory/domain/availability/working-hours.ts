// Working hours as people write them in a profile field ("09:00–17:30", "9am-5pm",
// "Mon–Thu 8–16", "9-17 CET", "Mo-Fr 9:00-18:00", "24/7"), read on the server
// (docs/architecture.md §18); when they hold is working-time.ts, which the browser needs without
// these word lists. A value this reader cannot read whole is unknown: no part of it is guessed.

import { WEEKDAYS_AND_SHORT } from '@/lib/directory/domain/availability/calendar-words';
import { foldText, wordsPattern } from '@/lib/directory/domain/availability/text';
import type { WorkingHours } from '@/lib/directory/domain/availability/working-time';

export interface ParsedHours {
  days: number[];
  start: number;
  end: number;
  /** An IANA zone the text names ("9-17 CET"), else null: the person's own zone. */
  zone: string | null;
}

const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/**
 * Zone abbreviations read as one zone. Ambiguous ones (CST: US Central or China; IST: India,
 * Ireland or Israel) are not read, so hours naming them are unknown.
 */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  utc: 'UTC', gmt: 'UTC', z: 'UTC',
  cet: 'Europe/Berlin', cest: 'Europe/Berlin', mez: 'Europe/Berlin', mesz: 'Europe/Berlin',
  wet: 'Europe/Lisbon', west: 'Europe/Lisbon', eet: 'Europe/Athens', eest: 'Europe/Athens', bst: 'Europe/London',
  et: 'America/New_York', est: 'America/New_York', edt: 'America/New_York',
  pt: 'America/Los_Angeles', pst: 'America/Los_Angeles', pdt: 'America/Los_Angeles',
  mst: 'America/Denver', mdt: 'America/Denver', brt: 'America/Sao_Paulo', jst: 'Asia/Tokyo',
  aest: 'Australia/Sydney', aedt: 'Australia/Sydney',
};

const DAY_WORDS: Record<string, number[]> = {
  weekdays: MONDAY_TO_FRIDAY, werktags: MONDAY_TO_FRIDAY, 'en semaine': MONDAY_TO_FRIDAY, 'dias uteis': MONDAY_TO_FRIDAY, 'dias laborables': MONDAY_TO_FRIDAY,
  daily: EVERY_DAY, 'every day': EVERY_DAY, taglich: EVERY_DAY, 'tous les jours': EVERY_DAY, 'todos los dias': EVERY_DAY, 'todos os dias': EVERY_DAY,
};

const DAY = `(?:${wordsPattern([...WEEKDAYS_AND_SHORT.keys()])})\\.?`;
const DAY_ITEM = `${DAY}(?:\\s*-\\s*${DAY})?`;
const DAYS = `(?:${wordsPattern(Object.keys(DAY_WORDS))}|${DAY_ITEM}(?:\\s*(?:,|/|\\+|&|and|und|et|y|e)\\s*${DAY_ITEM})*)`;
// The am/pm must end a word: "17 America/…" is not 5 pm.
const TIME = '\\d{1,2}(?:[:.h]\\d{2})?(?:\\s*(?:a\\.?m\\.?|p\\.?m\\.?|h)(?![a-z]))?';
const RANGE = `(?<from>${TIME})\\s*(?:-|to|bis|a|ate|au|–)\\s*(?<to>${TIME})`;
const ZONE = '(?<zone>[a-z]{1,5}|[a-z]+/[a-z_]+(?:/[a-z_]+)?)';
const FORMS = [
  new RegExp(`^(?:(?<days>${DAYS})\\s*:?\\s*,?\\s*)?${RANGE}(?:\\s*\\(?${ZONE}\\)?)?$`, 'u'),
  new RegExp(`^${RANGE}\\s*,?\\s*(?<days>${DAYS})(?:\\s*\\(?${ZONE}\\)?)?$`, 'u'),
];

/** Reads a working-hours value; null when any part of it cannot be read. */
export function parseWorkingHours(text: string): ParsedHours | null {
  const folded = foldText(text).replace(/\s+(?:-|–)\s+/g, '-');
  if (/^24\s*[/x]\s*7$/.test(folded)) return { days: EVERY_DAY, start: 0, end: 1440, zone: null };
  for (const form of FORMS) {
    const g = form.exec(folded)?.groups;
    if (!g) continue;
    // A form that does not read whole gives way to the next ("9-17 Mon": not a zone, days).
    const zone = g.zone === undefined ? null : zoneOf(g.zone);
    const days = g.days === undefined ? MONDAY_TO_FRIDAY : daysOf(g.days);
    const range = rangeOf(g.from!, g.to!);
    if (zone !== undefined && days && range) return { days, ...range, zone };
  }
  return null;
}

function zoneOf(name: string): string | null | undefined {
  const abbreviation = ZONE_ABBREVIATIONS[name];
  if (abbreviation) return abbreviation;
  if (!name.includes('/')) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function daysOf(text: string): number[] | null {
  const word = DAY_WORDS[text];
  if (word) return word;
  const days = new Set<number>();
  for (const item of text.split(/\s*(?:,|\/|\+|&|\sand\s|\sund\s|\set\s|\sy\s|\se\s)\s*/)) {
    const [first, last] = item.split(/\s*-\s*/).map((name) => WEEKDAYS_AND_SHORT.get(name.replace(/\.$/, '')));
    if (first === undefined) return null;
    if (last === undefined && item.includes('-')) return null;
    // A range may wrap past Sunday ("Fri-Mon").
    for (let d = first, n = 0; n < 7; d = (d + 1) % 7, n++) {
      days.add(d);
      if (d === (last ?? first)) break;
    }
  }
  return days.size ? [...days].sort((a, b) => a - b) : null;
}

interface Clock {
  hour: number;
  minute: number;
  meridiem: 'am' | 'pm' | null;
}

function clockOf(text: string): Clock | null {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|h)?$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const meridiem = m[3]?.startsWith('a') ? 'am' : m[3]?.startsWith('p') ? 'pm' : null;
  if (minute > 59 || (meridiem ? hour < 1 || hour > 12 : hour > 24)) return null;
  return { hour, minute, meridiem };
}

const to24 = (c: Clock, meridiem: 'am' | 'pm') => ((c.hour % 12) + (meridiem === 'pm' ? 12 : 0)) * 60 + c.minute;

/**
 * Start and end in minutes. "9-5pm": the start takes the end's half of the day when that keeps
 * it before the end (1-5pm is 13-17), else the morning. "9-5" with no am/pm anywhere reads as
 * 9 to 17, the common way of writing a day (12:30-8:30 is 12:30 to 20:30); "22-6" stays a night
 * (it passes midnight).
 */
function rangeOf(fromText: string, toText: string): { start: number; end: number } | null {
  const from = clockOf(fromText);
  const to = clockOf(toText);
  if (!from || !to) return null;
  let start: number;
  let end: number;
  if (from.meridiem || to.meridiem) {
    const toMeridiem = to.meridiem ?? (from.meridiem === 'am' && to.hour < from.hour ? 'pm' : from.meridiem!);
    end = to24(to, toMeridiem);
    const sameHalf = to24(from, toMeridiem);
    start = from.meridiem ? to24(from, from.meridiem) : sameHalf < end ? sameHalf : to24(from, 'am');
  } else {
    start = from.hour * 60 + from.minute;
    end = to.hour * 60 + to.minute;
    if (end < start && from.hour <= 12 && end + 12 * 60 > start && to.hour < 12) end += 12 * 60;
  }
  if (start >= 1440 || end > 1440 || start === end) return null;
  return { start, end };
}

export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A person's working hours: their field's value, or else the organization's default; in the zone
 * the text names, else theirs. Unknown (null) when the value cannot be read (the default is not
 * used in its place: the person said something, just not something readable), or when neither
 * the text nor the person gives a zone.
 */
export function workingHoursOf(value: string | null, orgDefault: string | null, personZone: string): WorkingHours | null {
  const text = value ?? orgDefault;
  if (!text) return null;
  const parsed = parseWorkingHours(text);
  const timeZone = parsed?.zone ?? personZone;
  if (!parsed || !timeZone) return null;
  return { text, days: parsed.days, start: hhmm(parsed.start), end: hhmm(parsed.end), timeZone };
}
