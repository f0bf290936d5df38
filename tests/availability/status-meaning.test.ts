import { describe, expect, it } from 'vitest';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import { readReturnHint } from '@/lib/directory/domain/availability/return-date';
import { resolveReturn } from '@/lib/directory/domain/availability/return-day';
import { foldText } from '@/lib/directory/domain/availability/text';
import { availabilityAt } from '@/lib/directory/domain/availability/answer';

const text = (t: string, emojiName: string | null = null) => statusMeaning({ text: t, emojiName });
const kind = (t: string, emojiName: string | null = null) => text(t, emojiName)?.kind ?? null;

describe('statusMeaning', () => {
  it.each([
    // Zulip's own defaults (web/src/user_status_ui.ts)
    ['Vacationing', 'out'],
    ['Out sick', 'out'],
    ['Busy', 'busy'],
    ['In a meeting', 'busy'],
    ['Commuting', null],
    ['Working remotely', null],
    ['At the office', null],
    // English
    ['OOO until Friday', 'out'],
    ['Out of office', 'out'],
    ['On parental leave', 'out'],
    ['Public holiday', 'out'],
    ['sick today', 'out'],
    // German
    ['Im Urlaub', 'out'],
    ['Krank', 'out'],
    ['Elternzeit bis 2027-03-01', 'out'],
    ['In einer Besprechung', 'busy'],
    // French
    ['En congé', 'out'],
    ['En vacances', 'out'],
    ['En réunion', 'busy'],
    // Spanish
    ['De vacaciones', 'out'],
    ['Baja médica', 'out'],
    ['En una reunión', 'busy'],
    // Portuguese
    ['De férias', 'out'],
    ['Licença maternidade', 'out'],
    ['De licença', 'out'],
    ['De licencia hasta el lunes', 'out'],
    // Words with another sense, alone: not leave.
    ['Esperando permiso de seguridad', null],
    ['Renovando a licença do software', null],
    ['Revisando la licencia del producto', null],
    ['Em reunião', 'busy'],
    // Not out: no listed word, a word inside another, or an absence that is over
    ['Back from vacation, catching up', null],
    ['De retour de vacances', null],
    ['Hiring! Ask me about open roles', null],
    ['Focusing, replies may be slow', 'busy'],
    ['Sicko mode', null],
    ['Holidaymaker app launch', null],
    ['', null],
  ])('%j is %s', (t, expected) => {
    expect(kind(t)).toBe(expected);
  });

  it("reads Zulip's out and busy emoji when the text says nothing, keeping the text as written", () => {
    expect(text('', 'palm_tree')).toEqual({ kind: 'out', reason: 'Vacationing', returns: null, lastDay: false, starts: null });
    expect(text('', 'hurt')).toEqual({ kind: 'out', reason: 'Out sick', returns: null, lastDay: false, starts: null });
    expect(text('Beach 🌴', 'palm_tree')).toEqual({ kind: 'out', reason: 'Beach 🌴', returns: null, lastDay: false, starts: null });
    expect(text('', 'calendar')).toEqual({ kind: 'busy', reason: 'In a meeting', returns: null, lastDay: false, starts: null });
    expect(kind('', 'some_custom_realm_emoji')).toBeNull();
    expect(kind('Back from vacation', 'palm_tree')).toBeNull();
  });

  it('keeps odd text as written: markup and right-to-left text', () => {
    expect(text('**Vacationing** <b>x</b>')?.reason).toBe('**Vacationing** <b>x</b>');
    expect(kind('في إجازة')).toBeNull();
    expect(text('\u202eOOO\u202c')?.kind).toBe('out');
  });

  it('"back on Monday" is out on its own; "until Friday" is a date only for an absence', () => {
    expect(text('Back on Monday')).toEqual({ kind: 'out', reason: 'Back on Monday', returns: { kind: 'weekday', weekday: 1 }, lastDay: false, starts: null });
    expect(text('In a meeting until Friday')).toEqual({ kind: 'busy', reason: 'In a meeting until Friday', returns: null, lastDay: false, starts: null });
  });

  it('"until Friday" names the last day away, "back on Monday" the day back', () => {
    expect(text('OOO through 2026-12-18')).toEqual({ kind: 'out', reason: 'OOO through 2026-12-18', returns: { kind: 'date', year: 2026, month: 12, day: 18 }, lastDay: true, starts: null });
    expect(text('Urlaub bis 14. Dezember')?.lastDay).toBe(true);
    expect(text('', 'palm_tree')?.lastDay).toBe(false);
    expect(text('Vacation, back 4 Jan', 'palm_tree')?.lastDay).toBe(false);
  });

  it('"back from" is an absence that is over, a day named after it too ("Back from Monday\'s offsite"); "zurück ab Montag" is a return', () => {
    expect(kind('Back from Monday\'s offsite, catching up')).toBeNull();
    expect(kind('Back from the 3 Dec offsite')).toBeNull();
    expect(kind('Back from vacation', 'palm_tree')).toBeNull();
    expect(text('Urlaub, zurück ab Montag')).toMatchObject({ kind: 'out', returns: { kind: 'weekday', weekday: 1 } });
    // In a status that says an absence, "back from" a date is its return ("from": starting on).
    expect(text('OOO, back from 5 Jan')).toMatchObject({ kind: 'out', returns: { kind: 'day-month', month: 1, day: 5 } });
    expect(text('Vacation, back from Monday')).toMatchObject({ kind: 'out', returns: { kind: 'weekday', weekday: 1 } });
    expect(text('En congé, de retour à partir du 5 janvier')).toMatchObject({ kind: 'out', returns: { kind: 'day-month', month: 1, day: 5 } });
    expect(text('De vacaciones, de vuelta desde el 5 de enero')).toMatchObject({ kind: 'out', returns: { kind: 'day-month', month: 1, day: 5 } });
  });

  it('reads a listed phrase written with hyphens ("Licença-maternidade") and the leave phrases of words with another sense', () => {
    expect(kind('Licença-maternidade')).toBe('out');
    expect(kind('Licença-paternidade até 5 de janeiro')).toBe('out');
    expect(kind('Permiso de paternidad')).toBe('out');
    expect(kind('Licencia por enfermedad')).toBe('out');
    expect(kind('Out-of-office')).toBe('out');
  });

  it('reads "out" and "away" with a when, where the status or a clause of it starts ("Out until Monday")', () => {
    expect(text('Out until Monday')).toMatchObject({ kind: 'out', returns: { kind: 'weekday', weekday: 1 }, lastDay: true });
    expect(text('Away until 5 Jan')).toMatchObject({ kind: 'out', returns: { kind: 'day-month', month: 1, day: 5 }, lastDay: true });
    for (const t of ['Out today', 'Away this week', 'out for the day', "I'm out today", 'I’m away until Monday', 'Travelling, out until Monday', 'Conference (out until Wed)', '🌴 Out until Monday']) {
      expect(kind(t), t).toBe('out');
    }
    expect(kind('Travelling - out until Monday')).toBe('out');
    // Alone, mid-sentence, in a hyphenated word or after a colon, they mean something else.
    for (const t of ['Checked out', 'Away from keyboard', 'Working it out until Friday', 'Rolling out until Friday', 'Timeout until Friday', 'Check-out today, moving flats', 'v2.0: out today']) {
      expect(kind(t), t).toBeNull();
    }
    expect(kind('Heads down on the roll-out until Friday')).toBe('busy');
    expect(kind('Busy with sign-out today')).toBe('busy');
  });
});

describe('return dates', () => {
  const hint = (t: string) => readReturnHint(foldText(t))?.hint ?? null;
  // Wednesday 9 December 2026
  const today = { year: 2026, month: 12, day: 9, weekday: 3 };
  const on = (t: string) => {
    const h = hint(t);
    return h ? resolveReturn(h, today) : null;
  };

  it.each([
    ['Back on Monday', '2026-12-14'],
    ['back Wednesday', '2026-12-16'], // said on a Wednesday: next week
    ['back 14 Dec', '2026-12-14'],
    ['Back on Dec 14th', '2026-12-14'],
    ['back 3 Jan', '2027-01-03'],
    ['Vacation until 2026-12-14', '2026-12-14'],
    ['back tomorrow', '2026-12-10'],
    ['Urlaub, zurück am Montag', '2026-12-14'],
    ['Urlaub bis 14. Dezember', '2026-12-14'],
    ['En congé, de retour le 4 janvier', '2027-01-04'],
    ['De vacaciones hasta el lunes', '2026-12-14'],
    ['De férias até 5 de janeiro', '2027-01-05'],
    ['De férias, volto na segunda-feira', '2026-12-14'],
    // A weekday before a date: the date decides (a weekday alone would roll on every week).
    ['Back Monday 4 Jan', '2027-01-04'],
    ['On vacation. Back on Monday, 4 January 2027', '2027-01-04'],
    ['back Mon. Jan 4th', '2027-01-04'],
    ['OOO until Friday, 18 Dec', '2026-12-18'],
    ['Back on the 4th of January', '2027-01-04'],
    ['On leave until the 18th of December', '2026-12-18'],
  ])('%j returns %s', (t, date) => {
    expect(on(t)).toBe(date);
  });

  it.each(['Vacationing', 'back soon', 'back 14/12', 'back 12/14', 'OOO next week', 'until 2026-02-30', 'back 31 Feb'])('%j names no date', (t) => {
    expect(hint(t)).toBeNull();
  });

  it('a 29 February return is the next year that has one', () => {
    expect(on('back 29 Feb')).toBe('2028-02-29');
  });

  it('a day and month up to 90 days ago is the one that passed (a status not cleared), an older one next year’s', () => {
    const at = (t: string, day: typeof today) => resolveReturn(hint(t)!, day);
    expect(at('back 14 Dec', { year: 2026, month: 12, day: 15, weekday: 2 })).toBe('2026-12-14');
    expect(at('back 20 Dec', { year: 2027, month: 1, day: 10, weekday: 0 })).toBe('2026-12-20');
    expect(at('back 10 Sep', { year: 2026, month: 12, day: 9, weekday: 3 })).toBe('2026-09-10'); // 90 days ago
    expect(at('back 9 Sep', { year: 2026, month: 12, day: 9, weekday: 3 })).toBe('2027-09-09'); // 91
  });
});

describe('a return date for someone whose zone this runtime does not know (an older browser’s time zone data)', () => {
  const person = {
    timezone: 'Mars/Olympus_Mons',
    workingHours: null,
    statusMeaning: { kind: 'out' as const, reason: 'OOO', returns: { kind: 'date' as const, year: 2026, month: 12, day: 14 }, lastDay: false, starts: null },
  };

  it('a full date is still known, and the absence over once that day is over everywhere (UTC−12)', () => {
    expect(availabilityAt(person, null, Date.UTC(2026, 11, 9)).out).toEqual({ reason: 'OOO', until: '2026-12-14', lastDay: false });
    expect(availabilityAt(person, null, Date.UTC(2026, 11, 15, 11)).out).not.toBeNull();
    expect(availabilityAt(person, null, Date.UTC(2026, 11, 15, 13)).out).toBeNull();
  });

  it('a day and month too, with no zone at all: "back 14 Dec" is over once 14 December is over everywhere', () => {
    // Zulip's timezone is "" for an account that never set one (imported, synced).
    for (const timezone of ['Mars/Olympus_Mons', '']) {
      const dayMonth = { ...person, timezone, statusMeaning: { ...person.statusMeaning, returns: { kind: 'day-month' as const, month: 12, day: 14 } } };
      expect(availabilityAt(dayMonth, null, Date.UTC(2026, 11, 9)).out).toEqual({ reason: 'OOO', until: '2026-12-14', lastDay: false });
      expect(availabilityAt(dayMonth, null, Date.UTC(2026, 11, 15, 13)).out).toBeNull();
      expect(availabilityAt(dayMonth, null, Date.UTC(2027, 0, 20)).out).toBeNull();
    }
  });

  it('a weekday needs their today: out, with no date', () => {
    const weekday = { ...person, statusMeaning: { ...person.statusMeaning, returns: { kind: 'weekday' as const, weekday: 1 } } };
    expect(availabilityAt(weekday, null, Date.UTC(2026, 11, 9)).out).toEqual({ reason: 'OOO', until: null, lastDay: false });
  });
});

describe('an absence said ahead of time ("OOO from 22 Dec")', () => {
  const person = (text: string) => {
    const status = { text, emojiName: null };
    return { timezone: 'Europe/Lisbon', workingHours: null, statusMeaning: statusMeaning(status) };
  };
  // Noon in Lisbon on the day.
  const at = (text: string, year: number, month: number, day: number) => availabilityAt(person(text), 'active', Date.UTC(year, month - 1, day, 12));

  it('reads the start only from a calendar date, and not from a return', () => {
    expect(text('OOO from 22 Dec')?.starts).toEqual({ kind: 'day-month', month: 12, day: 22 });
    expect(text('Urlaub ab 2027-01-04')?.starts).toEqual({ kind: 'date', year: 2027, month: 1, day: 4 });
    expect(text('Vacation starting Dec 22nd')?.starts).toEqual({ kind: 'day-month', month: 12, day: 22 });
    // "from Monday" would be ahead on every day it is read: it is out now, as before.
    expect(text('OOO from Monday')?.starts).toBeNull();
    // With words between the absence and its start.
    for (const t of ['Vacation: from 22 Dec', 'OOO (vacation) from 22 Dec', 'Out of office — from 22 Dec to 3 Jan', 'Vacation in Portugal from 22 Dec', 'Urlaub: ab 22. Dezember']) {
      expect(text(t)?.starts, t).toEqual({ kind: 'day-month', month: 12, day: 22 });
    }
    // Not after a word of return: "available from" is when they are back.
    expect(text('On leave, available from 5 Jan')).toMatchObject({ kind: 'out', starts: null });
    expect(text('Out sick, working again from 5 Jan')).toMatchObject({ kind: 'out', starts: null });
    expect(text('Krank, wieder erreichbar ab 5. Januar')).toMatchObject({ kind: 'out', starts: null });
    expect(text('On leave from 22 Dec, back 5 Jan')).toMatchObject({ kind: 'out', starts: { kind: 'day-month', month: 12, day: 22 }, returns: { kind: 'day-month', month: 1, day: 5 } });
  });

  it('reads "from … to …" in English, French and Spanish: the start, and the last day away', () => {
    for (const t of ['OOO from 22 Dec to 3 Jan', 'Congés du 22 décembre au 3 janvier', 'Vacaciones del 22 de diciembre al 3 de enero']) {
      expect(text(t), t).toMatchObject({ kind: 'out', starts: { kind: 'day-month', month: 12, day: 22 }, returns: { kind: 'day-month', month: 1, day: 3 }, lastDay: true });
    }
    expect(at('OOO from 22 Dec to 3 Jan', 2027, 1, 4).out).toBeNull();
    // "to" names a date only in a status that says an absence.
    expect(kind('Moving the release to 5 Jan')).toBeNull();
  });

  it('reads a range of two days, joined by a dash or an "until" word: the first and the last day away', () => {
    const range = (first: [number, number], last: [number, number]) => ({
      kind: 'out',
      starts: { kind: 'day-month', month: first[0], day: first[1] },
      returns: { kind: 'day-month', month: last[0], day: last[1] },
      lastDay: true,
    });
    for (const t of ['OOO Dec 20 - Jan 3', 'Vacation 20 Dec – 3 Jan', 'PTO Mon 20 Dec - Sun 3 Jan', 'OOO Dec 20th - Jan 3rd', 'OOO Dec 20 to Jan 3']) {
      expect(text(t), t).toMatchObject(range([12, 20], [1, 3]));
    }
    // Two days of one month, written once.
    for (const t of ['OOO 20-23 Dec', 'OOO Dec 20-23', 'Urlaub 20.-23. Dezember', 'Urlaub 20. bis 23. Dezember', 'Vacaciones del 20 al 23 de diciembre', 'Congés du 20 au 23 décembre']) {
      expect(text(t), t).toMatchObject(range([12, 20], [12, 23]));
    }
    // Two whole dates are read before one month's days: this is 20 December to 23 January.
    expect(text('OOO Dec 20 - 23 Jan')).toMatchObject(range([12, 20], [1, 23]));
    expect(text('PTO 2026-12-20 - 2027-01-03')).toMatchObject({
      starts: { kind: 'date', year: 2026, month: 12, day: 20 },
      returns: { kind: 'date', year: 2027, month: 1, day: 3 },
      lastDay: true,
    });
    // A day back said beside it is the return.
    expect(text('OOO Dec 20 - Jan 3, back Jan 5')).toMatchObject({ starts: { month: 12, day: 20 }, returns: { month: 1, day: 5 }, lastDay: false });
    // "de 5 a 9 de outubro": "a" joins two days.
    for (const t of ['Férias de 20 a 23 de dezembro', 'Vacaciones de 20 a 23 de diciembre']) expect(text(t), t).toMatchObject(range([12, 20], [12, 23]));
    // With Zulip's own absence emoji, the text's range is the absence's.
    expect(text('Lisbon 20-23 Dec', 'palm_tree')).toMatchObject(range([12, 20], [12, 23]));
    // Not a range: a later day first, numbers with no month, and any range in a status that says no absence.
    expect(text('OOO 23-20 Dec')).toMatchObject({ kind: 'out', starts: null, returns: null });
    expect(text('Sick 2-3 days')).toMatchObject({ kind: 'out', starts: null, returns: null });
    expect(kind('Conference Dec 20 - Jan 3')).toBeNull();
    // "out", "set" and "ago" are English words before a number, never October, September or August.
    expect(text('Sick, out 2-3 days')).toMatchObject({ kind: 'out', starts: null, returns: null });
    expect(text('Vacation, out 22-26 Dec')).toMatchObject(range([12, 22], [12, 26]));
    // A range after another date is not the absence's: "OOO until Jan 5 (no laptop Dec 24-26)" is out now.
    expect(text('OOO until Jan 5 (no laptop Dec 24-26)')).toMatchObject({ kind: 'out', starts: null, returns: { month: 1, day: 5 }, lastDay: true });
    expect(text('Back Jan 5 (Lisbon Dec 20-23)')).toMatchObject({ kind: 'out', starts: null, returns: { month: 1, day: 5 }, lastDay: false });
    expect(text('OOO, back from Dec 20-23 trip')).toMatchObject({ starts: null, returns: { month: 12, day: 20 } });
    // In time: not out before the first day, out until the last, over after it.
    expect(at('OOO Dec 20 - Jan 3', 2026, 12, 8).out).toBeNull();
    expect(at('OOO Dec 20 - Jan 3', 2026, 12, 20).out).toEqual({ reason: 'OOO Dec 20 - Jan 3', until: '2027-01-03', lastDay: true });
    expect(at('OOO Dec 20 - Jan 3', 2027, 1, 3).out).toMatchObject({ until: '2027-01-03' });
    expect(at('OOO Dec 20 - Jan 3', 2027, 1, 4).out).toBeNull();
    expect(at('OOO 20-23 Dec', 2026, 12, 19).out).toBeNull();
    expect(at('OOO 20-23 Dec', 2026, 12, 21).out).toMatchObject({ until: '2026-12-23', lastDay: true });
  });

  it('a clause saying an absence now comes before a later one: the later start or range is not this absence', () => {
    // "Out sick today; PTO Dec 22-23" was read as the PTO, and the person as not out until 22 Dec.
    for (const t of ['Out sick today; PTO Dec 22-23', 'OOO today, vacation 20-23 Dec', 'Krank heute, Urlaub vom 22. bis 23. Dezember', 'Sick today - OOO from 22 Dec', 'Out today and Dec 22-23']) {
      expect(text(t), t).toMatchObject({ kind: 'out', starts: null, returns: null });
      expect(at(t, 2026, 12, 9).out, t).not.toBeNull();
    }
    // A return said after the later absence is its own; one said before it is this absence's.
    expect(text('Sick today; OOO from 22 Dec, back 5 Jan')).toMatchObject({ kind: 'out', starts: null, returns: null });
    expect(text('Sick today; OOO 22 Dec to 3 Jan')).toMatchObject({ kind: 'out', starts: null, returns: null });
    expect(text('Out sick today, back Monday; PTO Dec 22-23')).toMatchObject({ starts: null, returns: { kind: 'weekday', weekday: 1 }, lastDay: false });
    // A now word outside an out clause changes nothing: "back today" is not an absence now.
    expect(text('Back today; PTO Dec 22-23')).toMatchObject({ starts: { month: 12, day: 22 }, returns: { month: 12, day: 23 } });
    expect(at('Back today; PTO Dec 22-23', 2026, 12, 9).out).toBeNull();
    // Nor after the date: "PTO Dec 22-23, sick today" starts on 22 Dec as written first.
    expect(text('PTO Dec 22-23, sick today')).toMatchObject({ starts: { month: 12, day: 22 } });
  });

  it('a day and month more than 90 days ahead is the one that passed: a long leave stays out', () => {
    expect(at('Parental leave from 1 Sep', 2026, 12, 15).out).not.toBeNull();
    expect(at('Elternzeit ab 1. September', 2026, 12, 15).out).not.toBeNull();
    expect(at('OOO from 1 Oct until 3 Jan', 2027, 1, 2).out).toMatchObject({ until: '2027-01-03' });
    // And the coming one when it is near: not out yet.
    expect(at('Parental leave from 1 Feb', 2026, 12, 15).out).toBeNull();
    // With a return, the start is the last such day before it: "from 22 Dec until 3 Jan" read in September is this winter's.
    expect(at('OOO from 22 Dec until 3 Jan', 2026, 9, 20).out).toBeNull();
    expect(at('OOO from 22 Dec until 3 Jan', 2026, 12, 22).out).toMatchObject({ until: '2027-01-03' });
  });

  it('is not out before that day, out from it, and over once the last day has passed', () => {
    expect(at('OOO from 22 Dec', 2026, 12, 9).out).toBeNull();
    expect(at('OOO from 22 Dec', 2026, 12, 9).reachable).toBe(true);
    expect(at('OOO from 22 Dec', 2026, 12, 22).out).toEqual({ reason: 'OOO from 22 Dec', until: null, lastDay: false });
    const both = 'OOO from 22 Dec until 4 Jan';
    expect(at(both, 2026, 12, 21).out).toBeNull();
    expect(at(both, 2027, 1, 2).out).toEqual({ reason: both, until: '2027-01-04', lastDay: true });
    expect(at(both, 2027, 1, 5).out).toBeNull();
  });
});
