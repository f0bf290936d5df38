// Teams from Zulip's user groups (docs/zulip.md §n), in the browser against the "demo" app
// (embedded demo Zulip at feature level 150: system groups named "@role:…", subgroups, groups
// deleted rather than deactivated): a profile's team chips, a team's page (the directory's list
// filtered to it, its description on top, live presence), the team filter beside department and
// office, the keyboard, axe in light and dark, and a 390 px phone.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { demoAccounts, listedPeople, openLive, postPresence, type DemoAccount } from './demo-zulip';

const ZULIP = DEMO_APP.zulip;

type DemoGroup = { id: number; name: string; description: string; members: number[]; subgroups: number[]; is_system_group: boolean; deactivated: boolean };

async function demoGroups(request: APIRequestContext): Promise<DemoGroup[]> {
  const response = await request.get(`${ZULIP}/demo/user_groups`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { user_groups: DemoGroup[] }).user_groups;
}

async function group(request: APIRequestContext, name: string): Promise<DemoGroup> {
  const found = (await demoGroups(request)).find((g) => g.name === name);
  if (!found) throw new Error(`no group ${name}`);
  return found;
}

/** A listed person who is a direct member of the team. */
async function memberOf(request: APIRequestContext, team: DemoGroup): Promise<DemoAccount> {
  const people = await listedPeople(request, ZULIP);
  const person = people.find((p) => team.members.includes(p.user_id));
  if (!person) throw new Error(`no listed member of ${team.name}`);
  return person;
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Everyone the directory lists (guests are not, by default), whether or not they show their availability. */
async function listedIds(request: APIRequestContext): Promise<Set<number>> {
  return new Set((await demoAccounts(request, ZULIP)).filter((a) => !a.is_bot && a.is_active && a.role !== 600).map((a) => a.user_id));
}

const rows = (page: Page) => page.getByRole('list', { name: 'People' }).getByRole('listitem');

test('a profile shows the person’s teams as chips, subgroups included, that open the team’s page', async ({ page, request }) => {
  const [crew, platform] = [await group(request, 'launch-crew'), await group(request, 'platform')];
  // Someone on platform only: on launch-crew through its subgroup.
  const person = await memberOf(request, { ...platform, members: platform.members.filter((id) => !crew.members.includes(id)) });
  await openLive(page, `/people/${person.user_id}`);
  const teams = page.getByRole('region', { name: 'Teams' });
  await expect(teams.getByRole('link', { name: 'platform', exact: true })).toHaveAttribute('href', `/groups/${platform.id}`);
  await expect(teams.getByRole('link', { name: 'launch-crew', exact: true })).toBeVisible();
  await expect(teams.getByRole('link', { name: '@role:members' })).toHaveCount(0);
  await teams.getByRole('link', { name: 'launch-crew', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/groups/${crew.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('launch-crew');
  await expect(page.getByText(crew.description)).toBeVisible();
  await expect(rows(page).getByRole('link', { name: person.full_name })).toBeVisible();
});

test('a team’s page is the directory filtered to it: search, filters and paging in its own address, live presence', async ({ page, request }) => {
  const engineering = await group(request, 'engineering');
  await openLive(page, `/groups/${engineering.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('engineering');
  await expect(page.getByText('Everyone in Engineering.')).toBeVisible();
  // The team's own page has no team filter: it is that team.
  await expect(page.getByRole('combobox', { name: 'Team' })).toHaveCount(0);
  const status = page.getByRole('status').filter({ hasText: /people/ });
  const listed = await listedIds(request);
  const expected = engineering.members.filter((id) => listed.has(id)).length;
  await expect(status).toContainText(new RegExp(`^${expected} people`));

  const person = await memberOf(request, engineering);
  const first = person.full_name.split(' ')[0]!;
  await page.getByRole('searchbox', { name: 'Search people' }).fill(first);
  await expect(page).toHaveURL(new RegExp(`/groups/${engineering.id}\\?q=${encodeURIComponent(first)}$`));
  const row = rows(page).filter({ has: page.getByRole('link', { name: person.full_name }) });
  await expect(row).toBeVisible();

  // Live presence on the team's page.
  await postPresence(request, ZULIP, person, 'active');
  await expect(row.getByText('Active now')).toBeVisible({ timeout: 20_000 });

  // A shared link reproduces the view; Back returns to the whole team.
  await page.goto(page.url());
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toHaveValue(first);
  await page.getByRole('combobox', { name: 'Presence' }).selectOption('active');
  await expect(page).toHaveURL(new RegExp(`/groups/${engineering.id}\\?q=.+&status=active$`));
  await page.goBack();
  await expect(page.getByRole('combobox', { name: 'Presence' })).toHaveValue('any');
});

test('the directory’s team filter sits beside department and office, from the keyboard too', async ({ page, request }) => {
  const platform = await group(request, 'platform');
  await openLive(page, '/');
  const filters = page.getByRole('combobox');
  await expect(filters.nth(0)).toHaveAccessibleName('Department');
  await expect(filters.nth(1)).toHaveAccessibleName('Office');
  await expect(filters.nth(2)).toHaveAccessibleName('Team');
  const team = page.getByRole('combobox', { name: 'Team' });
  await expect(team.locator('option', { hasText: 'role:' })).toHaveCount(0);
  await expect(team.locator('option', { hasText: 'mobile-guild' })).toHaveCount(0);
  await team.focus();
  await team.selectOption({ label: 'platform' });
  await expect(page).toHaveURL(new RegExp(`[?&]team=${platform.id}(&|$)`));
  const listed = await listedIds(request);
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toContainText(new RegExp(`^${platform.members.filter((id) => listed.has(id)).length} people`));
  // Tab on to the next control and back; the choice is in the address, so a reload keeps it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(team).toBeFocused();
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Team' })).toHaveValue(String(platform.id));
});

test('keyboard: Tab reaches a team chip, Enter opens the team, arrows walk its list, Enter opens a profile', async ({ page, request }) => {
  const design = await group(request, 'design');
  const person = await memberOf(request, design);
  await openLive(page, `/people/${person.user_id}`);
  const chip = page.getByRole('region', { name: 'Teams' }).getByRole('link', { name: 'design', exact: true });
  for (let i = 0; i < 40 && !(await chip.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(chip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/groups/${design.id}$`));
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const links = rows(page).locator('a[data-row-link]');
  await expect(links.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/people\/\d+$/);
});

test('a team changed in Zulip shows on the next visit; a deleted team is a 404, a malformed address a 400', async ({ page, request }) => {
  const created = await request.post(`${ZULIP}/demo/user_groups`, { data: { name: 'e2e-squad', description: 'Made by the browser test' } });
  expect(created.ok(), await created.text()).toBe(true);
  const squad = ((await created.json()) as { user_group: DemoGroup }).user_group;
  const person = (await listedPeople(request, ZULIP))[3]!;
  await request.post(`${ZULIP}/demo/user_groups/${squad.id}/members`, { data: { add: [person.user_id] } });
  await expect.poll(async () => (await page.request.get(`/api/people?team=${squad.id}`)).json().then((b: { total: number }) => b.total)).toBe(1);
  await page.goto(`/groups/${squad.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('e2e-squad');
  await expect(rows(page).getByRole('link', { name: person.full_name })).toBeVisible();

  await request.post(`${ZULIP}/demo/user_groups/${squad.id}/deactivate`);
  await expect.poll(async () => (await page.request.get(`/groups/${squad.id}`)).status()).toBe(404);
  await page.goto(`/groups/${squad.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('No team here');
  const systemGroup = (await demoGroups(request)).find((g) => g.is_system_group)!;
  expect((await page.request.get(`/groups/${systemGroup.id}`)).status()).toBe(404);
  const bad = await page.request.get('/groups/not-a-number');
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('A team’s address ends in its id');
  expect((await page.request.get('/groups/9?team=9')).status()).toBe(400);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: a team’s page and a profile with team chips have no serious violations (${scheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const engineering = await group(request, 'engineering');
    await openLive(page, `/groups/${engineering.id}`);
    expect(await seriousViolations(page)).toEqual([]);
    const person = await memberOf(request, engineering);
    await openLive(page, `/people/${person.user_id}`);
    await expect(page.getByRole('region', { name: 'Teams' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Presence by device' })).not.toContainText('Loading');
    expect(await seriousViolations(page)).toEqual([]);
    await openLive(page, `/?team=${engineering.id}`);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('phone width (390 px): a team’s page and the chips fit, nothing scrolls sideways', async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const crew = await group(request, 'launch-crew');
  await openLive(page, `/groups/${crew.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  const person = await memberOf(request, await group(request, 'platform'));
  await openLive(page, `/people/${person.user_id}`);
  await expect(page.getByRole('region', { name: 'Teams' }).getByRole('link').first()).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await openLive(page, '/');
  // On a phone the filters are folded behind one button.
  await page.getByRole('button', { name: /^Filters \(\d+\)$/ }).click();
  await expect(page.getByRole('combobox', { name: 'Team' })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
});
