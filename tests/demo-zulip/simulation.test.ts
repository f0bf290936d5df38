import { describe, expect, it } from 'vitest';
import { generateOrganization } from '../../lib/demo-zulip/generate';
import { clientsReporting, initialPresence, utcOffsetSeconds } from '../../lib/demo-zulip/simulation';
import type { DemoUser } from '../../lib/demo-zulip/types';

const HOUR = 3600;
const DAY = 86_400;
/** Unix seconds for a UTC wall-clock time. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) / 1000;

// Late November 2026: Lisbon is on UTC (no DST), Tokyo UTC+9, São Paulo UTC−3.
const WEDNESDAY_1030_LISBON = utc(2026, 11, 25, 10, 30);
const SUNDAY_0300_LISBON = utc(2026, 11, 29, 3);

function person(overrides: Partial<DemoUser> = {}): DemoUser {
  return {
    user_id: 101,
    full_name: 'Ana Souza',
    delivery_email: 'ana.souza@acme.example',
    email_visibility: 'everyone',
    is_active: true,
    is_bot: false,
    bot_type: null,
    bot_owner_id: null,
    role: 400,
    timezone: 'Europe/Lisbon',
    date_joined: '2021-03-04T09:15+00:00',
    avatar_source: 'G',
    avatar_version: 1,
    profile_data: {},
    status: {},
    presence_enabled: true,
    api_key: 'a'.repeat(32),
    work: { startHour: 9, endHour: 17.5, workDays: [1, 2, 3, 4, 5], clients: ['website', 'ZulipMobile'], focus: 0.7 },
    ...overrides,
  };
}

/** Many different people, so per-person randomness (days off, lunch) averages out. */
const crowd = (overrides: Partial<DemoUser> = {}) =>
  Array.from({ length: 60 }, (_, i) => person({ ...overrides, user_id: 1000 + i }));

describe('local time', () => {
  it('follows each zone and its DST rules', () => {
    expect(utcOffsetSeconds('Europe/Lisbon', utc(2026, 7, 1, 12))).toBe(HOUR);
    expect(utcOffsetSeconds('Europe/Lisbon', utc(2026, 12, 1, 12))).toBe(0);
    expect(utcOffsetSeconds('Asia/Kolkata', utc(2026, 12, 1, 12))).toBe(5.5 * HOUR);
    expect(utcOffsetSeconds('America/St_Johns', utc(2026, 12, 1, 12))).toBe(-3.5 * HOUR);
    expect(utcOffsetSeconds('America/New_York', utc(2026, 3, 8, 6, 59))).toBe(-5 * HOUR);
    expect(utcOffsetSeconds('America/New_York', utc(2026, 3, 8, 7))).toBe(-4 * HOUR);
    expect(utcOffsetSeconds('Not/AZone', utc(2026, 12, 1, 12))).toBe(0);
  });
});

describe('clientsReporting', () => {
  it('has people at work on a weekday morning, active or idle on their main client', () => {
    let atWork = 0;
    for (const p of crowd()) {
      const reports = clientsReporting(p, WEDNESDAY_1030_LISBON);
      const main = reports.find((r) => r.client === 'website');
      if (main) {
        atWork++;
        expect(['active', 'idle']).toContain(main.status);
      }
    }
    expect(atWork).toBeGreaterThanOrEqual(54); // a few take the day off
  });

  it('is active about `focus` of the time during working hours', () => {
    for (const focus of [0.4, 0.85]) {
      let active = 0;
      let total = 0;
      for (const p of crowd({ work: { startHour: 9, endHour: 17.5, workDays: [1, 2, 3, 4, 5], clients: ['website'], focus } })) {
        for (let m = 0; m < 60; m += 7) {
          const main = clientsReporting(p, WEDNESDAY_1030_LISBON + m * 60)[0];
          if (!main) continue;
          total++;
          if (main.status === 'active') active++;
        }
      }
      expect(active / total).toBeGreaterThan(focus - 0.12);
      expect(active / total).toBeLessThan(focus + 0.12);
    }
  });

  it('reports nothing at 3am local on a Sunday, in any timezone', () => {
    const zones: Array<[string, number]> = [
      ['Europe/Lisbon', SUNDAY_0300_LISBON],
      ['Asia/Tokyo', SUNDAY_0300_LISBON - 9 * HOUR],
      ['America/Sao_Paulo', SUNDAY_0300_LISBON + 3 * HOUR],
    ];
    for (const [timezone, at] of zones) {
      for (const p of crowd({ timezone })) expect(clientsReporting(p, at)).toEqual([]);
    }
  });

  it('follows the person’s timezone: a Tokyo worker is at work at 10:30 Tokyo time', () => {
    const tokyoMorning = WEDNESDAY_1030_LISBON - 9 * HOUR;
    const atWork = crowd({ timezone: 'Asia/Tokyo' }).filter((p) => clientsReporting(p, tokyoMorning).length > 0);
    expect(atWork.length).toBeGreaterThanOrEqual(54);
    expect(crowd({ timezone: 'Asia/Tokyo' }).every((p) => clientsReporting(p, WEDNESDAY_1030_LISBON + 12 * HOUR).length === 0)).toBe(true);
  });

  it('places people with no timezone by their office', () => {
    // Office option 7 is Tokyo (see org/offices.ts).
    const tokyoMorning = WEDNESDAY_1030_LISBON - 9 * HOUR;
    const people = crowd({ timezone: '', profile_data: { '3': { value: '7' } } });
    expect(people.filter((p) => clientsReporting(p, tokyoMorning).length > 0).length).toBeGreaterThanOrEqual(54);
  });

  it('lets the phone check in now and then, mostly around work', () => {
    let mobile = 0;
    for (const p of crowd()) {
      for (let t = utc(2026, 11, 23); t < utc(2026, 11, 30); t += 600) {
        if (clientsReporting(p, t).some((r) => r.client === 'ZulipMobile' && r.status === 'active')) mobile++;
      }
    }
    const perPersonPerWeek = mobile / 60;
    expect(perPersonPerWeek).toBeGreaterThan(10);
    expect(perPersonPerWeek).toBeLessThan(200);
  });

  it('reports nothing for people who never connected, are invisible, on leave, deactivated, or bots', () => {
    const at = WEDNESDAY_1030_LISBON;
    for (const p of crowd({ work: null })) expect(clientsReporting(p, at)).toEqual([]);
    for (const p of crowd({ presence_enabled: false })) expect(clientsReporting(p, at)).toEqual([]);
    for (const p of crowd({ status: { status_text: 'On vacation', emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' } })) {
      expect(clientsReporting(p, at)).toEqual([]);
    }
    for (const p of crowd({ is_active: false })) expect(clientsReporting(p, at)).toEqual([]);
    expect(clientsReporting(person({ is_bot: true, bot_type: 1, work: null }), at)).toEqual([]);
  });

  it('is deterministic', () => {
    const p = person();
    for (let t = WEDNESDAY_1030_LISBON; t < WEDNESDAY_1030_LISBON + DAY; t += 613) {
      expect(clientsReporting(p, t)).toEqual(clientsReporting(person(), t));
    }
  });
});

describe('initialPresence', () => {
  it('is {} for people who never connected and for bots', () => {
    expect(initialPresence(person({ work: null }), WEDNESDAY_1030_LISBON)).toEqual({});
    expect(initialPresence(person({ work: null, presence_enabled: false }), WEDNESDAY_1030_LISBON)).toEqual({});
    expect(initialPresence(person({ is_bot: true, bot_type: 1, work: null }), WEDNESDAY_1030_LISBON)).toEqual({});
  });

  it('shows someone at work now as connected now', () => {
    for (const p of crowd()) {
      const now = WEDNESDAY_1030_LISBON;
      const rows = initialPresence(p, now);
      for (const { client, status } of clientsReporting(p, now)) {
        expect(rows[client]?.last_connected_time).toBe(now);
        if (status === 'active') expect(rows[client]?.last_active_time).toBe(now);
      }
    }
  });

  it('dates the row to the end of the last working day', () => {
    const now = utc(2026, 11, 25, 20, 30); // Wednesday 20:30 in Lisbon; the day ended around 17:30
    for (const p of crowd({ work: { startHour: 9, endHour: 17.5, workDays: [1, 2, 3, 4, 5], clients: ['website'], focus: 0.7 } })) {
      const row = initialPresence(p, now).website;
      expect(row).toBeDefined();
      const ago = now - (row?.last_connected_time ?? 0);
      if (ago > 12 * HOUR) continue; // took Wednesday off
      expect(ago).toBeGreaterThan(2.5 * HOUR);
      expect(ago).toBeLessThan(3.7 * HOUR);
      const active = row?.last_active_time ?? 0;
      expect(active).toBeLessThanOrEqual(row?.last_connected_time ?? 0);
      expect((row?.last_connected_time ?? 0) - active).toBeLessThan(1.5 * HOUR);
    }
  });

  it('reaches back over the weekend to a working day', () => {
    const mondayEarly = utc(2026, 11, 30, 6);
    for (const p of crowd()) {
      const row = initialPresence(p, mondayEarly).website;
      const last = row?.last_connected_time ?? 0;
      expect(mondayEarly - last).toBeGreaterThan(2 * DAY);
      expect([1, 2, 3, 4, 5]).toContain(new Date(last * 1000).getUTCDay()); // Lisbon = UTC in November
    }
  });

  it('freezes and backdates the rows of invisible people, days ago', () => {
    for (const p of crowd({ presence_enabled: false })) {
      const now = WEDNESDAY_1030_LISBON;
      const rows = Object.values(initialPresence(p, now));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(now - row.last_connected_time).toBeGreaterThan(DAY);
        if (row.last_active_time !== null) expect(row.last_active_time).toBeLessThanOrEqual(row.last_connected_time);
      }
    }
  });

  it('dates people on leave to before their leave', () => {
    const status = { status_text: 'On vacation', emoji_name: 'palm_tree', emoji_code: '1f334', reaction_type: 'unicode_emoji' as const };
    for (const p of crowd({ status })) {
      for (const row of Object.values(initialPresence(p, WEDNESDAY_1030_LISBON))) {
        expect(WEDNESDAY_1030_LISBON - row.last_connected_time).toBeGreaterThan(DAY - HOUR);
      }
    }
  });

  it('never predates the account and keeps active ≤ connected', () => {
    const org = generateOrganization({ seed: 11, users: 2000 });
    const now = WEDNESDAY_1030_LISBON;
    for (const u of org.users) {
      const joined = Date.parse(u.date_joined) / 1000;
      const rows = initialPresence(u, now);
      if (u.is_bot || !u.work) expect(rows).toEqual({});
      for (const row of Object.values(rows)) {
        expect(row.last_connected_time).toBeGreaterThanOrEqual(joined);
        expect(row.last_connected_time).toBeLessThanOrEqual(now);
        if (row.last_active_time !== null) expect(row.last_active_time).toBeLessThanOrEqual(row.last_connected_time);
      }
      for (const { client } of clientsReporting(u, now)) expect(rows[client]?.last_connected_time).toBe(now);
    }
  });
});

describe('cost', () => {
  it('answers for 20,000 people quickly', () => {
    const org = generateOrganization({ seed: 3, users: 20_000 });
    const now = WEDNESDAY_1030_LISBON;
    for (const u of org.users) clientsReporting(u, now); // warm the zone caches
    let started = performance.now();
    let reporting = 0;
    for (const u of org.users) if (clientsReporting(u, now + 10).length) reporting++;
    expect(performance.now() - started).toBeLessThan(250);
    expect(reporting).toBeGreaterThan(1000);

    started = performance.now();
    for (const u of org.users) initialPresence(u, now);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
