// Generates the demo organization: a company of real-looking people from many cultures, a single
// reporting tree under the CEO, all eight kinds of custom profile field filled in with realistic
// sparsity, a few bots and former employees. Deterministic per seed: every random choice comes
// from one seeded PRNG, and nothing depends on the clock, so a given seed is the same company
// on every run and machine.

import { DEPARTMENTS, DEPARTMENT_OPTIONS } from './org/departments';
import { buildProfileFields, FIELD_IDS } from './org/fields';
import { renderPlainMarkdown } from './org/markdown';
import { makeLongName, makeName, type CultureKey, type GeneratedName } from './org/names';
import { OFFICES, REMOTE_ZONES, type RemoteZone } from './org/offices';
import { bioFor, githubHandle, personalWebsite, pronounsFor } from './org/profile-text';
import { Rng } from './org/random';
import { applyPresenceShowcase } from './org/showcase';
import { buildUserGroups } from './org/teams';
import { STATUSES } from './org/statuses';
import { workingHoursText } from './org/working-hours';
import { buildPositions, type Position } from './org/tree';
import type {
  DemoClient,
  DemoOrganization,
  DemoRealm,
  DemoUser,
  DemoUserStatus,
  DemoWorkPattern,
  GenerateOptions,
} from './types';

export const DEFAULT_USER_COUNT = 250;

const COMPANY = { name: 'Acme Corporation', shortName: 'Acme', domain: 'acme.example' };
/** The realm's creation: the CEO's sign-up. */
const REALM_CREATED_MS = Date.UTC(2019, 2, 11, 9, 41);
/** Hiring runs until here; fixed (not "now") so that the organization does not depend on the clock. */
const HIRING_ENDS_MS = Date.UTC(2026, 4, 29);
/** Employees from before the company adopted Zulip have start dates up to this far back. */
const PRE_ZULIP_MS = 700 * 86_400_000;
/** Zulip gives the realm's first users ids after its system bots. */
const FIRST_USER_ID = 8;
const DAY_MS = 86_400_000;

interface Person {
  position: Position | null; // null for bots
  active: boolean;
  name: GeneratedName;
  culture: CultureKey | null;
  office: number;
  timezone: string;
  remote: RemoteZone | null;
  joinedMs: number;
  startDate: string | null;
  managerPerson: number | null;
  bot?: { type: 1 | 2 | 3 | 4; ownerPerson: number; local: string; avatar: 'G' | 'U' };
  userId: number;
}

// Formatting dates is a measurable share of generating 50,000 people; days repeat a lot.
const dayStrings = new Map<number, string>();
function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, text);
  }
  return text;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "2021-03-04T09:15+00:00": Zulip's date_joined, minute precision. */
function isoMinute(ms: number): string {
  const minutes = Math.floor((ms % DAY_MS) / 60_000);
  return `${isoDay(ms)}T${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}+00:00`;
}

/** A hire time in [0, 1] of the hiring period, denser later: the company grew exponentially. */
function growthFraction(u: number): number {
  const k = 2.2;
  return Math.log(1 + u * (Math.exp(k) - 1)) / k;
}

type CultureMix = Partial<Record<CultureKey, number>>;
interface MixTable {
  keys: CultureKey[];
  weights: number[];
}

/** Picks a culture from an office's mix; the key/weight arrays are built once per mix. */
function cultureSampler(rng: Rng): (mix: CultureMix) => CultureKey {
  const tables = new Map<CultureMix, MixTable>();
  return (mix) => {
    let table = tables.get(mix);
    if (!table) {
      const keys = Object.keys(mix) as CultureKey[];
      table = { keys, weights: keys.map((k) => mix[k] as number) };
      tables.set(mix, table);
    }
    return table.keys[rng.weightedIndex(table.weights)] as CultureKey;
  };
}

/** Start date and Zulip sign-up: the account is created on the first day or a few days before it. */
function hireDates(rng: Rng, earliness: number): { joinedMs: number; startDate: string } {
  const span = HIRING_ENDS_MS - REALM_CREATED_MS + PRE_ZULIP_MS;
  let day = Math.floor((REALM_CREATED_MS - PRE_ZULIP_MS + growthFraction(rng.next() * earliness) * span) / DAY_MS) * DAY_MS;
  const weekday = new Date(day).getUTCDay();
  if (weekday === 6) day += 2 * DAY_MS;
  if (weekday === 0) day += DAY_MS;
  const daysBefore = rng.chance(0.6) ? 0 : rng.int(1, 4);
  let joinedMs = day - daysBefore * DAY_MS + rng.int(6 * 60, 16 * 60) * 60_000;
  if (joinedMs < REALM_CREATED_MS) {
    // People who were already here when the company moved to Zulip signed up in its first
    // weeks; those starting in its first days signed up as soon as it existed.
    const preZulip = day < Math.floor(REALM_CREATED_MS / DAY_MS) * DAY_MS;
    joinedMs = REALM_CREATED_MS + (preZulip ? rng.int(5, 21 * 24 * 60) : rng.int(5, 120)) * 60_000;
  }
  return { joinedMs, startDate: isoDay(day) };
}

function workPattern(rng: Rng, position: Position, remote: RemoteZone | null): DemoWorkPattern {
  const roll = rng.next();
  let start: number;
  let length: number;
  let workDays = remote?.workDays ?? [1, 2, 3, 4, 5];
  if (roll < 0.08) {
    start = rng.range(6.5, 7.5); // early bird
    length = rng.range(8.25, 9);
  } else if (roll < 0.15) {
    start = rng.range(10, 12); // night owl
    length = rng.range(8, 9.25);
  } else if (roll < 0.19) {
    start = rng.range(8.5, 10); // part-time
    length = rng.range(4, 6);
    if (rng.chance(0.5)) workDays = workDays.slice(0, 3);
  } else {
    start = 8.5 + (rng.next() + rng.next() - 1) * 0.75;
    length = rng.range(8.5, 9.5);
    if (rng.chance(0.03)) workDays = workDays.slice(0, 4); // four-day week
  }
  const quarter = (h: number) => Math.round(h * 4) / 4;
  const startHour = quarter(start);
  const endHour = Math.min(23.5, quarter(start + length));

  const engineer = DEPARTMENTS[position.department]?.name === 'Engineering';
  const mainRoll = rng.next();
  const main: DemoClient =
    engineer && mainRoll < 0.06 ? 'ZulipTerminal' : mainRoll < 0.73 ? 'website' : 'ZulipDesktop';
  const clients: DemoClient[] = [main];
  if (main === 'website' && rng.chance(0.08)) clients.push('ZulipDesktop');
  if (main === 'ZulipDesktop' && rng.chance(0.15)) clients.push('website');
  if (main === 'ZulipTerminal') clients.push('website');
  else if (engineer && rng.chance(0.05)) clients.push('ZulipTerminal');
  if (rng.chance(0.55)) clients.push('ZulipMobile');

  return { startHour, endHour, workDays, clients, focus: Math.round(rng.range(0.4, 0.9) * 100) / 100 };
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function apiKey(rng: Rng, used: Set<string>): string {
  const codes = new Array<number>(32);
  for (;;) {
    for (let i = 0; i < 32; i++) codes[i] = KEY_ALPHABET.charCodeAt(rng.nextUint32() % 62);
    const key = String.fromCharCode(...codes);
    if (!used.has(key)) {
      used.add(key);
      return key;
    }
  }
}

/** Text fields carry Zulip's rendering of their Markdown (titles repeat, so it is remembered). */
const renderedCache = new Map<string, string>();
function rendered(value: string) {
  let html = renderedCache.get(value);
  if (html === undefined) {
    html = renderPlainMarkdown(value);
    if (renderedCache.size < 10_000) renderedCache.set(value, html);
  }
  return { value, rendered_value: html };
}

const STATUS_WEIGHTS = STATUSES.map((s) => s[1]);

function pickStatus(rng: Rng): DemoUserStatus {
  if (!rng.chance(0.15)) return {};
  const [status] = STATUSES[rng.weightedIndex(STATUS_WEIGHTS)] as (typeof STATUSES)[number];
  return { ...status };
}

/** Chooses roles: the CEO owns the realm; a few admins (heads of Operations/People, IT), some moderators, a few guests. */
function assignRoles(rng: Rng, people: Person[], humans: number): Array<DemoUser['role']> {
  const roles: Array<DemoUser['role']> = people.map(() => 400);
  roles[0] = 100;
  const adminTarget = Math.max(2, Math.min(30, Math.round(humans * 0.01)));
  const deptName = (p: Person) => (p.position ? DEPARTMENT_OPTIONS[p.position.department] : undefined);
  const candidates = people
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => i > 0 && p.active && p.position)
    .sort((a, b) => score(b.p) - score(a.p));
  function score(p: Person): number {
    const pos = p.position as Position;
    if (pos.level === 'head' && (deptName(p) === 'Operations' || deptName(p) === 'People')) return 3;
    if (/^IT |Systems Administrator/.test(pos.title)) return 2;
    if (pos.level === 'head' && deptName(p) === 'Engineering') return 1;
    return 0;
  }
  let admins = 0;
  for (const { p, i } of candidates) {
    if (admins >= adminTarget || (score(p) === 0 && admins >= 2)) break;
    roles[i] = 200;
    admins++;
  }
  people.forEach((p, i) => {
    if (!p.position || roles[i] !== 400) return;
    const pos = p.position;
    if (pos.level !== 'ic') {
      if (rng.chance(0.08)) roles[i] = 300;
    } else if (rng.chance(0.01)) {
      roles[i] = 300;
    } else if (p.active && rng.chance(0.02)) {
      roles[i] = 600; // contractors
    }
  });
  return roles;
}

export function generateOrganization(opts: GenerateOptions): DemoOrganization {
  const seed = Number.isFinite(opts.seed) ? Math.floor(opts.seed) : 0;
  const humans = Number.isFinite(opts.users) && opts.users >= 1 ? Math.floor(opts.users) : DEFAULT_USER_COUNT;
  const rng = new Rng(seed);
  const officeWeights = OFFICES.map((o) => o.weight);
  const remoteWeights = REMOTE_ZONES.map((z) => z.weight);

  const pickCulture = cultureSampler(rng);
  const positions = buildPositions(rng, humans);
  const people: Person[] = [];

  const addHuman = (position: Position, active: boolean, managerPerson: number | null, earliness: number) => {
    const office = OFFICES[position.office] ?? (OFFICES[0] as (typeof OFFICES)[number]);
    const remote = office.timezone === null ? (REMOTE_ZONES[rng.weightedIndex(remoteWeights)] as RemoteZone) : null;
    const culture = pickCulture(remote ? remote.cultures : office.cultures);
    const name = rng.chance(0.004) ? makeLongName(rng) : makeName(rng, culture);
    const { joinedMs, startDate } = hireDates(rng, earliness);
    // A few people never set a timezone in their settings.
    const timezone = rng.chance(0.015) ? '' : (remote?.timezone ?? office.timezone ?? 'UTC');
    people.push({
      position, active, name, culture, office: position.office, timezone, remote,
      joinedMs, startDate, managerPerson, userId: 0,
    });
  };

  positions.forEach((position) => {
    // Senior people tend to have been here longer.
    const earliness = position.level === 'head' ? 0.45 : position.level === 'manager' ? 0.8 : 1;
    addHuman(position, true, position.manager, earliness);
  });
  // The founder created the realm; their start date predates it.
  const ceo = people[0] as Person;
  ceo.joinedMs = REALM_CREATED_MS;
  ceo.startDate = isoDay(REALM_CREATED_MS - rng.int(400, 900) * DAY_MS);

  // Former employees (~2%): deactivated accounts that still appear in GET /users.
  const managersByDept = new Map<number, number[]>();
  positions.forEach((p, i) => {
    if (p.level === 'ic') return;
    const list = managersByDept.get(p.department);
    if (list) list.push(i);
    else managersByDept.set(p.department, [i]);
  });
  const formerCount = Math.round(humans * 0.02);
  for (let k = 0; k < formerCount; k++) {
    const d = rng.int(0, DEPARTMENTS.length - 1);
    const managers = managersByDept.get(d) ?? [0];
    const manager = rng.pick(managers);
    const dept = DEPARTMENTS[d] as (typeof DEPARTMENTS)[number];
    const title = dept.ics[rng.weightedIndex(dept.ics.map((x) => x[1]))]?.[0] ?? dept.manager;
    const office = rng.chance(0.6) ? (positions[manager] as Position).office : rng.weightedIndex(officeWeights);
    addHuman({ department: d, title, level: 'ic', manager, office, reportsBelow: 0 }, false, manager, 0.75);
  }

  const roles = assignRoles(rng, people, humans);

  // Bots, owned by the people who would have set them up.
  const pickOwner = (pred: (p: Person, i: number) => boolean) => {
    const i = people.findIndex((p, k) => p.active && pred(p, k));
    return i >= 0 ? i : 0;
  };
  const itOwner = pickOwner((_p, i) => roles[i] === 200);
  const engHead = pickOwner((p) => p.position?.level === 'head' && DEPARTMENT_OPTIONS[p.position.department] === 'Engineering');
  const botSpecs: Array<[string, string, 1 | 2 | 3 | 4, number, number, boolean, 'G' | 'U']> = [
    // [full name, email local, bot_type, owner, joined, active, avatar]
    ['Directory Bot', 'directory-bot', 1, itOwner, Date.UTC(2026, 5, 2, 14, 5), true, 'G'],
    ['GitHub', 'github-bot', 2, engHead, Date.UTC(2019, 3, 2, 10, 30), true, 'U'],
    ['Deploy Notifications', 'deploy-bot', 1, engHead, Date.UTC(2020, 8, 14, 16, 12), true, 'G'],
    ['Standup Bot', 'standup-bot', 3, itOwner, Date.UTC(2022, 0, 10, 8, 3), true, 'G'],
    ['Followup Bot', 'followup-bot', 4, itOwner, Date.UTC(2023, 6, 19, 13, 40), true, 'G'],
    ['Jira', 'jira-bot', 2, engHead, Date.UTC(2019, 9, 7, 11, 20), false, 'G'],
  ];
  const firstBot = people.length;
  for (const [fullName, local, type, owner, joinedMs, active, avatar] of botSpecs) {
    people.push({
      position: null, active, culture: null, office: -1, timezone: '', remote: null, joinedMs,
      startDate: null, managerPerson: null, userId: 0,
      name: { fullName, emailLocal: local, givenLatin: fullName, familyLatin: '', gender: 'x' },
      bot: { type, ownerPerson: owner, local, avatar },
    });
    roles.push(400);
  }

  // Zulip numbers accounts in sign-up order.
  const order = people.map((_, i) => i).sort((a, b) => (people[a] as Person).joinedMs - (people[b] as Person).joinedMs || a - b);
  order.forEach((personIndex, k) => {
    (people[personIndex] as Person).userId = FIRST_USER_ID + k;
  });

  // Addresses: the earliest to sign up got the plain one; later namesakes get a number.
  const localsTaken = new Map<string, number>();
  for (const b of botSpecs) localsTaken.set(b[1], 1);
  const emails = new Map<number, string>();
  for (const personIndex of order) {
    const p = people[personIndex] as Person;
    if (p.bot) {
      emails.set(personIndex, `${p.bot.local}@${COMPANY.domain}`);
      continue;
    }
    const base = p.name.emailLocal;
    const seen = localsTaken.get(base) ?? 0;
    let local = base;
    if (seen > 0) {
      let n = seen + 1;
      while (localsTaken.has(`${base}${n}`)) n++;
      local = `${base}${n}`;
    }
    localsTaken.set(base, seen + 1);
    if (local !== base) localsTaken.set(local, 1);
    emails.set(personIndex, `${local}@${COMPANY.domain}`);
  }

  const keys = new Set<string>();
  const users: DemoUser[] = people.map((p, i) => {
    const email = emails.get(i) as string;
    if (p.bot) {
      return {
        user_id: p.userId,
        full_name: p.name.fullName,
        delivery_email: email,
        email_visibility: 'everyone',
        is_active: p.active,
        is_bot: true,
        bot_type: p.bot.type,
        bot_owner_id: (people[p.bot.ownerPerson] as Person).userId,
        role: 400,
        timezone: '',
        date_joined: isoMinute(p.joinedMs),
        avatar_source: p.bot.avatar,
        avatar_version: p.bot.avatar === 'U' ? 2 : 1,
        profile_data: {},
        status: {},
        presence_enabled: true,
        api_key: apiKey(rng, keys),
        work: null,
      };
    }
    return humanUser(rng, p, i, people, roles[i] as DemoUser['role'], email, keys);
  });
  users.sort((a, b) => a.user_id - b.user_id);

  const realm: DemoRealm = {
    id: 2,
    name: COMPANY.name,
    description: `The ${COMPANY.name} staff chat. Say hi in #general, and find anyone in the directory.`,
    email_domain: COMPANY.domain,
    date_created: new Date(REALM_CREATED_MS).toISOString(),
  };
  return {
    seed,
    realm,
    profileFields: buildProfileFields(COMPANY.shortName),
    users,
    directoryBotId: (people[firstBot] as Person).userId,
    ceoId: ceo.userId,
    // After everything random, so nobody else changes (docs/zulip-versions.md §1).
    presenceShowcase: applyPresenceShowcase(users, ceo.userId, seed),
    // Drawn from everyone as generated, with no random numbers: no one else changes.
    userGroups: buildUserGroups(users, ceo.userId, seed, REALM_CREATED_MS),
  };
}

function humanUser(
  rng: Rng,
  p: Person,
  index: number,
  people: Person[],
  role: DemoUser['role'],
  email: string,
  keys: Set<string>,
): DemoUser {
  const position = p.position as Position;
  const officeName = OFFICES[p.office]?.name ?? 'Remote';
  const title = role === 600 ? `${position.title} (Contractor)` : position.title;
  const F = FIELD_IDS;
  const profile: DemoUser['profile_data'] = {};
  // Title, department, office and manager are HR-managed, so nearly always set; the manager
  // field is always set (the reporting tree must be complete). Self-service fields are sparser.
  if (index === 0 || rng.chance(0.99)) profile[F.title] = rendered(title);
  if (index === 0 || rng.chance(0.985)) profile[F.department] = { value: String(position.department) };
  if (rng.chance(0.975)) profile[F.office] = { value: String(p.office) };
  if (p.managerPerson !== null) profile[F.manager] = { value: `[${(people[p.managerPerson] as Person).userId}]` };
  if (p.startDate && (index === 0 || rng.chance(0.9))) profile[F.startDate] = { value: p.startDate };
  const dept = DEPARTMENTS[position.department];
  if (rng.chance(dept?.githubShare ?? 0.1)) profile[F.github] = { value: githubHandle(rng, p.name) };
  if (rng.chance(0.45)) profile[F.pronouns] = { value: pronounsFor(rng, p.name.gender) };
  if (rng.chance(0.3)) profile[F.bio] = rendered(bioFor(rng, p.culture ?? 'en', title, officeName));
  if (rng.chance(0.1)) profile[F.website] = { value: personalWebsite(rng, p.name) };

  const visRoll = rng.next();
  const uploaded = rng.chance(0.3);
  const status = p.active ? pickStatus(rng) : {};
  const presenceEnabled = !rng.chance(0.05);
  const key = apiKey(rng, keys);
  // A few people signed up and never opened Zulip (never the CEO, who created the realm).
  const work = index !== 0 && rng.chance(0.05) ? null : workPattern(rng, position, p.remote);
  const hours = workingHoursText(p.userId, work, p.timezone);
  if (hours) profile[F.workingHours] = rendered(hours);
  return {
    user_id: p.userId,
    full_name: p.name.fullName,
    delivery_email: email,
    email_visibility: visRoll < 0.06 ? 'admins' : visRoll < 0.1 ? 'nobody' : 'everyone',
    is_active: p.active,
    is_bot: false,
    bot_type: null,
    bot_owner_id: null,
    role,
    timezone: p.timezone,
    date_joined: isoMinute(p.joinedMs),
    avatar_source: uploaded ? 'U' : 'G',
    avatar_version: uploaded ? rng.int(2, 6) : 1,
    profile_data: profile,
    status,
    presence_enabled: presenceEnabled,
    api_key: key,
    work,
  };
}
