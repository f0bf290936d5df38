// Teams from Zulip's user groups, end to end against the demo Zulip server over HTTP
// (docs/zulip.md §n): register's realm_user_groups and the user_group events of each generation
// the README supports, read into the teams store; then the pages' services, the team filter of
// /api/people and the addresses proxy.ts validates.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as peopleRoute } from '@/app/api/people/route';
import { proxy } from '@/proxy';
import { getPeoplePage, getProfile, getTeam } from '@/lib/server/directory-service';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import type { PeoplePage } from '@/lib/directory/domain/types';
import { startTestDirectory, type TestDirectory } from '../support/directory';
import { activeHumans, control, startHarness, waitFor, type Harness } from './support';
import { theApp } from '@/lib/server/app-handle';

type DemoGroup = { id: number; name: string; members: number[]; subgroups: number[]; is_system_group: boolean; deactivated: boolean };

const GENERATIONS = [
  { version: '4.x', featureLevel: 65 },
  { version: '6.x', featureLevel: 150 },
  { version: '10.0-dev, deactivated groups for everyone', featureLevel: 292 },
  { version: '10.x', featureLevel: 372 },
  { version: '12.0-dev', featureLevel: 497 },
];

describe.each(GENERATIONS)('Zulip $version (feature level $featureLevel)', ({ featureLevel }) => {
  let h: Harness;
  const groups = async () => (await control(h.demo, 'GET', '/demo/user_groups')).user_groups as DemoGroup[];
  const named = async (name: string) => (await groups()).find((g) => g.name === name)!;
  const listed = (id: number) => h.runtime.view.people.get(id) !== undefined;

  beforeAll(async () => {
    h = await startHarness({ seed: 5, users: 120, featureLevel });
  }, 30_000);
  afterAll(() => h?.close());

  it('shows the teams, never a system group or a deactivated one, and skips nothing', async () => {
    const expected = (await groups()).filter((g) => !g.is_system_group && !g.deactivated).map((g) => g.name);
    expect(h.runtime.view.teams.list().map((t) => t.name).sort()).toEqual(expected.sort());
    expect(h.runtime.view.teams.list().some((t) => /role:/.test(t.name) || t.name === 'mobile-guild')).toBe(false);
    expect(h.runtime.skipped.counts()).toEqual({});
  });

  it('counts a subgroup’s people as the team’s where the server has subgroups (FL 127+)', async () => {
    const [crew, platform] = [await named('launch-crew'), await named('platform')];
    const members = h.runtime.view.teams.members(crew.id)!;
    const someone = platform.members.find((id) => !crew.members.includes(id))!;
    expect(members.has(someone)).toBe(featureLevel >= 127);
    for (const id of crew.members) expect(members.has(id)).toBe(true);
  });

  it('follows members, renames, new teams and deactivation live', async () => {
    const design = await named('design');
    const newcomer = activeHumans(h.demo).find((u) => !design.members.includes(u.user_id) && listed(u.user_id))!;
    await control(h.demo, 'POST', `/demo/user_groups/${design.id}/members`, { add: [newcomer.user_id] });
    await waitFor(() => h.runtime.view.teams.teamsOf(newcomer.user_id).some((t) => t.id === design.id));
    await control(h.demo, 'POST', `/demo/user_groups/${design.id}/members`, { delete: [newcomer.user_id] });
    await waitFor(() => !h.runtime.view.teams.members(design.id)!.has(newcomer.user_id));

    await control(h.demo, 'PATCH', `/demo/user_groups/${design.id}`, { name: 'design-studio', description: 'Product and brand design' });
    // Zulip sends the name and the description as two events, which may come in two polls.
    await waitFor(() => h.runtime.view.teams.get(design.id)?.name === 'design-studio' && h.runtime.view.teams.get(design.id)?.description === 'Product and brand design');

    const created = (await control(h.demo, 'POST', '/demo/user_groups', { name: 'book-club', description: 'Reads', members: [newcomer.user_id] })).user_group as DemoGroup;
    await waitFor(() => h.runtime.view.teams.get(created.id));
    expect(h.runtime.view.teams.teamsOf(newcomer.user_id).map((t) => t.name)).toContain('book-club');

    // Deleted before FL 290 (`remove`), deactivated from 290 (`update`, kept hidden): gone either way.
    await control(h.demo, 'POST', `/demo/user_groups/${created.id}/deactivate`);
    await waitFor(() => h.runtime.view.teams.get(created.id) === undefined);
    expect(h.runtime.view.teams.teamsOf(newcomer.user_id).map((t) => t.name)).not.toContain('book-club');
  });

  it('keeps its teams across a lost event queue', async () => {
    const before = h.runtime.view.teams.list();
    await control(h.demo, 'POST', '/demo/faults', { expireQueues: true });
    await control(h.demo, 'DELETE', '/demo/faults');
    await waitFor(() => h.logLines.some((l) => l.event === 'zulip_reregistered'));
    expect(h.runtime.view.teams.list()).toEqual(before);
  });
});

describe('teams in the pages and the API (FL 372)', () => {
  let dir: TestDirectory;
  let demoGroups: DemoGroup[];
  const ORIGIN = 'http://directory.test';
  const named = (name: string) => demoGroups.find((g) => g.name === name)!;
  const api = async (search: string) => peopleRoute(new NextRequest(`${ORIGIN}/api/people${search}`));

  beforeAll(async () => {
    dir = await startTestDirectory({ demo: { users: 80, seed: 3, featureLevel: 372 } });
    demoGroups = (await dir.control('GET', '/demo/user_groups')).user_groups as DemoGroup[];
  }, 30_000);
  afterAll(() => dir?.close());

  it('/api/people?team= lists the team’s people, subgroups included, and offers the teams', async () => {
    const crew = named('launch-crew');
    const res = await api(`?team=${crew.id}&sort=name&limit=200`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as PeoplePage;
    const expected = [...dir.runtime.view.teams.members(crew.id)!].filter((id) => dir.runtime.view.people.get(id));
    expect(page.items.map((p) => p.id).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(crew.members.length);
    expect(page.facets.teams.map((t) => t.name)).toContain('launch-crew');
    expect(page.facets.teams.map((t) => t.name)).not.toContain('role:members');
    // A system group's id or a deactivated team's: no one (the page says "0 people").
    for (const hidden of [named('role:members'), named('mobile-guild')]) expect(((await (await api(`?team=${hidden.id}`)).json()) as PeoplePage).total).toBe(0);
  });

  it('answers a malformed team with a 400 in the API’s shape', async () => {
    for (const bad of ['abc', '0', '-3', '1.5', '99999999999']) {
      const res = await api(`?team=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_query', message: '"team" must be a team id (a whole number from 1)' } });
    }
  });

  it('gives a profile its teams, and a team page its team (or none: a 404)', async () => {
    const engineering = named('engineering');
    const someone = engineering.members.find((id) => dir.runtime.view.people.get(id))!;
    const profile = await getProfile(theApp(), String(someone));
    expect(profile?.teams).toContainEqual({ id: engineering.id, name: 'engineering' });
    expect(await getTeam(theApp(), engineering.id)).toMatchObject({ team: { id: engineering.id, name: 'engineering', description: 'Everyone in Engineering.' } });
    for (const id of [named('role:owners').id, named('mobile-guild').id, 424242]) expect(await getTeam(theApp(), id)).toBeNull();
    const page = await getPeoplePage(theApp(), { ...DEFAULT_PEOPLE_QUERY, team: engineering.id, limit: 200 });
    expect(page.items.every((p) => dir.runtime.view.teams.members(engineering.id)!.has(p.id))).toBe(true);
  });

  it('proxy.ts: a team page takes the directory’s filters, a 400 for anything else, never a 500', async () => {
    const through = async (path: string) => proxy(new NextRequest(`${ORIGIN}${path}`));
    const passed = (res: Response) => res.headers.get('x-middleware-next') === '1';
    expect(passed(await through('/groups/9'))).toBe(true);
    expect(passed(await through('/groups/9?q=ana&department=Sales&status=active&sort=name'))).toBe(true);
    expect(passed(await through('/?team=9&office=Lisbon'))).toBe(true);
    for (const path of ['/groups/abc', '/groups/0', '/groups/9?team=9', '/groups/9?evil=1', '/groups/9?q=a&q=b', '/?team=x', '/groups/%31']) {
      const res = await through(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
    }
    // Fuzzed ids and filters: always a 4xx or a pass, never a 5xx.
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['1', '9', '0', '-', '.', 'e', '%20', '%00', '%ff', 'é', '/', '?', '&', 'team=', '99999999999', 'role:x', "'", '<'];
    for (let i = 0; i < 400; i++) {
      const piece = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      // Not caught: a throw in proxy.ts is the bare 500 this is about.
      const res = await through(`/groups/${piece()}?team=${piece()}`);
      expect(res.status).toBeLessThan(500);
    }
  });
});
