// The org chart end to end on the server: the demo Zulip server over HTTP, the runtime keeping
// the people store current from its events, and the real GET /api/org handler and profile
// service answering. Messy data is made the way it happens in Zulip (a manager deactivated,
// a field listing two people, two people listing each other, a manager turned guest), and the
// chart must keep everyone placed, never hang, and never name someone the directory hides; each
// profile's reporting line must say what the chart draws (docs/architecture.md §14).
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as orgRoute } from '@/app/api/org/route';
import { ORG_PAGE_SIZE, type OrgLevel, type OrgNode, type OrgPath } from '@/lib/directory/domain/org-chart-types';
import type { Profile } from '@/lib/directory/domain/service-types';
import { getProfile } from '@/lib/server/directory-service';
import { getOrgChartPage, orgChartOf } from '@/lib/server/org-chart-service';
import { shownPresence } from '@/lib/server/shown-presence';
import { proxy } from '@/proxy';
import { startTestDirectory, until, type TestDirectory } from '../support/directory';
import { theApp } from '@/lib/server/app-handle';

const ORIGIN = 'http://directory.test';
const MANAGER_FIELD = '4';

let dir: TestDirectory;

async function api(search: string): Promise<{ status: number; body: unknown }> {
  const res = await orgRoute(new NextRequest(`${ORIGIN}/api/org${search}`));
  return { status: res.status, body: await res.json() };
}

async function level(parent: number | null, offset = 0): Promise<OrgLevel> {
  const params = new URLSearchParams();
  if (parent !== null) params.set('parent', String(parent));
  if (offset) params.set('offset', String(offset));
  const { status, body } = await api(params.size ? `?${params}` : '');
  expect(status).toBe(200);
  return body as OrgLevel;
}

/** Every row of the chart, walked through the API a level and a page at a time. */
async function walk(): Promise<Array<OrgNode & { parent: number | null; depth: number }>> {
  const rows: Array<OrgNode & { parent: number | null; depth: number }> = [];
  const visit = async (parent: number | null, depth: number): Promise<void> => {
    for (let offset = 0; ; offset += ORG_PAGE_SIZE) {
      const page = await level(parent, offset);
      for (const node of page.items) {
        rows.push({ ...node, parent, depth });
        if (!node.repeat && node.reports > 0) await visit(node.id, depth + 1);
      }
      if (offset + ORG_PAGE_SIZE >= page.total) break;
    }
  };
  await visit(null, 1);
  return rows;
}

const setManagers = (id: number, managers: number[] | null) =>
  dir.control('PATCH', `/demo/users/${id}`, { profile_data: { [MANAGER_FIELD]: managers === null ? null : JSON.stringify(managers) } });

const managersOf = (id: number) => dir.runtime.view.people.get(id)?.managerIds ?? [];
const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Someone's profile, checked against the chart as GET /api/org serves it: the chain is the way
 * down to them, the first manager the row above them, the other managers its "also reports to",
 * the reports their level and the peers the rest of their manager's level.
 */
async function profileAgreeingWithChart(id: number): Promise<Profile> {
  const profile = (await getProfile(theApp(), String(id)))!;
  expect(profile).not.toBeNull();
  const { path } = (await api(`?focus=${id}`)).body as OrgPath;
  expect(profile.line.chain.map((p) => p.id)).toEqual(path);
  const own = await level(id);
  expect(profile.reports.items.map((p) => p.id)).toEqual(own.items.map((n) => n.id));
  expect(profile.reports.total).toBe(own.total);
  const parent = path.length > 1 ? path.at(-2)! : null;
  const around = await level(parent);
  const row = around.items.find((n) => n.id === id)!;
  expect(profile.line.managers.slice(1)).toEqual(row.alsoReportsTo);
  if (parent === null) return profile;
  expect(profile.line.managers[0]!.id).toBe(parent);
  expect(profile.peers.items.map((p) => p.id)).toEqual(around.items.filter((n) => n.id !== id).map((n) => n.id));
  // Named as the chart names them, someone who left marked so.
  const above = (await level(path.length > 2 ? path.at(-3)! : null)).items.find((n) => n.id === parent)!;
  expect(profile.line.managers[0]).toEqual({ id: parent, name: above.name, left: above.left });
  expect(profile.line.chain.at(-2)).toEqual(profile.line.managers[0]);
  return profile;
}

/** Changes someone's manager field in Zulip and waits until the directory has the event. */
async function changeManagers(id: number, managers: number[] | null): Promise<void> {
  await setManagers(id, managers);
  await until(() => sameIds(managersOf(id), managers ?? []), `the manager field of ${id}`);
}

// Zulip 10.x, and 6.x, where a deactivation arrives as a `remove` event rather than an update (docs/zulip.md §e).
for (const featureLevel of [372, 150]) describe(`at feature level ${featureLevel}`, () => {
  beforeAll(async () => {
    dir = await startTestDirectory({ demo: { users: 160, seed: 5, featureLevel } });
  }, 30_000);

  afterAll(() => dir?.close());

  describe('the org chart of the demo organization', () => {
    it('places every listed person exactly once, under the manager Zulip names, with the CEO at the top', async () => {
      const rows = await walk();
      const listed = dir.runtime.view.people.list();
      const countBelow = (id: number): number => rows.filter((r) => r.parent === id && !r.repeat).reduce((sum, r) => sum + 1 + countBelow(r.id), 0);
      expect(rows.filter((r) => !r.repeat).map((r) => r.id).sort((a, b) => a - b)).toEqual(listed.map((p) => p.id).sort((a, b) => a - b));
      const top = await level(null);
      expect(top.total).toBe(1);
      const ceo = top.items[0]!;
      expect(ceo.reports).toBeGreaterThan(0);
      for (const row of rows) {
        if (row.parent !== null) expect(managersOf(row.id)[0]).toBe(row.parent);
        // Counts on the disclosure are the rows under it, and the headcount everyone further down.
        if (row.reports > 0) expect((await level(row.id)).total).toBe(row.reports);
        if (!row.repeat) expect(row.below).toBe(countBelow(row.id));
      }
      expect(ceo.below).toBe(listed.length - 1);
      // Title and a live presence summary, as the directory shows them (someone Zulip reports
      // presence for: an absent summary is null, so a chart that never sent one would not pass).
      const someone = rows.find((r) => r.depth === 3 && shownPresence(dir.runtime.view, r.id) !== null);
      if (!someone) throw new Error('no one three levels down has presence from Zulip');
      expect(someone.title).toBe(dir.runtime.view.people.get(someone.id)!.title);
      expect(someone.presence).toEqual(shownPresence(dir.runtime.view, someone.id));
      expect(someone.presence).not.toBeNull();
    });

    it('answers the way down to someone deep, each level the page holding the next step', async () => {
      const rows = await walk();
      const deep = rows.reduce((a, b) => (b.depth > a.depth ? b : a));
      const { status, body } = await api(`?focus=${deep.id}`);
      expect(status).toBe(200);
      const { path, levels } = body as OrgPath;
      expect(path.at(-1)).toBe(deep.id);
      expect(path).toHaveLength(deep.depth);
      levels.forEach((lvl, i) => {
        expect(lvl.parent).toBe(i === 0 ? null : path[i - 1]);
        expect(lvl.items.map((n) => n.id)).toContain(path[i]);
      });
      // The page renders the same way down, with that person's managers open.
      const page = await getOrgChartPage(theApp(), deep.id);
      expect(page.focus).toEqual({ id: deep.id, found: true });
      expect(page.open).toEqual(path.slice(0, -1));
      expect(page.managerField).toBe('Manager');
    });

    it('says so for someone not in the chart, and refuses malformed input with a 400', async () => {
      const unknown = await api('?focus=987654');
      expect(unknown.status).toBe(404);
      expect((unknown.body as { error: { code: string; message: string } }).error.message).toMatch(/is in the org chart: they may have left/);
      expect((await api('?parent=987654')).status).toBe(404);
      for (const bad of ['?focus=abc', '?parent=1&focus=2', '?offset=-5', '?parent=1&parent=2', '?depth=3', '?focus=%F0%9F%98%80']) {
        const { status, body } = await api(bad);
        expect(status, bad).toBe(400);
        expect((body as { error: { code: string } }).error.code).toBe('invalid_query');
      }
      // The page shows the chart from the top, and says why.
      const page = await getOrgChartPage(theApp(), 987654);
      expect(page.focus).toEqual({ id: 987654, found: false });
      expect(page.levels[0]!.parent).toBeNull();
      // A malformed page address is a 400 page from proxy.ts, before any route runs.
      for (const bad of ['/org?focus=abc', '/org?focus=1&focus=2', '/org?who=1']) {
        const res = await proxy(new NextRequest(`${ORIGIN}${bad}`));
        expect(res.status, bad).toBe(400);
        expect(await res.text()).toContain('The org chart could not read this link');
      }
      expect((await proxy(new NextRequest(`${ORIGIN}/org?focus=5`))).headers.get('x-middleware-next')).toBe('1');
    });

    it('keeps its index while only statuses change, and rebuilds it when a reporting line does', async () => {
      const chart = orgChartOf(dir.runtime);
      const someone = dir.runtime.view.people.list()[3]!;
      const account = dir.demo.org.users.find((u) => u.user_id === someone.id)!;
      const response = await fetch(`${dir.demo.site}/api/v1/users/me/status`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${account.delivery_email}:${account.api_key}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ status_text: 'Org chart test' }),
      });
      expect(response.status).toBe(200);
      await until(() => dir.runtime.view.people.get(someone.id)?.status?.text === 'Org chart test', 'the status event');
      expect(orgChartOf(dir.runtime)).toBe(chart);
      const before = managersOf(someone.id);
      await changeManagers(someone.id, [...before, dir.runtime.view.people.list()[0]!.id]);
      expect(orgChartOf(dir.runtime)).not.toBe(chart);
      await changeManagers(someone.id, before);
    });

    it('a profile shows its reporting line, direct reports and peers as the chart draws them', async () => {
      const rows = await walk();
      const person = rows.find((r) => r.depth === 3 && r.reports === 0)!;
      const profile = await profileAgreeingWithChart(person.id);
      const manager = managersOf(person.id)[0]!;
      expect(profile.line.managers.map((p) => p.id)).toEqual([manager]);
      expect(profile.line.chain).toHaveLength(3);
      const siblings = dir.runtime.view.people.list().filter((p) => p.managerIds.includes(manager) && p.id !== person.id);
      expect(profile.peers.items.map((p) => p.id).sort()).toEqual(siblings.map((p) => p.id).sort());
      expect(profile.peers.total).toBeGreaterThan(0);
      const managerProfile = await profileAgreeingWithChart(manager);
      expect(managerProfile.reports.items.map((p) => p.id)).toContain(person.id);
      await profileAgreeingWithChart(rows[0]!.id);
    });
  });

  describe('presence turned off by the organization', () => {
    it('the profile, its reporting line and the chart show no presence, and their freshness says why', async () => {
      const rows = await walk();
      const manager = rows.find((r) => r.depth === 2 && r.reports > 1)!;
      const shown = (profile: Profile) => [profile.person, ...profile.reports.items, ...profile.peers.items].map((p) => p.presence);
      expect(shown((await getProfile(theApp(), String(manager.id)))!).some((presence) => presence !== null)).toBe(true);
      await dir.control('POST', '/demo/realm', { presence_disabled: true });
      try {
        await until(() => dir.runtime.view.presenceDisabled, 'the realm event');
        const profile = await profileAgreeingWithChart(manager.id);
        expect(profile.freshness.presenceDisabled).toBe(true);
        expect(shown(profile).every((presence) => presence === null)).toBe(true);
        expect((await level(manager.id)).items.every((n) => n.presence === null)).toBe(true);
        expect((await getOrgChartPage(theApp(), manager.id)).freshness.presenceDisabled).toBe(true);
      } finally {
        await dir.control('POST', '/demo/realm', { presence_disabled: false });
        await until(() => !dir.runtime.view.presenceDisabled, 'the realm event back');
      }
    });
  });

  describe('messy reporting lines, as Zulip sends them', () => {
    it('a manager who leaves stays in the chart, marked, with their reports under them', async () => {
      const rows = await walk();
      const manager = rows.find((r) => r.depth === 3 && r.reports > 1)!;
      const reports = (await level(manager.id)).items.map((n) => n.id);
      const fields = (await getProfile(theApp(), String(manager.id)))!.person.fields;
      expect(Object.keys(fields).length).toBeGreaterThan(0);
      await dir.control('PATCH', `/demo/users/${manager.id}`, { is_active: false });
      try {
        await until(() => dir.runtime.view.people.get(manager.id) === undefined, 'the deactivation event');
        const under = (await level(manager.parent)).items.find((n) => n.id === manager.id)!;
        expect(under).toMatchObject({ name: manager.name, left: true, presence: null, title: null, reports: reports.length });
        expect((await level(manager.id)).items.map((n) => n.id)).toEqual(reports);
        const path = (await api(`?focus=${reports[0]}`)).body as OrgPath;
        expect(path.path.at(-2)).toBe(manager.id);
        // Their profile is gone (the directory lists only active people); the chart still names them.
        expect(await getProfile(theApp(), String(manager.id))).toBeNull();
        // Their reports' profiles say so too: the manager is the one who left, and the team are peers.
        for (const id of reports) {
          const profile = await profileAgreeingWithChart(id);
          expect(profile.line.managers).toEqual([{ id: manager.id, name: manager.name, left: true }]);
          expect(profile.peers.total).toBe(reports.length - 1);
        }
        const above = await profileAgreeingWithChart(manager.parent!);
        expect(above.reports.items.find((p) => p.id === manager.id)).toMatchObject({ name: manager.name, left: true, presence: null });
      } finally {
        await dir.control('PATCH', `/demo/users/${manager.id}`, { is_active: true });
        await until(() => dir.runtime.view.people.get(manager.id) !== undefined, 'the reactivation event');
      }
      // Back with their profile: before FL 222 Zulip announces a reactivation as a new account
      // with empty profile data (notify_created_user, docs/zulip.md §e), yet the values are kept.
      expect((await getProfile(theApp(), String(manager.id)))!.person.fields).toEqual(fields);
      expect((await level(manager.parent)).items.find((n) => n.id === manager.id)).toMatchObject({ left: false, title: manager.title });
    });

    it('a field listing several people: under the first, "also reports to" the others', async () => {
      const rows = await walk();
      const person = rows.find((r) => r.depth === 4)!;
      const before = managersOf(person.id);
      const other = rows.find((r) => r.depth === 2 && r.id !== before[0])!;
      await changeManagers(person.id, [other.id, before[0]!]);
      try {
        const node = (await level(other.id)).items.find((n) => n.id === person.id)!;
        expect(node.alsoReportsTo).toEqual([{ id: before[0], name: dir.runtime.view.people.get(before[0]!)!.name, left: false }]);
        expect((await level(before[0]!)).items.map((n) => n.id)).not.toContain(person.id);
        // The profile names both, the first where the chart places them; the second has them as "also reports".
        const profile = await profileAgreeingWithChart(person.id);
        expect(profile.line.managers.map((p) => p.id)).toEqual([other.id, before[0]]);
        const second = await profileAgreeingWithChart(before[0]!);
        expect(second.alsoReports.items.map((p) => p.id)).toEqual([person.id]);
        expect(second.reports.items.map((p) => p.id)).not.toContain(person.id);
      } finally {
        await changeManagers(person.id, before);
      }
    });

    it('two people who report to each other are drawn once, under the lower id, the repeat marked; nobody is lost', async () => {
      const rows = await walk();
      const [a, b] = rows.filter((r) => r.reports === 0).slice(-2) as unknown as [OrgNode, OrgNode];
      const before = [managersOf(a.id), managersOf(b.id)] as const;
      await changeManagers(a.id, [b.id]);
      await changeManagers(b.id, [a.id]);
      try {
        const low = Math.min(a.id, b.id);
        const high = Math.max(a.id, b.id);
        const top = await level(null);
        expect(top.items.map((n) => n.id)).toContain(low);
        expect((await level(low)).items.map((n) => ({ id: n.id, repeat: n.repeat }))).toEqual([{ id: high, repeat: false }]);
        expect((await level(high)).items).toEqual([expect.objectContaining({ id: low, repeat: true, reports: 0 })]);
        expect(((await api(`?focus=${high}`)).body as OrgPath).path).toEqual([low, high]);
        // The profiles: the lower id heads its chain, yet names its manager and says the line loops.
        expect((await profileAgreeingWithChart(low)).line).toMatchObject({ chain: [{ id: low }], managers: [{ id: high }], loops: true });
        expect((await profileAgreeingWithChart(high)).line).toMatchObject({ chain: [{ id: low }, { id: high }], managers: [{ id: low }], loops: false });
        const after = await walk();
        expect(after.filter((r) => !r.repeat)).toHaveLength(dir.runtime.view.people.list().length);
      } finally {
        await changeManagers(a.id, before[0]);
        await changeManagers(b.id, before[1]);
      }
    });

    it('someone whose manager is missing, unknown or a hidden guest is at the top, and the guest is never named', async () => {
      const rows = await walk();
      const manager = rows.find((r) => r.depth === 3 && r.reports > 0)!;
      const reports = (await level(manager.id)).items.map((n) => n.id);
      const loner = rows.find((r) => r.depth === 4 && !reports.includes(r.id))!;
      const before = managersOf(loner.id);
      await changeManagers(loner.id, [987654]);
      await dir.control('PATCH', `/demo/users/${manager.id}`, { role: 600 });
      try {
        await until(() => dir.runtime.view.people.get(manager.id) === undefined, 'the role change');
        const top = await level(null);
        for (const id of [loner.id, ...reports]) expect(top.items.map((n) => n.id)).toContain(id);
        expect(JSON.stringify(await walk())).not.toContain(JSON.stringify(manager.name));
        expect((await api(`?focus=${manager.id}`)).status).toBe(404);
      } finally {
        await dir.control('PATCH', `/demo/users/${manager.id}`, { role: 400 });
        await until(() => dir.runtime.view.people.get(manager.id) !== undefined, 'the role change back');
        await changeManagers(loner.id, before);
      }
    });

    it('a manager with more reports than a page: paged, and a focus deep in the list opens at its page', async () => {
      const rows = await walk();
      const boss = rows.find((r) => r.depth === 2)!;
      const moved = rows.filter((r) => r.depth >= 3 && r.reports === 0).slice(0, ORG_PAGE_SIZE + 20);
      expect(moved.length).toBe(ORG_PAGE_SIZE + 20);
      const before = new Map(moved.map((r) => [r.id, managersOf(r.id)]));
      await Promise.all(moved.map((r) => setManagers(r.id, [boss.id])));
      try {
        await until(() => moved.every((r) => managersOf(r.id)[0] === boss.id), 'the manager changes');
        const first = await level(boss.id);
        expect(first.items).toHaveLength(ORG_PAGE_SIZE);
        const second = await level(boss.id, ORG_PAGE_SIZE);
        expect(second.offset).toBe(ORG_PAGE_SIZE);
        expect(first.total).toBe(second.total);
        expect(first.items.length + second.items.length).toBe(first.total);
        const late = second.items.at(-1)!;
        const path = (await api(`?focus=${late.id}`)).body as OrgPath;
        expect(path.levels.at(-1)).toMatchObject({ parent: boss.id, offset: ORG_PAGE_SIZE });
      } finally {
        await Promise.all(moved.map((r) => setManagers(r.id, before.get(r.id)!)));
        await until(() => moved.every((r) => sameIds(managersOf(r.id), before.get(r.id)!)), 'the manager changes back');
      }
    });
  });
});
