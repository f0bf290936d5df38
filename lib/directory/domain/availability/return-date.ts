// "back on Monday", "back 14 Dec", "until 2026-12-14": the return date a status names, read only
// from unambiguous forms (docs/architecture.md §18). Numeric dates such as 14/12 or 12/14 are
// never read: the same text means different days in different countries.

import { MONTHS, MONTHS_BEFORE_DAY, WEEKDAYS } from '@/lib/directory/domain/availability/calendar-words';
import { WORD_END, WORD_START, wordsPattern } from '@/lib/directory/domain/availability/text';
import { isCalendarHint, type CalendarHint, type ReturnHint } from '@/lib/directory/domain/availability/return-day';
import { isCalendarDate } from '@/lib/directory/domain/availability/zoned-time';

/** Phrases that announce a return, and so an absence on their own ("Back on Monday"). */
const RETURN_MARKERS = [
  'back', 'returning', 'return', 'returns', 'zurück', 'wieder da', 'wieder im büro', 'de retour', 'retour',
  'vuelvo', 'de vuelta', 'regreso', 'volto', 'de volta', 'retorno',
];
/** Phrases that bound a time ("until Friday"): a date only in a status already read as out. */
const UNTIL_MARKERS = ['until', 'till', 'til', "'til", 'through', 'to', 'bis', "jusqu'au", "jusqu'à", 'au', 'hasta', 'al', 'até'];
/** Words that may come between a marker and its date ("back on the 14th"); "ab": "zurück ab Montag". */
const FILLER_WORDS = ['on', 'the', 'am', 'ab', 'zum', 'le', 'el', 'la', 'na', 'no', 'em', 'o', 'a', 'dia', 'de'];
const filler = (words: string[]) => `(?:\\s*,)?(?:\\s+(?:${wordsPattern(words)}))*\\s+`;
const FILLER = filler(FILLER_WORDS);
/**
 * In a status that already says an absence, "from" (starting on) may come between too: "OOO,
 * back from 5 Jan" names the return. Not in one that does not: "Back from Monday's offsite" is
 * an absence that is over.
 */
const FILLER_IN_ABSENCE = filler([...FILLER_WORDS, 'from', 'à partir du', 'à partir de', 'a partir del', 'a partir de', 'desde el', 'desde']);
const TOMORROW = ['tomorrow', 'morgen', 'demain', 'mañana', 'amanhã'];
/**
 * Phrases that start a time ("OOO from 22 Dec"): an absence said ahead of time. Only with a
 * calendar date, which passes; "from Monday" or "tomorrow" would roll on every day they are read.
 */
const START_MARKERS = ['from', 'starting', 'starting on', 'beginning', 'ab', 'ab dem', 'vom', 'du', 'à partir du', 'à partir de', 'dès le', 'del', 'a partir del', 'a partir de', 'desde el', 'desde'];
/** After these a start word says a return instead: "available from 5 Jan", "working again from 5 Jan". */
const RETURN_BEFORE_START = [
  'available', 'reachable', 'in the office', 'online', 'working', 'again', 'back', 'returning', 'erreichbar',
  'wieder', 'wieder da', 'zurück', 'im büro', 'disponible', 'de nouveau', 'de retour', 'de vuelta', 'disponível', 'de volta',
];

const monthAlt = wordsPattern([...MONTHS.keys()]);
const monthBeforeDayAlt = wordsPattern([...MONTHS_BEFORE_DAY.keys()]);
const weekdayAlt = wordsPattern([...WEEKDAYS.keys()]);
/** A weekday before a date ("Monday, 5 January") is read as part of it: the date decides. */
const weekdayBefore = `(?:(?:${weekdayAlt})\\.?,?\\s+)?`;
/** A calendar day: an ISO date, or a day and a month; its groups' names start with `p`. */
const calendarDate = (p: string) =>
  `(?<${p}iso>(?<${p}y>\\d{4})-(?<${p}m>\\d{1,2})-(?<${p}d>\\d{1,2}))` +
  `|${weekdayBefore}(?<${p}dmDay>\\d{1,2})(?:st|nd|rd|th|\\.|º)?(?:\\s+(?:de|of))?\\s+(?<${p}dmMonth>${monthAlt})\\.?(?:,?\\s+(?<${p}dmYear>\\d{4}))?` +
  `|${weekdayBefore}(?<${p}mdMonth>${monthBeforeDayAlt})\\.?\\s+(?<${p}mdDay>\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(?<${p}mdYear>\\d{4}))?`;
const DATE = `${calendarDate('')}|(?<weekday>${weekdayAlt})|(?<tomorrow>${wordsPattern(TOMORROW)})`;
/** A marker, then its date; `notAfter`: words that may not come before the marker (checked only where a marker is). */
function pattern(markers: string[], between = FILLER, notAfter: string[] = []): RegExp {
  const marker = wordsPattern(markers);
  const guard = notAfter.length > 0 ? `(?<!(?:${wordsPattern(notAfter)})[\\s,:]*(?:${marker}))` : '';
  return new RegExp(`${WORD_START}(?:${marker})${guard}${between}(?:${DATE})${WORD_END}`, 'u');
}
const RETURN = pattern(RETURN_MARKERS);
const RETURN_IN_ABSENCE = pattern(RETURN_MARKERS, FILLER_IN_ABSENCE);
const UNTIL = pattern(UNTIL_MARKERS);
const START = pattern(START_MARKERS, FILLER, RETURN_BEFORE_START);
/**
 * Between the two days of a range: a dash or an "until" word ("22 Dec - 3 Jan", "du 22 au 30
 * décembre"), or "a" ("de 5 a 9 de outubro", "de 5 a 9 de diciembre": between two days only).
 */
const TO = `(?:\\s*-\\s*|\\s+(?:${wordsPattern([...UNTIL_MARKERS, 'a'])})\\s+)`;
const DAY = (name: string) => `(?<${name}>\\d{1,2})(?:st|nd|rd|th|\\.|º)?`;
/**
 * Two calendar days, the first and the last day away: "Dec 20 - Jan 3", or two days of one month
 * ("20-23 Dec", "Dec 20-23", "del 22 al 30 de diciembre"). Two whole dates are tried first, so
 * "Dec 20 - 23 Jan" is not read as 20 to 23 December.
 */
const RANGE = new RegExp(
  `${WORD_START}(?:(?:${calendarDate('a')})${TO}(?:${calendarDate('b')})` +
    `|${DAY('rd1')}${TO}${DAY('rd2')}(?:\\s+(?:de|of))?\\s+(?<rdMonth>${monthAlt})\\.?(?:,?\\s+(?<rdYear>\\d{4}))?` +
    `|(?<rmMonth>${monthBeforeDayAlt})\\.?\\s+${DAY('rm1')}${TO}${DAY('rm2')}(?:,?\\s+(?<rmYear>\\d{4}))?)${WORD_END}`,
  'u',
);

/**
 * The return date in folded status text (text.ts), whether the phrase itself says the person is
 * away ("back …", not "until …"), and where it stands in the text; null when the text names no
 * date this reader is sure of. `absent`: the text already says an absence, so "back from 5 Jan"
 * is a return.
 */
export function readReturnHint(folded: string, absent = false): { hint: ReturnHint; announcesAbsence: boolean; at: number } | null {
  const back = (absent ? RETURN_IN_ABSENCE : RETURN).exec(folded);
  const match = back ?? UNTIL.exec(folded);
  const hint = match?.groups ? hintOf(match.groups) : null;
  return hint ? { hint, announcesAbsence: back !== null, at: match!.index } : null;
}

/**
 * The day an absence starts, when the folded text of an out status names it with a start word and
 * a calendar date ("OOO from 22 Dec", "Urlaub: ab 2027-01-04"), not after a word of return
 * ("available from 5 Jan"), and where it stands; null otherwise.
 */
export function readStartDate(folded: string): { hint: CalendarHint; at: number } | null {
  const match = START.exec(folded);
  const hint = match?.groups ? hintOf(match.groups) : null;
  return isCalendarHint(hint) ? { hint, at: match!.index } : null;
}

/** The first and last day of the first range of calendar days in folded text (RANGE), and where it stands; null when there is none. */
export function readRange(folded: string): { first: CalendarHint; last: CalendarHint; at: number } | null {
  const match = RANGE.exec(folded);
  const g = match?.groups;
  if (!g) return null;
  const monthName = g.rdMonth ?? g.rmMonth;
  const [first, last] = monthName ? daysOfOneMonth(monthName, Number(g.rd1 ?? g.rm1), Number(g.rd2 ?? g.rm2), g.rdYear ?? g.rmYear) : [hintOf(g, 'a'), hintOf(g, 'b')];
  return isCalendarHint(first) && isCalendarHint(last) ? { first, last, at: match!.index } : null;
}

/** "20-23 Dec": both days in that month; "23-20 Dec" is no range. */
function daysOfOneMonth(monthName: string, from: number, to: number, year: string | undefined): [CalendarHint | null, CalendarHint | null] {
  return from < to ? [dayAndMonth(monthName, from, year), dayAndMonth(monthName, to, year)] : [null, null];
}

/** The hint a match's groups name; `p`: the prefix of the groups' names (calendarDate). */
function hintOf(g: Record<string, string | undefined>, p = ''): ReturnHint | null {
  if (g[`${p}iso`]) return validDate(Number(g[`${p}y`]), Number(g[`${p}m`]), Number(g[`${p}d`]));
  const monthName = g[`${p}dmMonth`] ?? g[`${p}mdMonth`];
  if (monthName) {
    return dayAndMonth(monthName, Number(g[`${p}dmDay`] ?? g[`${p}mdDay`]), g[`${p}dmYear`] ?? g[`${p}mdYear`]);
  }
  if (g.weekday) return { kind: 'weekday', weekday: WEEKDAYS.get(g.weekday)! };
  if (g.tomorrow) return { kind: 'tomorrow' };
  return null;
}

function dayAndMonth(monthName: string, day: number, year: string | undefined): CalendarHint | null {
  const month = MONTHS.get(monthName.replace(/\s+/g, ' '))!;
  if (year) return validDate(Number(year), month, day);
  // 29 February is a real date in some year: checked against a leap year.
  return validDate(2000, month, day) ? { kind: 'day-month', month, day } : null;
}

function validDate(year: number, month: number, day: number): Extract<ReturnHint, { kind: 'date' }> | null {
  return isCalendarDate(year, month, day) ? { kind: 'date', year, month, day } : null;
}
