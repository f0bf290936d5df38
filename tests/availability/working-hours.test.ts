import { describe, expect, it } from 'vitest';
import { parseWorkingHours, workingHoursOf } from '@/lib/directory/domain/availability/working-hours';
import { nextWorkingStart, withinEach, withinWorkingHours } from '@/lib/directory/domain/availability/working-time';
import { availabilityAt } from '@/lib/directory/domain/availability/answer';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import { instantOf } from '@/lib/directory/domain/availability/zoned-time';
import { isNewJoiner } from '@/lib/directory/domain/new-joiner';
import { overlapSentence, slotInstant, SLOTS, teamOverlap } from '@/lib/directory/domain/availability/overlap';

const WEEK = [1, 2, 3, 4, 5];

describe('parseWorkingHours', () => {
  it.each([
    ['09:00–17:30', { days: WEEK, start: 540, end: 1050, zone: null }],
    ['9am-5pm', { days: WEEK, start: 540, end: 1020, zone: null }],
    ['9-5pm', { days: WEEK, start: 540, end: 1020, zone: null }],
    ['1-5pm', { days: WEEK, start: 780, end: 1020, zone: null }],
    ['8:30 a.m. to 4:30 p.m.', { days: WEEK, start: 510, end: 990, zone: null }],
    ['Mon–Thu 8–16', { days: [1, 2, 3, 4], start: 480, end: 960, zone: null }],
    ['9-17 CET', { days: WEEK, start: 540, end: 1020, zone: 'Europe/Berlin' }],
    ['Mo-Fr 9:00-18:00', { days: WEEK, start: 540, end: 1080, zone: null }],
    ['lun-ven 9h-17h30', { days: WEEK, start: 540, end: 1050, zone: null }],
    ['seg-sex 8h às 17h', null], // "às" is not a separator this reader knows
    ['seg-sex 8h-17h', { days: WEEK, start: 480, end: 1020, zone: null }],
    ['Lunes a viernes 9-18', null], // "a" between days is not read: not guessed
    ['lun-vie 9:00-18:00', { days: WEEK, start: 540, end: 1080, zone: null }],
    ['Mon, Wed, Fri 10-14', { days: [1, 3, 5], start: 600, end: 840, zone: null }],
    ['Fri-Mon 10-18', { days: [0, 1, 5, 6], start: 600, end: 1080, zone: null }],
    ['10-18 Tue-Sat', { days: [2, 3, 4, 5, 6], start: 600, end: 1080, zone: null }],
    ['9-5', { days: WEEK, start: 540, end: 1020, zone: null }],
    ['22-6', { days: WEEK, start: 1320, end: 360, zone: null }],
    ['12-8', { days: WEEK, start: 720, end: 1200, zone: null }],
    ['12:30-8:30', { days: WEEK, start: 750, end: 1230, zone: null }],
    ['12:30-5', { days: WEEK, start: 750, end: 1020, zone: null }],
    ['13-5', { days: WEEK, start: 780, end: 300, zone: null }], // past 12 with no am/pm: a night
    ['24/7', { days: [0, 1, 2, 3, 4, 5, 6], start: 0, end: 1440, zone: null }],
    ['9-17 America/New_York', { days: WEEK, start: 540, end: 1020, zone: 'America/New_York' }],
    ['9-17 IST', null], // ambiguous zone
    ['9-17 XYZ', null],
    ['flexible', null],
    ['by appointment', null],
    ['9-17 except Fridays', null],
    ['25:00-26:00', null],
    ['9-9', null],
    ['', null],
  ])('%j', (text, expected) => {
    expect(parseWorkingHours(text)).toEqual(expected);
  });
});

describe('working hours at an instant', () => {
  const berlin = workingHoursOf('9-17', null, 'Europe/Berlin')!;

  it('uses the zone the person is in, not a fixed offset, across the spring DST change', () => {
    // Monday 30 March 2026, the day after Berlin moved to summer time (UTC+2).
    expect(withinWorkingHours(berlin, Date.UTC(2026, 2, 30, 7, 30))).toBe(true); // 09:30 CEST
    expect(withinWorkingHours(berlin, Date.UTC(2026, 2, 30, 6, 30))).toBe(false); // 08:30 CEST
    // Friday 27 March, still winter time (UTC+1).
    expect(withinWorkingHours(berlin, Date.UTC(2026, 2, 27, 7, 30))).toBe(false); // 08:30 CET
    expect(withinWorkingHours(berlin, Date.UTC(2026, 2, 27, 15, 59))).toBe(true); // 16:59 CET
    expect(withinWorkingHours(berlin, Date.UTC(2026, 2, 27, 16, 0))).toBe(false); // 17:00 CET
  });

  it('finds the next start over a weekend with a DST change', () => {
    // Friday 27 March 2026 18:00 CET → Monday 30 March 09:00 CEST = 07:00 UTC.
    expect(nextWorkingStart(berlin, Date.UTC(2026, 2, 27, 17, 0))).toBe(Date.UTC(2026, 2, 30, 7, 0));
    // Autumn: Friday 23 October 2026 18:00 CEST → Monday 26 October 09:00 CET = 08:00 UTC.
    expect(nextWorkingStart(berlin, Date.UTC(2026, 9, 23, 16, 0))).toBe(Date.UTC(2026, 9, 26, 8, 0));
  });

  it('places a start in the skipped or repeated hour where the clocks say', () => {
    // 02:30 does not happen in Berlin on 29 March 2026: it is 03:30 CEST.
    expect(instantOf(2026, 3, 29, 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // 02:30 happens twice on 25 October 2026: the first is 00:30 UTC.
    expect(instantOf(2026, 10, 25, 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it('places every other time of a day the clocks change by the offset it has then', () => {
    // Los Angeles springs forward at 02:00 on 8 March 2026: 09:00 is PDT (UTC−7), 01:00 still PST.
    expect(instantOf(2026, 3, 8, 9 * 60, 'America/Los_Angeles')).toBe(Date.UTC(2026, 2, 8, 16));
    expect(instantOf(2026, 3, 8, 3 * 60, 'America/Los_Angeles')).toBe(Date.UTC(2026, 2, 8, 10));
    expect(instantOf(2026, 3, 8, 60, 'America/Los_Angeles')).toBe(Date.UTC(2026, 2, 8, 9));
    // Berlin falls back at 03:00 CEST on 25 October: 01:30 is still CEST (23:30 UTC the day before), 04:00 is CET.
    expect(instantOf(2026, 10, 25, 90, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 24, 23, 30));
    expect(instantOf(2026, 10, 25, 4 * 60, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 3));
    // Every half hour of 2026 in five zones (Lord Howe's clocks move by half an hour) reads back as
    // the wall time asked for, and is its first occurrence (no instant of the two hours before
    // reads as it); only a time the clocks skip reads later, by the gap, at most two hours.
    const HOUR = 3_600_000;
    for (const zone of ['America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'Africa/Cairo', 'Australia/Lord_Howe']) {
      const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
      const wallAt = (ms: number) => {
        const parts = format.formatToParts(ms);
        const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
        return Date.UTC(get('year'), get('month') - 1, get('day')) + (get('hour') * 60 + get('minute')) * 60_000;
      };
      for (let day = 0; day < 365; day++) {
        const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
        for (let minutes = 0; minutes < 1440; minutes += 30) {
          const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutes, zone);
          const asked = date.getTime() + minutes * 60_000;
          const read = wallAt(at);
          const first = [30, 60, 90, 120].every((m) => wallAt(at - m * 60_000) !== asked);
          const skipped = read > asked && read - asked <= 2 * HOUR;
          expect(first && (read === asked || skipped), `${zone} ${date.toISOString().slice(0, 10)} ${minutes}`).toBe(true);
        }
      }
    }
  });

  it('hours past midnight belong to the day they start', () => {
    const night = workingHoursOf('Mon-Fri 22-6', null, 'UTC')!;
    expect(withinWorkingHours(night, Date.UTC(2026, 11, 11, 23, 0))).toBe(true); // Fri 23:00
    expect(withinWorkingHours(night, Date.UTC(2026, 11, 12, 5, 0))).toBe(true); // Sat 05:00, from Friday
    expect(withinWorkingHours(night, Date.UTC(2026, 11, 13, 5, 0))).toBe(false); // Sun 05:00
  });

  it('answers many hours at once as each would alone, reading each zone once', () => {
    const list = [
      workingHoursOf('9-17', null, 'Europe/Berlin')!,
      workingHoursOf('Mon-Fri 22-6', null, 'UTC')!,
      workingHoursOf('10-18 Tue-Sat', null, 'Europe/Berlin')!,
      { ...workingHoursOf('9-17', null, 'UTC')!, timeZone: 'Not/AZone' },
      workingHoursOf('9-17 America/New_York', null, 'Asia/Tokyo')!,
    ];
    for (let hour = 0; hour < 24 * 7; hour += 5) {
      const ms = Date.UTC(2026, 2, 27) + hour * 3_600_000;
      const alone = list.map((h) => {
        const within = withinWorkingHours(h, ms);
        return within === null ? 2 : within ? 1 : 0;
      });
      expect([...withinEach(list, ms)]).toEqual(alone);
    }
    expect(withinEach(list, Date.UTC(2026, 2, 30, 7, 30))[3]).toBe(2); // an unknown zone: unknown
  });

  it('takes the organization default only when the person wrote nothing, and needs a zone', () => {
    expect(workingHoursOf(null, 'Mon-Fri 09:00-17:00', 'Europe/Lisbon')).toEqual({
      text: 'Mon-Fri 09:00-17:00',
      days: WEEK,
      start: '09:00',
      end: '17:00',
      timeZone: 'Europe/Lisbon',
    });
    expect(workingHoursOf('flexible', 'Mon-Fri 09:00-17:00', 'Europe/Lisbon')).toBeNull();
    expect(workingHoursOf(null, null, 'Europe/Lisbon')).toBeNull();
    expect(workingHoursOf('9-17', null, '')).toBeNull();
    expect(workingHoursOf('9-17 CET', null, '')?.timeZone).toBe('Europe/Berlin');
  });
});

describe('availabilityAt', () => {
  const person = (status: string | null, hours: string | null, timezone = 'America/Sao_Paulo') => ({
    timezone,
    statusMeaning: statusMeaning(status === null ? null : { text: status, emojiName: null }),
    workingHours: workingHoursOf(hours, null, timezone),
  });
  // Wednesday 9 December 2026, 13:00 UTC = 10:00 in São Paulo.
  const morning = Date.UTC(2026, 11, 9, 13, 0);
  // 02:40 UTC on Thursday = 23:40 on Wednesday in São Paulo.
  const lateNight = Date.UTC(2026, 11, 10, 2, 40);

  it('active but on vacation is out, not reachable', () => {
    expect(availabilityAt(person('Vacationing', '9-17'), 'active', morning)).toMatchObject({ reachable: false, out: { reason: 'Vacationing', until: null, lastDay: false } });
  });

  it('resolves a return date in their zone', () => {
    // 02:40 UTC Thursday is still Wednesday in São Paulo: Monday is the 14th either way, but "tomorrow" is their Thursday.
    expect(availabilityAt(person('Out sick, back tomorrow', null), 'idle', lateNight).out).toEqual({ reason: 'Out sick, back tomorrow', until: '2026-12-10', lastDay: false });
    expect(availabilityAt(person('Out sick, back tomorrow', null, ''), 'idle', lateNight).out?.until).toBeNull();
  });

  it('active at 23:40 their time is outside working hours; at 10:00 reachable', () => {
    expect(availabilityAt(person(null, '9-17'), 'active', lateNight)).toMatchObject({ reachable: false, withinWorkingHours: false });
    expect(availabilityAt(person(null, '9-17'), 'active', morning)).toMatchObject({ reachable: true, withinWorkingHours: true });
  });

  it('busy is reachable; unknown hours assume nothing; offline is never reachable', () => {
    expect(availabilityAt(person('In a meeting', '9-17'), 'active', morning)).toMatchObject({ reachable: true, busy: true });
    expect(availabilityAt(person(null, 'flexible'), 'idle', lateNight)).toMatchObject({ reachable: true, withinWorkingHours: null, workingHours: null });
    expect(availabilityAt(person(null, '9-17'), 'offline', morning).reachable).toBe(false);
    expect(availabilityAt(person(null, '9-17'), null, morning).reachable).toBe(false);
  });
});

describe('isNewJoiner', () => {
  const now = Date.UTC(2026, 11, 9, 12, 0);
  it('is true for the last 30 days only, false for an unreadable or future date', () => {
    expect(isNewJoiner('2026-11-10T12:01+00:00', now)).toBe(true);
    expect(isNewJoiner('2026-11-09T12:00+00:00', now)).toBe(false);
    expect(isNewJoiner('', now)).toBe(false);
    expect(isNewJoiner('2027-01-01T00:00+00:00', now)).toBe(false);
  });
});

describe('teamOverlap', () => {
  // The viewer's day: Wednesday 9 December 2026 in Lisbon (UTC+0).
  const day = { year: 2026, month: 12, day: 9, timeZone: 'Europe/Lisbon' };
  const member = (id: number, hours: string | null, zone: string, out = false) => ({ id, name: `P${id}`, workingHours: workingHoursOf(hours, null, zone), out });
  const time = (slot: number) => `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`;

  it('finds the common window in the viewer’s day', () => {
    const o = teamOverlap([member(1, '9-17', 'Europe/Lisbon'), member(2, '9-17', 'Europe/Berlin'), member(3, '9-17', 'America/Sao_Paulo')], day);
    expect(o.best).toEqual({ count: 3, start: 24, end: 32 }); // 12:00–16:00 Lisbon
    expect(overlapSentence(o, time)).toBe('All 3 overlap 12:00–16:00 your time');
  });

  it('says the best when not everyone overlaps, lists unknown hours apart and never counts who is out', () => {
    const o = teamOverlap(
      [member(1, '9-17', 'Europe/Lisbon'), member(2, '9-17', 'Asia/Tokyo'), member(3, '10-12', 'Europe/Lisbon'), member(4, 'flexible', 'Europe/Lisbon'), member(5, '9-17', 'Europe/Lisbon', true)],
      day,
    );
    expect(o.unknown.map((u) => u.id)).toEqual([4]);
    expect(o.of).toBe(3);
    expect(overlapSentence(o, time)).toBe('No hour when all 3 overlap; best: 2 of 3 at 10:00–12:00 your time');
  });

  it('is the viewer’s wall-clock day when the clocks change: 25 hours falling back, 23 springing forward', () => {
    const slotsWorked = (o: ReturnType<typeof teamOverlap>) => o.rows[0]!.working.flatMap((w, i) => (w ? [i] : []));
    const lisbon = (month: number, date: number) => ({ year: 2026, month, day: date, timeZone: 'Europe/Lisbon' });
    // Sunday 25 October 2026, 02:00 back to 01:00: the evening is still 20:00–24:00 (slots 40–47).
    const evening = teamOverlap([member(1, 'Mo-Su 20:00-24:00', 'Europe/Lisbon')], lisbon(10, 25));
    expect(slotsWorked(evening)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    // Sunday 29 March 2026, 01:00 forward to 02:00: the half hours from 01:00 to 02:00 are no one's,
    // and the day ends at its own midnight, not an hour into the next.
    const night = teamOverlap([member(1, 'Mo-Su 00:00-06:00', 'Europe/Lisbon')], lisbon(3, 29));
    expect(slotsWorked(night)).toEqual([0, 1, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(slotInstant(lisbon(3, 29), SLOTS)).toBe(Date.UTC(2026, 2, 29, 23, 0));
  });

  it('says everyone is out when all those with readable hours are, not that no one has hours', () => {
    const allOut = teamOverlap([member(1, '9-17', 'Europe/Lisbon', true), member(2, '9-17', 'Asia/Tokyo', true), member(3, 'flexible', 'Europe/Lisbon')], day);
    expect(overlapSentence(allOut, time)).toBe('All 2 members whose working hours the directory can read are out.');
    expect(overlapSentence(teamOverlap([member(1, '9-17', 'Europe/Lisbon', true)], day), time)).toBe('The one member whose working hours the directory can read is out.');
    expect(overlapSentence(teamOverlap([member(3, 'flexible', 'Europe/Lisbon')], day), time)).toBe('No one here has working hours the directory can read.');
  });
});
