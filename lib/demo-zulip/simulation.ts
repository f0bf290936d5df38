// Who is online when. A pure function of (person, instant): no state, no Math.random, so the
// server can ask "which clients of this person are reporting now?" for 20,000 people every few
// seconds, restart at any time, and get answers that agree with the presence rows it stored at
// start-up (initialPresence scans the very same schedule backwards).
//
// The schedule, in the person's own timezone:
// - on working days, between their (daily jittered) start and end, the main client is connected;
//   in each 5–15 minute slot they are active with probability `focus`, else idle (meetings);
// - a lunch break in the middle of the day: the laptop is left open (idle) or closed (nothing);
// - other desktop clients are open on some days, mostly idle;
// - the phone reports in short bursts: often while commuting, sometimes at lunch or during the
//   day, occasionally in the evening and at weekends;
// - one working day in ~30 is a day off; people whose status says they are on leave are away.

import { INVISIBLE_BACKDATE_SECS } from './core/invisible-mode';
import { FIELD_IDS } from './org/fields';
import { officeTimezone } from './org/offices';
import { hash32, hashFrac } from './org/random';
import { leaveKind } from './org/statuses';
import type { DemoClient, DemoClientPresence, DemoUser, DemoWorkPattern } from './types';

type Status = 'active' | 'idle';

const DAY = 86_400;
const HOUR = 3_600;
/** How far back initialPresence looks for the last time a client reported. */
const SCAN_DAYS = 14;

// Salts keep the per-decision hash streams independent of one another.
const SALT = {
  slot: 11, dayOff: 12, start: 13, end: 14, lunch: 15, lunchLen: 16, lunchAway: 17,
  focus: 18, mobile: 19, commute: 20, commuteLen: 21, extraDay: 22, extraSlot: 23, past: 24,
} as const;

// ---------------------------------------------------------------------------------------------
// Local time. Intl is far too slow to call 2,000 times a second, but a zone's UTC offset only
// changes at DST transitions, which fall on half-hour boundaries: one lookup per zone per half
// hour, cached, makes the hot path a couple of Map reads.

const OFFSET_BUCKET = 1_800;
interface Zone {
  format: Intl.DateTimeFormat | null; // null: unknown zone, treated as UTC
  offsets: Map<number, number>;
}
const zones = new Map<string, Zone>();

function zoneFor(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    let format: Intl.DateTimeFormat | null = null;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      format = null;
    }
    zone = { format, offsets: new Map() };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Seconds to add to UTC to get local time in `timeZone` at unix time `t`. */
export function utcOffsetSeconds(timeZone: string, t: number): number {
  const zone = zoneFor(timeZone);
  if (!zone.format) return 0;
  const bucket = Math.floor(t / OFFSET_BUCKET);
  let offset = zone.offsets.get(bucket);
  if (offset === undefined) {
    const at = bucket * OFFSET_BUCKET;
    const f: Record<string, number> = {};
    for (const part of zone.format.formatToParts(new Date(at * 1000))) {
      if (part.type !== 'literal') f[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, (f.hour ?? 0) % 24, f.minute ?? 0, f.second ?? 0);
    offset = asUtc / 1000 - at;
    if (zone.offsets.size > 20_000) zone.offsets.clear(); // bounded: long-running servers
    zone.offsets.set(bucket, offset);
  }
  return offset;
}

function localToUtc(timeZone: string, local: number): number {
  return local - utcOffsetSeconds(timeZone, local - utcOffsetSeconds(timeZone, local));
}

/** The zone a person's day runs in: their own setting, else their office's, else UTC. */
function workZone(user: DemoUser): string {
  if (user.timezone) return user.timezone;
  const office = user.profile_data[String(FIELD_IDS.office)]?.value;
  return (office !== undefined && officeTimezone(Number(office))) || 'UTC';
}

interface Clock {
  /** Days since 1970-01-01 in local time. */
  day: number;
  /** Fractional local hour, 0 ≤ hour < 24. */
  hour: number;
}

function localClock(timeZone: string, t: number): Clock {
  const local = t + utcOffsetSeconds(timeZone, t);
  const day = Math.floor(local / DAY);
  return { day, hour: (local - day * DAY) / HOUR };
}

/** 0 = Sunday; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------------
// The schedule.

interface DayPlan {
  works: boolean;
  start: number;
  end: number;
  lunchStart: number;
  lunchEnd: number;
  lunchAway: boolean;
}

function dayPlan(uid: number, work: DemoWorkPattern, day: number): DayPlan {
  const works = work.workDays.includes(weekdayOf(day)) && hashFrac(uid, day, SALT.dayOff) >= 0.035;
  const start = Math.max(0, work.startHour + (hashFrac(uid, day, SALT.start) - 0.5) * 0.6);
  const end = Math.max(start + 0.5, Math.min(23.95, work.endHour + (hashFrac(uid, day, SALT.end) - 0.5) * 0.8));
  const long = end - start >= 6;
  const lunchStart = long ? start + 3.25 + hashFrac(uid, day, SALT.lunch) * 1.25 : Infinity;
  return {
    works,
    start,
    end,
    lunchStart,
    lunchEnd: lunchStart + 0.5 + hashFrac(uid, day, SALT.lunchLen) * 0.5,
    lunchAway: hashFrac(uid, day, SALT.lunchAway) < 0.45,
  };
}

/** Each person's activity changes every 5–15 minutes, at their own rhythm. */
function slotLength(uid: number): number {
  return 300 + (hash32(uid, 0, SALT.slot) % 601);
}

/** Hours spent commuting each way (0 for people who work from home). */
function commuteHours(uid: number): number {
  return hashFrac(uid, 0, SALT.commute) < 0.3 ? 0 : 0.25 + hashFrac(uid, 0, SALT.commuteLen) * 0.6;
}

/** The work pattern of someone who can report presence at all right now, else null. */
function reportingWork(user: DemoUser): DemoWorkPattern | null {
  if (!user.is_active || user.is_bot || !user.work || !user.presence_enabled) return null;
  if (leaveKind(user.status)) return null;
  return user.work;
}

/** What client number `index` of this person reports at unix time `t` (with its clock and day plan). */
function clientStatus(
  uid: number,
  work: DemoWorkPattern,
  index: number,
  t: number,
  clock: Clock,
  plan: DayPlan,
): Status | null {
  const h = clock.hour;
  const inWork = plan.works && h >= plan.start && h < plan.end;
  const atLunch = inWork && h >= plan.lunchStart && h < plan.lunchEnd;
  const slot = Math.floor(t / slotLength(uid));
  const client = work.clients[index];

  // The main computer client; a phone used as the only client reports like a phone (below).
  if (index === 0 && client !== 'ZulipMobile') {
    if (!inWork) return null;
    if (atLunch) return plan.lunchAway ? null : 'idle';
    return hashFrac(uid, slot, SALT.focus) < work.focus ? 'active' : 'idle';
  }
  if (client === 'ZulipMobile') {
    // The app reports only while it is open in the foreground, so a report is always "active".
    const commute = commuteHours(uid);
    let p = 0;
    if (plan.works && commute > 0 && ((h >= plan.start - commute && h < plan.start) || (h >= plan.end && h < plan.end + commute))) p = 0.5;
    else if (atLunch) p = 0.3;
    else if (inWork) p = 0.03;
    else if (h >= 19 && h < 23) p = 0.04;
    else if (!plan.works && h >= 9.5 && h < 21) p = 0.02;
    return p > 0 && hashFrac(uid, slot, SALT.mobile) < p ? 'active' : null;
  }
  // A second computer client (the desktop app next to a browser tab, a terminal client): open on
  // some days, mostly in the background.
  if (!inWork || (atLunch && plan.lunchAway)) return null;
  if (hashFrac(uid, clock.day * 8 + index, SALT.extraDay) >= 0.4) return null;
  return hashFrac(uid, slot * 8 + index, SALT.extraSlot) < work.focus * 0.35 ? 'active' : 'idle';
}

/**
 * Which of this person's clients are connected and POSTing presence at `nowSec`, and with what
 * status. Empty when they are off work, on leave, never connected, invisible, deactivated or a bot.
 */
export function clientsReporting(user: DemoUser, nowSec: number): Array<{ client: DemoClient; status: Status }> {
  const work = reportingWork(user);
  if (!work) return [];
  const clock = localClock(workZone(user), nowSec);
  const plan = dayPlan(user.user_id, work, clock.day);
  const out: Array<{ client: DemoClient; status: Status }> = [];
  for (let i = 0; i < work.clients.length; i++) {
    const status = clientStatus(user.user_id, work, i, nowSec, clock, plan);
    if (status) out.push({ client: work.clients[i] as DemoClient, status });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stored rows at start-up: the schedule run backwards.

/** Local-hour windows of day `plan` in which client `index` can possibly report. */
function candidateWindows(work: DemoWorkPattern, index: number, uid: number, plan: DayPlan): Array<[number, number]> {
  if (work.clients[index] !== 'ZulipMobile') return plan.works ? [[plan.start, plan.end]] : [];
  if (!plan.works) return [[9.5, 23]];
  const commute = commuteHours(uid);
  const day: [number, number] = [plan.start - commute, plan.end + commute];
  // Evening checks; merged with the working day when they touch it.
  return day[1] >= 19 ? [[day[0], Math.max(day[1], 23)]] : [[19, 23], day];
}

/**
 * The latest unix second ≤ `until` at which client `index` reported (`wantActive`: reported
 * "active"), looking back at most SCAN_DAYS. Probes the last second of each activity slot within
 * the windows where the client can report, newest first, so the first hit is the answer.
 */
function lastReport(
  user: DemoUser,
  work: DemoWorkPattern,
  timeZone: string,
  index: number,
  until: number,
  wantActive: boolean,
): number | null {
  const uid = user.user_id;
  const slotLen = slotLength(uid);
  const firstDay = localClock(timeZone, until).day;
  for (let day = firstDay; day > firstDay - SCAN_DAYS; day--) {
    const plan = dayPlan(uid, work, day);
    for (const [fromHour, toHour] of candidateWindows(work, index, uid, plan)) {
      const from = localToUtc(timeZone, day * DAY + fromHour * HOUR);
      let t = Math.min(until, Math.ceil(localToUtc(timeZone, day * DAY + toHour * HOUR)) - 1);
      while (t >= from) {
        const clock = localClock(timeZone, t);
        const status = clientStatus(uid, work, index, t, clock, clock.day === day ? plan : dayPlan(uid, work, clock.day));
        if (status && (!wantActive || status === 'active')) return Math.floor(t);
        t = Math.floor(t / slotLen) * slotLen - 1; // last second of the previous slot
      }
    }
  }
  return null;
}

/** How long ago, in seconds, an absence or a frozen row began; stable per person. */
function pastSeconds(uid: number, salt: number, minDays: number, maxDays: number): number {
  const frac = hashFrac(uid, salt, SALT.past);
  return Math.floor((minDays + frac * (maxDays - minDays)) * DAY);
}

/**
 * When an invisible person switched "Display my availability" off, for a server starting at
 * `nowSec` (a stable number of days before it); null for anyone else, and for people who never
 * connected a client (they never changed a setting).
 */
export function invisibleSince(user: DemoUser, nowSec: number): number | null {
  if (user.is_bot || !user.is_active || user.presence_enabled || !user.work || user.work.clients.length === 0) return null;
  return nowSec - pastSeconds(user.user_id, 2, 1, 30);
}

/**
 * The per-client presence rows stored for this person when the server starts at `nowSec`: when
 * each client last connected and was last active. They are what the schedule produced up to
 * then; for people on leave, as of when their leave began; for invisible people, frozen when
 * they switched presence off and (`backdateInvisible`, Zulip 10.0+) backdated 265 s; {} for
 * people who never connected a client, and for bots.
 */
export function initialPresence(user: DemoUser, nowSec: number, backdateInvisible = true): Partial<Record<DemoClient, DemoClientPresence>> {
  const work = user.work;
  if (user.is_bot || !work || work.clients.length === 0) return {};
  const uid = user.user_id;
  let asOf = nowSec;
  let frozen = false;
  const leave = leaveKind(user.status);
  const hiddenSince = invisibleSince(user, nowSec);
  if (!user.is_active) {
    asOf -= pastSeconds(uid, 1, 30, 400); // deactivated a while ago
  } else if (hiddenSince !== null) {
    asOf = hiddenSince;
    frozen = backdateInvisible;
  } else if (leave) {
    const [min, max] = leave === 'parental' ? [20, 90] : leave === 'sick' ? [1, 3] : [1, 12];
    asOf -= pastSeconds(uid, 3, min, max);
  }

  const timeZone = workZone(user);
  const joinedParsed = Math.floor(Date.parse(user.date_joined) / 1000);
  const joined = Number.isFinite(joinedParsed) ? joinedParsed : 0;
  const rows: Partial<Record<DemoClient, DemoClientPresence>> = {};
  work.clients.forEach((client, index) => {
    if (rows[client]) return;
    let connected = lastReport(user, work, timeZone, index, asOf, false);
    let active: number | null;
    if (connected === null) {
      // Not used in the last two weeks: an older row from when they last did.
      connected = asOf - SCAN_DAYS * DAY - pastSeconds(uid, 10 + index, 1, 30);
      active = connected;
    } else {
      active = lastReport(user, work, timeZone, index, connected, true);
    }
    if (frozen) {
      // Zulip backdates the row when presence is switched off, so the person reads as offline.
      connected = Math.min(connected, asOf - INVISIBLE_BACKDATE_SECS);
      active = active === null ? null : Math.min(active, asOf - INVISIBLE_BACKDATE_SECS);
    }
    if (connected < joined) return; // before they had an account
    rows[client] = {
      last_active_time: active !== null && active >= joined ? active : null,
      last_connected_time: connected,
    };
  });
  return rows;
}
