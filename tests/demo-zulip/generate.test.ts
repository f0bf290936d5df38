import { describe, expect, it } from 'vitest';
import { generateOrganization } from '../../lib/demo-zulip/generate';
import { renderPlainMarkdown } from '../../lib/demo-zulip/org/markdown';
import { slugify } from '../../lib/demo-zulip/org/names';
import { PROFILE_FIELD_TYPES, type DemoOrganization, type DemoUser } from '../../lib/demo-zulip/types';
import { parseWorkingHours } from '../../lib/directory/domain/availability/working-hours';

const small = generateOrganization({ seed: 1, users: 250 });
const large = generateOrganization({ seed: 42, users: 5000 });

const fieldId = (org: DemoOrganization, name: string) => {
  const field = org.profileFields.find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}`);
  return String(field.id);
};
const activeHumans = (org: DemoOrganization) => org.users.filter((u) => u.is_active && !u.is_bot);
const managerOf = (org: DemoOrganization, u: DemoUser): number | null => {
  const value = u.profile_data[fieldId(org, 'Manager')]?.value;
  if (value === undefined) return null;
  const ids = JSON.parse(value) as number[];
  return ids.length === 1 ? (ids[0] as number) : null;
};
const share = (users: DemoUser[], pred: (u: DemoUser) => boolean) => users.filter(pred).length / users.length;
const selectOptions = (org: DemoOrganization, name: string) =>
  JSON.parse(org.profileFields.find((f) => f.name === name)?.field_data ?? '{}') as Record<string, { text: string; order: string }>;

describe('generateOrganization: determinism', () => {
  it('gives the same organization for the same seed', () => {
    expect(generateOrganization({ seed: 1, users: 250 })).toEqual(small);
  });

  it('gives a different organization for a different seed', () => {
    const other = generateOrganization({ seed: 2, users: 250 });
    expect(other.users.map((u) => u.full_name)).not.toEqual(small.users.map((u) => u.full_name));
    expect(other.users.map((u) => u.api_key)).not.toEqual(small.users.map((u) => u.api_key));
  });
});

describe('generateOrganization: accounts', () => {
  it.each([1, 2, 5, 12, 250, 5000])('has exactly the requested number of active humans (%i)', (n) => {
    const org = n === 250 ? small : n === 5000 ? large : generateOrganization({ seed: 3, users: n });
    expect(activeHumans(org)).toHaveLength(n);
    expect(org.users.find((u) => u.user_id === org.ceoId)?.role).toBe(100);
  });

  it('has unique ids, emails and API keys, sorted by id in sign-up order', () => {
    for (const org of [small, large]) {
      const ids = org.users.map((u) => u.user_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(org.users.map((u) => u.delivery_email.toLowerCase())).size).toBe(ids.length);
      expect(new Set(org.users.map((u) => u.api_key)).size).toBe(ids.length);
      for (const u of org.users) expect(u.api_key).toMatch(/^[A-Za-z0-9]{32}$/);
      const joined = org.users.map((u) => Date.parse(u.date_joined));
      for (let i = 1; i < joined.length; i++) expect(joined[i]).toBeGreaterThanOrEqual(joined[i - 1] as number);
    }
  });

  it('uses plausible ASCII addresses at the realm domain', () => {
    expect(small.realm.name).toBe('Acme Corporation');
    expect(small.realm.email_domain).toBe('acme.example');
    for (const u of large.users) expect(u.delivery_email).toMatch(/^[a-z0-9][a-z0-9.-]*@acme\.example$/);
    expect(slugify('José García')).toBe('josegarcia');
    expect(slugify('Łukasz')).toBe('lukasz');
    expect(slugify("O'Brien")).toBe('obrien');
  });

  it('has the directory bot and other bots, owned by active humans', () => {
    const bot = small.users.find((u) => u.user_id === small.directoryBotId) as DemoUser;
    expect(bot).toMatchObject({ is_bot: true, bot_type: 1, full_name: 'Directory Bot', is_active: true, work: null });
    expect(bot.delivery_email).toBe('directory-bot@acme.example');
    const bots = small.users.filter((u) => u.is_bot);
    expect(bots.some((b) => b.bot_type === 2)).toBe(true);
    expect(bots.length).toBeGreaterThanOrEqual(3);
    const humans = new Map(activeHumans(small).map((u) => [u.user_id, u]));
    for (const b of bots) {
      expect(humans.has(b.bot_owner_id as number)).toBe(true);
      expect(b.profile_data).toEqual({});
      expect(b.email_visibility).toBe('everyone');
    }
  });

  it('has realistic shares of hidden emails, avatars, statuses, invisibility, roles', () => {
    const humans = activeHumans(large);
    const allHumans = large.users.filter((u) => !u.is_bot);
    expect(allHumans.filter((u) => !u.is_active)).toHaveLength(100); // 2% former employees
    expect(share(humans, (u) => u.email_visibility !== 'everyone')).toBeGreaterThan(0.07);
    expect(share(humans, (u) => u.email_visibility !== 'everyone')).toBeLessThan(0.13);
    expect(share(humans, (u) => u.avatar_source === 'U')).toBeGreaterThan(0.26);
    expect(share(humans, (u) => u.avatar_source === 'U')).toBeLessThan(0.34);
    expect(share(humans, (u) => Object.keys(u.status).length > 0)).toBeGreaterThan(0.12);
    expect(share(humans, (u) => Object.keys(u.status).length > 0)).toBeLessThan(0.18);
    expect(share(humans, (u) => !u.presence_enabled)).toBeGreaterThan(0.035);
    expect(share(humans, (u) => !u.presence_enabled)).toBeLessThan(0.065);
    expect(share(humans, (u) => u.work === null)).toBeGreaterThan(0.035);
    expect(share(humans, (u) => u.work === null)).toBeLessThan(0.065);
    const roles = (r: number) => humans.filter((u) => u.role === r).length;
    expect(roles(100)).toBe(1);
    expect(roles(200)).toBeGreaterThanOrEqual(2);
    expect(roles(200)).toBeLessThanOrEqual(50);
    expect(roles(300)).toBeGreaterThan(20);
    expect(roles(600)).toBeGreaterThan(20);
    expect(roles(400) / humans.length).toBeGreaterThan(0.9);
  });

  it('gives statuses in Zulip shape', () => {
    for (const u of large.users) {
      const s = u.status;
      if (s.emoji_name) {
        expect(s.reaction_type).toBe('unicode_emoji');
        expect(s.emoji_code).toMatch(/^[0-9a-f]{4,5}$/);
      }
      if (s.status_text !== undefined) expect(s.status_text.length).toBeLessThanOrEqual(60);
    }
    expect(large.users.some((u) => u.status.status_text === 'Vacationing' && u.status.emoji_code === '1f334')).toBe(true);
    expect(large.users.some((u) => u.status.status_text && !u.status.emoji_name)).toBe(true);
  });
});

describe('generateOrganization: names', () => {
  it('draws names from many cultures and scripts', () => {
    const names = large.users.map((u) => u.full_name).join('\n');
    for (const script of [/\p{Script=Han}/u, /\p{Script=Cyrillic}/u, /\p{Script=Arabic}/u, /\p{Script=Greek}/u, /\p{Script=Hangul}/u, /\p{Script=Devanagari}/u]) {
      expect(names).toMatch(script);
    }
    expect(names).toMatch(/[áéíóúãõçñöüäëïøåłńśżễịơưạ]/i);
    expect(large.users.some((u) => u.full_name.length > 35)).toBe(true);
  });
});

describe('generateOrganization: profile fields', () => {
  it('has all eight field types in the documented order', () => {
    expect(small.profileFields.map((f) => [f.name, f.type])).toEqual([
      ['Title', 1], ['Department', 3], ['Office', 3], ['Manager', 6], ['Start date', 4],
      ['GitHub', 7], ['Pronouns', 8], ['Bio', 2], ['Personal website', 5], ['Working hours', 1],
    ]);
    expect(new Set(small.profileFields.map((f) => f.type))).toEqual(new Set(Object.values(PROFILE_FIELD_TYPES)));
    expect(JSON.parse(small.profileFields[5]?.field_data ?? '')).toEqual({ subtype: 'github' });
    expect(small.profileFields.filter((f) => f.display_in_profile_summary).length).toBeLessThanOrEqual(2);
  });

  it('stores valid option keys, dates, handles, URLs and rendered text', () => {
    const fields = new Map(large.profileFields.map((f) => [String(f.id), f]));
    const options = new Map(
      large.profileFields.filter((f) => f.type === 3).map((f) => [String(f.id), Object.keys(JSON.parse(f.field_data))]),
    );
    for (const opts of options.values()) expect(opts).toEqual(opts.map((_, i) => String(i)));
    // Collected rather than asserted one by one: tens of thousands of values.
    const problems: string[] = [];
    const check = (ok: boolean, u: DemoUser, id: string, value: string) => {
      if (!ok) problems.push(`user ${u.user_id} field ${id}: ${JSON.stringify(value)}`);
    };
    for (const u of large.users) {
      for (const [id, { value, rendered_value }] of Object.entries(u.profile_data)) {
        const type = fields.get(id)?.type;
        const textual = type === 1 || type === 2;
        check(type !== undefined, u, id, value);
        check(textual ? rendered_value === renderPlainMarkdown(value) : rendered_value === undefined, u, id, value);
        if (textual) check(/^<p>[\s\S]*<\/p>$/.test(rendered_value ?? '') && !/<(?!\/?p>|br>)/.test(rendered_value ?? ''), u, id, value);
        if (type === 3) check(options.get(id)?.includes(value) ?? false, u, id, value);
        if (type === 4) check(/^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value)), u, id, value);
        if (type === 5) check(URL.canParse(value), u, id, value);
        if (type === 6) check(/^\[\d+\]$/.test(value), u, id, value);
        if (type === 7) check(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/.test(value), u, id, value);
        if (type === 8) check(value.length > 0 && value.length < 30, u, id, value);
      }
    }
    expect(problems).toEqual([]);
  });

  it("writes working hours that the directory reads as the hours each person's simulated day follows", () => {
    const id = fieldId(large, 'Working hours');
    const written = activeHumans(large).filter((u) => u.profile_data[id] && u.work);
    const parsed = written.map((u) => ({ u, hours: parseWorkingHours(u.profile_data[id]!.value) }));
    const unreadable = parsed.filter((p) => p.hours === null);
    expect(unreadable.length / written.length).toBeGreaterThan(0.02);
    expect(unreadable.length / written.length).toBeLessThan(0.1);
    for (const { u, hours } of parsed) {
      if (!hours) continue;
      expect({ value: u.profile_data[id]!.value, days: hours.days, start: hours.start, end: hours.end }).toEqual({
        value: u.profile_data[id]!.value,
        days: u.work!.workDays,
        start: Math.round(u.work!.startHour * 60),
        end: Math.round(u.work!.endHour * 60),
      });
    }
    // The forms the README lists, all of them in use.
    const values = written.map((u) => u.profile_data[id]!.value);
    for (const form of [/^\d\d:\d\d–\d\d:\d\d$/, /^\d{1,2}(:\d\d)?[ap]m-/, /^Mon-\w{3} \d/, /^Mo-Fr \d\d:\d\d-/, / CET$/, /^lun-ven \d+h/]) {
      expect(values.some((v) => form.test(v))).toBe(true);
    }
  });

  it('renders Markdown as Zulip does for plain text', () => {
    expect(renderPlainMarkdown('I write about <html> & CSS')).toBe('<p>I write about &lt;html&gt; &amp; CSS</p>');
    expect(renderPlainMarkdown('One.\n\nTwo\nthree')).toBe('<p>One.</p>\n<p>Two<br>\nthree</p>');
  });

  it('fills HR fields almost always and self-service fields sparsely', () => {
    const humans = activeHumans(large);
    const filled = (name: string) => share(humans, (u) => u.profile_data[fieldId(large, name)] !== undefined);
    for (const name of ['Title', 'Department', 'Office']) expect(filled(name)).toBeGreaterThan(0.95);
    expect(filled('Manager')).toBeCloseTo(1 - 1 / humans.length, 5);
    expect(filled('Start date')).toBeGreaterThan(0.85);
    for (const name of ['GitHub', 'Pronouns', 'Bio', 'Personal website']) {
      expect(filled(name)).toBeGreaterThan(0.05);
      expect(filled(name)).toBeLessThan(0.6);
    }
    // Most people give working hours, in varied forms, a few unreadable (docs/architecture.md §18).
    expect(filled('Working hours')).toBeGreaterThan(0.7);
  });

  it('makes date_joined minute-precise and consistent with the start date', () => {
    const start = fieldId(large, 'Start date');
    const realmDay = large.realm.date_created.slice(0, 10);
    for (const u of large.users) {
      expect(u.date_joined).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\+00:00$/);
      const startDate = u.profile_data[start]?.value;
      if (!startDate || startDate < realmDay) continue; // joined before the company moved to Zulip
      const days = (Date.parse(startDate) - Date.parse(u.date_joined.slice(0, 10))) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(0);
      expect(days).toBeLessThanOrEqual(7);
    }
  });
});

describe('generateOrganization: reporting structure', () => {
  it.each([
    ['250', small],
    ['5000', large],
    ['12', generateOrganization({ seed: 9, users: 12 })],
  ])('is one tree under the CEO (%s people)', (_label, org) => {
    const humans = new Map(activeHumans(org).map((u) => [u.user_id, u]));
    const ceo = humans.get(org.ceoId) as DemoUser;
    expect(ceo.role).toBe(100);
    expect(managerOf(org, ceo)).toBeNull();
    // Walk every chain up to the root; remember people already known to reach it.
    const reachesCeo = new Set([org.ceoId]);
    const problems: string[] = [];
    for (const u of humans.values()) {
      const chain: number[] = [];
      let at: number | null = u.user_id;
      while (at !== null && !reachesCeo.has(at)) {
        if (chain.includes(at)) {
          problems.push(`cycle through ${at}`);
          break;
        }
        chain.push(at);
        const m = managerOf(org, humans.get(at) as DemoUser);
        if (m === null || !humans.has(m)) {
          problems.push(`${at} has manager ${m}, not an active human`);
          break;
        }
        at = m;
      }
      if (at !== null && reachesCeo.has(at)) for (const c of chain) reachesCeo.add(c);
    }
    expect(problems).toEqual([]);
    expect(reachesCeo.size).toBe(humans.size);
  });

  it('has realistic spans, coherent departments and titles that match the level', () => {
    const org = large;
    const humans = activeHumans(org);
    const dept = fieldId(org, 'Department');
    const title = fieldId(org, 'Title');
    const deptNames = selectOptions(org, 'Department');
    const reports = new Map<number, DemoUser[]>();
    for (const u of humans) {
      const m = managerOf(org, u);
      if (m !== null) reports.set(m, [...(reports.get(m) ?? []), u]);
    }
    const spans = [...reports.values()].map((r) => r.length);
    expect(Math.max(...spans)).toBeLessThanOrEqual(10);
    const mean = spans.reduce((a, b) => a + b, 0) / spans.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(10);

    let same = 0;
    let total = 0;
    const byId = new Map(humans.map((u) => [u.user_id, u]));
    for (const [managerId, team] of reports) {
      const manager = byId.get(managerId) as DemoUser;
      const managerTitle = manager.profile_data[title]?.value ?? 'Manager'; // ~1% leave it empty
      expect(managerTitle).toMatch(/Chief|VP|Head|Director|Manager|Lead|Counsel/);
      if (managerId === org.ceoId) {
        // Department heads report to the CEO.
        for (const head of team) expect(head.profile_data[title]?.value ?? 'VP').toMatch(/^(VP of|Head of|Chief|General Counsel)/);
        continue;
      }
      for (const member of team) {
        const d = member.profile_data[dept]?.value;
        const md = manager.profile_data[dept]?.value;
        if (d === undefined || md === undefined) continue;
        total++;
        if (d === md) same++;
      }
    }
    expect(same / total).toBeGreaterThan(0.95);
    expect(Object.values(deptNames).map((o) => o.text)).toContain('Engineering');
  });
});

describe('generateOrganization: places, times and work patterns', () => {
  it('uses valid IANA timezones that match offices', () => {
    const office = fieldId(large, 'Office');
    const offices = selectOptions(large, 'Office');
    const expected: Record<string, string> = {
      Lisbon: 'Europe/Lisbon', 'São Paulo': 'America/Sao_Paulo', Tokyo: 'Asia/Tokyo', Bengaluru: 'Asia/Kolkata',
      'New York': 'America/New_York', Berlin: 'Europe/Berlin', Sydney: 'Australia/Sydney', Nairobi: 'Africa/Nairobi',
    };
    const zones = new Set(large.users.map((u) => u.timezone).filter(Boolean));
    for (const tz of zones) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: tz })).not.toThrow();
    expect(large.users.some((u) => !u.is_bot && u.timezone === '')).toBe(true);
    for (const u of large.users) {
      const key = u.profile_data[office]?.value;
      const name = key === undefined ? undefined : offices[key]?.text;
      if (name && expected[name] && u.timezone) expect(u.timezone).toBe(expected[name]);
    }
  });

  it('gives humans plausible work patterns', () => {
    // The two presence showcase people have made-up habits on purpose (showcase.test.ts).
    const showcase = new Set([large.presenceShowcase.idleOnly, large.presenceShowcase.activeOnly]);
    for (const u of activeHumans(large)) {
      const w = u.work;
      if (!w || showcase.has(u.user_id)) continue;
      expect(w.startHour).toBeGreaterThanOrEqual(5);
      expect(w.endHour).toBeGreaterThan(w.startHour);
      expect(w.endHour).toBeLessThan(24);
      expect(w.workDays.length).toBeGreaterThan(0);
      expect(w.focus).toBeGreaterThanOrEqual(0.4);
      expect(w.focus).toBeLessThanOrEqual(0.9);
      expect(w.clients[0]).not.toBe('ZulipMobile');
      expect(new Set(w.clients).size).toBe(w.clients.length);
    }
    const withWork = activeHumans(large).filter((u) => u.work);
    expect(share(withWork, (u) => u.work?.clients[0] === 'website')).toBeGreaterThan(0.6);
    expect(share(withWork, (u) => u.work?.clients.includes('ZulipMobile') ?? false)).toBeGreaterThan(0.4);
    expect(withWork.some((u) => u.work?.clients.includes('ZulipTerminal'))).toBe(true);
    expect(withWork.some((u) => u.work?.clients.includes('ZulipDesktop'))).toBe(true);
  });
});

describe('generateOrganization: scale', () => {
  it('generates 50,000 people in under 3 seconds', () => {
    const started = performance.now();
    const org = generateOrganization({ seed: 5, users: 50_000 });
    const elapsed = performance.now() - started;
    expect(activeHumans(org)).toHaveLength(50_000);
    expect(elapsed).toBeLessThan(3000);
  });
});
