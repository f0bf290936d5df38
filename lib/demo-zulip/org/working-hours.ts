// The "Working hours" profile field of the demo organization: the hours each person's simulated
// day follows (DemoWorkPattern), written in the varied ways people write them, a few unreadable
// and some left empty (docs/architecture.md §18). Chosen by a hash of the user id, not the
// generator's random numbers, so adding the field changed no one else.

import type { DemoWorkPattern } from '../types';

const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DE_DAYS = ['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'];
const FR_DAYS = ['dim', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam'];
const UNREADABLE = ['flexible', 'by appointment', 'Gleitzeit', 'varies, ask me'];
/** Zones on Central European Time, where "9-17 CET" is true all year. */
const CET_ZONES = new Set(['Europe/Berlin', 'Europe/Paris', 'Europe/Madrid', 'Europe/Amsterdam', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Rome', 'Europe/Stockholm', 'Europe/Warsaw', 'Europe/Prague', 'Europe/Brussels', 'Europe/Copenhagen', 'Europe/Oslo']);

/** A number in [0, 1) from a user id: the same every run. */
function hashFrac(userId: number, salt: number): number {
  // MurmurHash3's finalizer: every bit of the id and salt reaches every bit of the result.
  let h = (userId ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

const pad = (n: number) => String(n).padStart(2, '0');
const hm = (hours: number) => `${pad(Math.floor(hours))}:${pad(Math.round((hours % 1) * 60))}`;
/** "8" or "8:30". */
const short = (hours: number) => (hours % 1 ? `${Math.floor(hours)}:${pad(Math.round((hours % 1) * 60))}` : String(hours));
function ampm(hours: number): string {
  const h = Math.floor(hours);
  const m = Math.round((hours % 1) * 60);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}${m ? `:${pad(m)}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** "Mon-Fri" when the days run on, else "Mon, Wed, Fri". */
function daysText(days: number[], names: string[]): string {
  const run = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  return run && days.length > 1 ? `${names[days[0]!]}-${names[days.at(-1)!]}` : days.map((d) => names[d]).join(', ');
}

export function workingHoursText(userId: number, work: DemoWorkPattern | null, timeZone: string): string | null {
  if (!work || hashFrac(userId, 1) < 0.12) return null;
  if (hashFrac(userId, 2) < 0.05) return UNREADABLE[Math.floor(hashFrac(userId, 3) * UNREADABLE.length)]!;
  const weekdays = work.workDays.join() === '1,2,3,4,5';
  const { startHour: from, endHour: to } = work;
  const form = hashFrac(userId, 4);
  const en = (text: string) => (weekdays ? text : `${daysText(work.workDays, EN_DAYS)} ${text}`);
  if (form < 0.25) return en(`${hm(from)}–${hm(to)}`);
  if (form < 0.45) return en(`${ampm(from)}-${ampm(to)}`);
  if (form < 0.6) return `${daysText(work.workDays, EN_DAYS)} ${short(from)}–${short(to)}`;
  if (form < 0.75) return `${daysText(work.workDays, DE_DAYS)} ${hm(from)}-${hm(to)}`;
  if (form < 0.85) return CET_ZONES.has(timeZone) ? en(`${short(from)}-${short(to)} CET`) : en(`${hm(from)} - ${hm(to)}`);
  if (form < 0.92) return `${daysText(work.workDays, FR_DAYS)} ${short(from).replace(':', 'h')}h-${short(to).replace(':', 'h')}h`.replace(/(\d)h(\d\d)h/g, '$1h$2');
  return en(`${hm(from)} - ${hm(to)}`);
}
