import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { openLive } from './demo-zulip';
import type { OrgLevel, OrgNode } from '../lib/directory/domain/org-chart-types';

// The org chart (/org) in the browser, against the demo app (its embedded demo Zulip, FL 150):
// the first view, keyboard use as a WAI-ARIA tree, links to a point of it, the way to a profile
// and back, messy reporting lines made in Zulip, axe in light and dark, and a phone's width.
// Changes made to the demo organization are undone before each test ends.

const ZULIP = DEMO_APP.zulip;
const MANAGER_FIELD = '4';

async function level(request: APIRequestContext, parent: number | null): Promise<OrgLevel> {
  const response = await request.get(parent === null ? '/api/org' : `/api/org?parent=${parent}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as OrgLevel;
}

/** Someone three levels down or deeper, with the way there (top first). */
async function deepPerson(request: APIRequestContext): Promise<{ person: OrgNode; path: OrgNode[] }> {
  const path: OrgNode[] = [];
  let items = (await level(request, null)).items;
  for (;;) {
    const manager = items.find((n) => n.reports > 0 && !n.left);
    if (!manager) break;
    path.push(manager);
    items = (await level(request, manager.id)).items;
  }
  const person = items[items.length - 1]!;
  expect(path.length).toBeGreaterThanOrEqual(2);
  return { person, path };
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

async function demoPatch(request: APIRequestContext, id: number, body: Record<string, unknown>): Promise<void> {
  const response = await request.patch(`${ZULIP}/demo/users/${id}`, { data: body });
  expect(response.status(), await response.text()).toBe(200);
}

/** A manager (not one of `avoid`) with at least three reports who have none, breadth first. */
async function teamWithLeaves(request: APIRequestContext, avoid: Set<number>): Promise<{ manager: OrgNode; depth: number; leaves: OrgNode[] }> {
  let frontier = (await level(request, null)).items.map((node) => ({ node, depth: 1 }));
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { node, depth } of frontier) {
      if (node.reports === 0 || node.left) continue;
      const items = (await level(request, node.id)).items;
      const leaves = items.filter((n) => n.reports === 0 && !n.left);
      if (leaves.length >= 3 && depth > 1 && !avoid.has(node.id)) return { manager: node, depth, leaves };
      next.push(...items.map((n) => ({ node: n, depth: depth + 1 })));
    }
    frontier = next;
  }
  throw new Error('no team with three people without reports');
}

test('first view: the top people with their reports open, each row with its badge, title and count', async ({ page, request }) => {
  const top = await level(request, null);
  const ceo = top.items[0]!;
  const reports = await level(request, ceo.id);
  await openLive(page, '/');
  await page.getByRole('link', { name: 'Org chart' }).click();
  await expect(page).toHaveURL(/\/org$/);
  const tree = page.getByRole('tree', { name: 'Organization chart' });
  const ceoRow = tree.locator(`[data-key="p-${ceo.id}"]`);
  await expect(ceoRow).toHaveAttribute('aria-expanded', 'true');
  await expect(ceoRow).toHaveAttribute('aria-level', '1');
  await expect(ceoRow.locator('> div')).toContainText(`${ceo.reports} reports`);
  const second = tree.locator('[role="treeitem"][aria-level="2"]');
  await expect(second).toHaveCount(reports.total);
  const head = reports.items[0]!;
  const headRow = tree.locator(`[data-key="p-${head.id}"]`);
  await expect(headRow).toHaveAttribute('aria-expanded', 'false');
  await expect(headRow).toHaveAttribute('aria-setsize', String(reports.total));
  if (head.title) await expect(headRow.locator('> div')).toContainText(head.title);
  await expect(headRow.locator('[data-presence]')).toHaveText(/^(Active|Idle|Not active)/);
  await expect(headRow.locator('[data-presence-shape]').first()).toBeVisible();
  // Nothing below the first level is on the page until opened.
  await expect(tree.locator('[role="treeitem"][aria-level="3"]')).toHaveCount(0);
});

test('keyboard: arrows move, Right and Left open and close, Home and End jump, Enter opens the profile, Back returns', async ({ page, request }) => {
  const top = await level(request, null);
  const ceo = top.items[0]!;
  const heads = (await level(request, ceo.id)).items;
  const head = heads.find((n) => n.reports > 0)!;
  const under = (await level(request, head.id)).items;
  await openLive(page, '/org');
  const tree = page.getByRole('tree', { name: 'Organization chart' });
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-key'));
  // One tab stop: Tab from the header's last link reaches "Find a person", and the next the first row.
  await page.getByRole('link', { name: 'Shortcuts' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect.poll(focused).toBe(`p-${ceo.id}`);
  await page.keyboard.press('ArrowDown');
  await expect.poll(focused).toBe(`p-${heads[0]!.id}`);
  await page.keyboard.press('End');
  await expect.poll(focused).toBe(`p-${heads.at(-1)!.id}`);
  await page.keyboard.press('Home');
  await expect.poll(focused).toBe(`p-${ceo.id}`);
  // Left on an open row closes it; Right opens it again, then moves in.
  await page.keyboard.press('ArrowLeft');
  await expect(tree.locator(`[data-key="p-${ceo.id}"]`)).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.locator('[role="treeitem"]')).toHaveCount(top.total);
  await page.keyboard.press('ArrowRight');
  await expect(tree.locator(`[data-key="p-${ceo.id}"]`)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect.poll(focused).toBe(`p-${heads[0]!.id}`);
  // To the head with reports, open it (its level loads from the API), and step in.
  while ((await focused()) !== `p-${head.id}`) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const headRow = tree.locator(`[data-key="p-${head.id}"]`);
  await expect(headRow).toHaveAttribute('aria-expanded', 'true');
  await expect(headRow.locator('[role="group"] > [role="treeitem"]')).toHaveCount(under.length);
  await page.keyboard.press('ArrowRight');
  await expect.poll(focused).toBe(`p-${under[0]!.id}`);
  // Left from a row goes to its manager.
  await page.keyboard.press('ArrowLeft');
  await expect.poll(focused).toBe(`p-${head.id}`);
  await page.keyboard.press('ArrowDown');
  // The address follows the row with focus, so it always links to this point of the chart.
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${under[0]!.id}$`));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/people/${under[0]!.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(under[0]!.name.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${under[0]!.id}$`));
  await expect(tree.locator(`[data-key="p-${under[0]!.id}"]`)).toBeVisible();
});

test('typing a name\'s first letters moves to it, accents left out as the search leaves them out', async ({ page, request }) => {
  const ceo = (await level(request, null)).items[0]!;
  const head = (await level(request, ceo.id)).items[1]!;
  const name = `Éowyn Quillon${Date.now().toString(36)}`;
  expect((await request.patch(`${ZULIP}/demo/users/${head.id}`, { data: { full_name: name } })).ok()).toBe(true);
  try {
    await expect.poll(async () => (await level(request, ceo.id)).items.some((n) => n.name === name)).toBe(true);
    await openLive(page, '/org');
    await page.getByRole('tree', { name: 'Organization chart' }).locator(`[data-key="p-${ceo.id}"]`).focus();
    await page.keyboard.type('eow');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(`p-${head.id}`);
  } finally {
    await request.patch(`${ZULIP}/demo/users/${head.id}`, { data: { full_name: head.name } });
  }
});

test('a row is named by who they are and opens with a click anywhere on it; a level that cannot load is said, and Try again moves on into it', async ({ page, request }) => {
  const ceo = (await level(request, null)).items[0]!;
  const head = (await level(request, ceo.id)).items.find((n) => n.reports > 0)!;
  let refuse = true;
  await page.route(`**/api/org?parent=${head.id}*`, (route) => (refuse ? route.abort() : route.continue()));
  await openLive(page, '/org');
  const tree = page.getByRole('tree', { name: 'Organization chart' });
  const headRow = tree.locator(`[data-key="p-${head.id}"]`);
  // The name holds who they are; the badge and the count (which tick and change) describe them.
  await expect(headRow).toHaveAccessibleName(new RegExp(`^${head.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await expect(headRow).not.toHaveAccessibleName(/\breports?\b|Active|Idle/);
  await expect(headRow).toHaveAccessibleDescription(new RegExp(`${head.reports} reports?`));
  // A click on the row's own line, away from its link and its count (a phone's screen reader
  // activates the middle of a row), opens it.
  await headRow.locator('> [data-row]').click({ position: { x: 3, y: 3 } });
  await expect(headRow).toHaveAttribute('aria-expanded', 'true');
  await expect(headRow.getByText('Could not load these reports')).toBeVisible();
  const said = page.getByRole('status').filter({ hasText: `Could not load the reports of ${head.name}` });
  await expect(said).toHaveCount(1);
  // Try again, still refused: the button goes while the level loads, so the focus waits on the
  // row (not the page), and the failure is said again (emptied first: a live region is read when it changes).
  await headRow.getByRole('button', { name: 'Try again' }).click();
  await expect(headRow).toBeFocused();
  await expect(headRow.getByText('Could not load these reports')).toBeVisible();
  await expect(said).toHaveCount(1);
  refuse = false;
  await headRow.getByRole('button', { name: 'Try again' }).click();
  // The button is gone with the failure: the focus goes to the first report, not to the page.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-level'))).toBe(String(Number(await headRow.getAttribute('aria-level')) + 1));
  await headRow.locator('> [data-row]').click({ position: { x: 3, y: 3 } });
  await expect(headRow).toHaveAttribute('aria-expanded', 'false');
});

test('find a person: / focuses the box, arrows choose a name, Enter opens the chart at them, Escape closes the names then clears', async ({ page, request }) => {
  const top = await level(request, null);
  const heads = (await level(request, top.items[0]!.id)).items;
  const target = heads[1]!;
  await openLive(page, '/org');
  await page.keyboard.press('/');
  const box = page.getByRole('combobox', { name: 'Find a person' });
  await expect(box).toBeFocused();
  await page.keyboard.type('zzqq');
  // Said where the names would be, and to a screen reader.
  await expect(page.locator('p[aria-hidden="true"]', { hasText: 'No one matches “zzqq”.' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No one matches “zzqq”.' })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  await page.keyboard.type(target.name);
  const names = page.getByRole('listbox', { name: 'People found' });
  const options = names.getByRole('option');
  await expect(options.first()).toContainText(target.name);
  // Escape closes the names and keeps the text; a second one clears it.
  await page.keyboard.press('Escape');
  await expect(names).toBeHidden();
  await expect(box).toHaveValue(target.name);
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  await page.keyboard.type(target.name);
  await expect(options.first()).toContainText(target.name);
  // The first name is what Enter opens; the focus stays the box's until an arrow moves into the names
  // (WAI-ARIA's list autocomplete with automatic selection), and an option's id is its person's.
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(box).not.toHaveAttribute('aria-activedescendant');
  await page.keyboard.press('ArrowDown');
  const firstId = await options.first().getAttribute('id');
  await expect(box).toHaveAttribute('aria-activedescendant', firstId!);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(box).toHaveAttribute('aria-activedescendant', firstId!);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${target.id}$`));
  // The focus goes to them in the chart, not left in the emptied box.
  await expect(page.getByRole('tree', { name: 'Organization chart' }).locator(`[data-key="p-${target.id}"]`)).toBeFocused();
});

test('find a person: choosing the person the chart is opened at takes the focus to them again', async ({ page, request }) => {
  const top = await level(request, null);
  const target = (await level(request, top.items[0]!.id)).items[1]!;
  await openLive(page, `/org?focus=${target.id}`);
  const box = page.getByRole('combobox', { name: 'Find a person' });
  await box.fill(target.name);
  await expect(page.getByRole('listbox', { name: 'People found' }).getByRole('option').first()).toContainText(target.name);
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('tree', { name: 'Organization chart' }).locator(`[data-key="p-${target.id}"]`)).toBeFocused();
});

test('find a person: the names close when the focus leaves the box, and come back with it', async ({ page, request }) => {
  const top = await level(request, null);
  const target = (await level(request, top.items[0]!.id)).items[1]!;
  await openLive(page, '/org');
  const box = page.getByRole('combobox', { name: 'Find a person' });
  await box.fill(target.name);
  const names = page.getByRole('listbox', { name: 'People found' });
  await expect(names.getByRole('option').first()).toContainText(target.name);
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  // On into the chart: the names no longer sit over its first rows.
  await page.keyboard.press('Tab');
  await expect(names).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');
  // The box names its list whether it is open or not.
  await expect(page.locator(`[id="${await box.getAttribute('aria-controls')}"]`)).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(box).toBeFocused();
  await expect(names.getByRole('option').first()).toContainText(target.name);
});

test('find a person while the server answers: Enter before its answer opens the first name it brings', async ({ page, request }) => {
  const top = await level(request, null);
  const target = (await level(request, top.items[0]!.id)).items[2]!;
  // No people index in this tab, and the server's answer held until Enter is pressed.
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/api/people/index', (route) => route.abort());
  await page.route('**/api/people?**', async (route) => {
    await answered;
    await route.continue();
  });
  await openLive(page, '/org');
  const box = page.getByRole('combobox', { name: 'Find a person' });
  await box.fill(target.name);
  await box.press('Enter');
  answer();
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${target.id}$`));
});

test('a link to a point of the chart opens the way down, scrolls to the person and highlights them', async ({ page, request }) => {
  const { person, path } = await deepPerson(request);
  await page.setViewportSize({ width: 1280, height: 600 });
  await openLive(page, `/org?focus=${person.id}`);
  const tree = page.getByRole('tree', { name: 'Organization chart' });
  for (const manager of path) await expect(tree.locator(`[data-key="p-${manager.id}"]`)).toHaveAttribute('aria-expanded', 'true');
  const row = tree.locator(`[data-key="p-${person.id}"]`);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toHaveAttribute('aria-level', String(path.length + 1));
  await expect(row).toBeInViewport();
  await expect(row).toHaveAttribute('tabindex', '0');
  // The highlight is a ring, not only a colour.
  const ring = await row.locator('> div').evaluate((el) => getComputedStyle(el).boxShadow);
  expect(ring).not.toBe('none');
  // From the tree to the profile with the mouse, and from the profile back to this point.
  await row.getByRole('link', { name: person.name }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.id}$`));
  await page.getByRole('link', { name: 'View in org chart' }).click();
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${person.id}$`));
  await expect(tree.locator(`[data-key="p-${person.id}"]`)).toHaveAttribute('aria-selected', 'true');
});

test('an unknown person gets a clear message and the chart; a malformed link a 400 page', async ({ page }) => {
  await page.goto('/org?focus=987654');
  await expect(page.getByRole('alert').filter({ hasText: 'No one with the id 987654 is in the org chart' })).toBeVisible();
  await expect(page.getByRole('tree', { name: 'Organization chart' })).toBeVisible();
  const bad = await page.goto('/org?focus=not-a-number');
  expect(bad?.status()).toBe(400);
  await expect(page.getByText('The org chart could not read this link')).toBeVisible();
});

test('a profile shows its manager, the reporting line as a breadcrumb, direct reports and peers with live badges', async ({ page, request }) => {
  const { path } = await deepPerson(request);
  const manager = path.at(-1)!;
  const team = (await level(request, manager.id)).items.filter((n) => !n.left);
  const person = team[0]!;
  await openLive(page, `/people/${person.id}`);
  // The header names the manager, a link to their profile.
  await expect(page.getByTestId('managers')).toHaveText(`Manager: ${manager.name}`);
  // The breadcrumb: top first, each a link, the person last and marked as the current page.
  const crumbs = page.getByRole('navigation', { name: 'Reporting line' });
  await expect(crumbs.getByRole('listitem')).toHaveText([...path.map((n) => `${n.name}›`), person.name]);
  await expect(crumbs.getByRole('link')).toHaveText([...path.map((n) => n.name), person.name]);
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText(person.name);
  await expect(page.getByRole('region', { name: 'Reports to' })).toHaveCount(0);
  const peers = page.getByRole('region', { name: /^Peers/ });
  await expect(peers.getByRole('listitem')).toHaveCount(team.length - 1);
  await expect(peers.getByRole('link', { name: team[1]!.name })).toBeVisible();
  await expect(peers.locator('[data-presence]').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // Up the chain from the keyboard: Tab moves along the breadcrumb's links, Enter follows one.
  await crumbs.getByRole('link').first().focus();
  for (let i = 1; i < path.length; i++) await page.keyboard.press('Tab');
  await expect(crumbs.getByRole('link', { name: manager.name })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/people/${manager.id}$`));
  await expect(page.getByRole('region', { name: /^Direct reports/ }).getByRole('listitem')).toHaveCount(team.length);
  await expect(page.getByRole('navigation', { name: 'Reporting line' }).locator('[aria-current="page"]')).toHaveText(manager.name);
});

test('phone width: a profile’s peers keep their presence in words, under their names', async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { path } = await deepPerson(request);
  const team = (await level(request, path.at(-1)!.id)).items.filter((n) => !n.left);
  await openLive(page, `/people/${team[0]!.id}`);
  const peers = page.getByRole('region', { name: /^Peers/ }).getByRole('listitem');
  await expect(peers).toHaveCount(team.length - 1);
  for (const peer of await peers.all()) {
    const badge = peer.locator('[data-presence]');
    await expect(badge).toBeVisible();
    await expect(badge).toHaveText(/^(Active|Idle|Not active|Offline)/);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('messy reporting lines: someone who left, a cycle, several managers', async ({ page, request }) => {
  const { path } = await deepPerson(request);
  const leaver = path.at(-1)!;
  const leaverReports = (await level(request, leaver.id)).items;
  const ceo = path[0]!;
  // Two people of another team report to each other; a third lists two managers.
  const team = await teamWithLeaves(request, new Set(path.map((n) => n.id)));
  const [a, b, c] = team.leaves as [OrgNode, OrgNode, OrgNode];
  const original = await Promise.all(
    [a, b, c].map(async (n) => ((await (await request.get(`/api/people/${n.id}`)).json()) as { person: { managerIds: number[] } }).person.managerIds),
  );
  const manager = (ids: number[]) => ({ profile_data: { [MANAGER_FIELD]: JSON.stringify(ids) } });
  try {
    await demoPatch(request, leaver.id, { is_active: false });
    await demoPatch(request, a.id, manager([b.id]));
    await demoPatch(request, b.id, manager([a.id]));
    await demoPatch(request, c.id, manager([team.manager.id, ceo.id]));
    await expect.poll(async () => (await level(request, null)).items.some((n) => n.id === Math.min(a.id, b.id))).toBe(true);
    await expect.poll(async () => (await level(request, path.at(-2)!.id)).items.find((n) => n.id === leaver.id)?.left).toBe(true);
    await expect.poll(async () => (await level(request, team.manager.id)).items.find((n) => n.id === c.id)?.alsoReportsTo.length).toBe(1);

    // Someone who left: muted, "(left)", no profile link, their reports still under them.
    await openLive(page, `/org?focus=${leaverReports[0]!.id}`);
    const tree = page.getByRole('tree', { name: 'Organization chart' });
    const leftRow = tree.locator(`[data-key="p-${leaver.id}"]`);
    await expect(leftRow.locator('> div')).toContainText(leaver.name);
    await expect(leftRow.locator('> div')).toContainText('(left)');
    await expect(leftRow.locator('> div').getByRole('link', { name: leaver.name })).toHaveCount(0);
    await expect(leftRow.locator('> [role="group"] > [role="treeitem"]')).toHaveCount(leaverReports.length);
    expect(await seriousViolations(page)).toEqual([]);

    // Their reports' profiles say the same: the manager is named, "(left)", not a link, in the header and the breadcrumb.
    await openLive(page, `/people/${leaverReports[0]!.id}`);
    await expect(page.getByTestId('managers')).toHaveText(`Manager: ${leaver.name} (left)`);
    await expect(page.getByTestId('managers').getByRole('link')).toHaveCount(0);
    const crumbs = page.getByRole('navigation', { name: 'Reporting line' });
    await expect(crumbs.getByRole('listitem')).toHaveCount(path.length + 1);
    await expect(crumbs.getByRole('listitem').nth(path.length - 1)).toHaveText(`${leaver.name} (left)›`);
    await expect(crumbs.getByRole('link', { name: leaver.name })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);

    // The cycle: drawn once from its lower id at the top, the repeat marked and not expandable.
    const [low, high] = a.id < b.id ? [a, b] : [b, a];
    await openLive(page, `/org?focus=${high.id}`);
    await expect(tree.locator(`[data-key="p-${low.id}"]`)).toHaveAttribute('aria-level', '1');
    await tree.locator(`[data-key="p-${high.id}"]`).focus();
    await page.keyboard.press('ArrowRight');
    const repeat = tree.locator(`[data-key="r-${high.id}-${low.id}"]`);
    await expect(repeat).toContainText('(also above)');
    await expect(repeat).not.toHaveAttribute('aria-expanded');
    expect(await seriousViolations(page)).toEqual([]);

    // Several managers: under the first, "also reports to" the other.
    await openLive(page, `/org?focus=${c.id}`);
    await expect(tree.locator(`[data-key="p-${c.id}"] > div`)).toContainText(`also reports to ${ceo.name}`);
    await expect(tree.locator(`[data-key="p-${c.id}"]`)).toHaveAttribute('aria-level', String(team.depth + 1));
    await openLive(page, `/people/${c.id}`);
    await expect(page.getByTestId('managers')).toHaveText(`Managers: ${team.manager.name} and ${ceo.name}`);
  } finally {
    await demoPatch(request, leaver.id, { is_active: true });
    await Promise.all([a, b, c].map((n, i) => demoPatch(request, n.id, manager(original[i]!))));
    await expect.poll(async () => (await request.get(`/api/people/${leaver.id}`)).status()).toBe(200);
  }
});

test('a long level is paged: "Show more" from the keyboard, and a link deep in it opens at its page with "Show earlier"', async ({ page, request }) => {
  const { path } = await deepPerson(request);
  const boss = path[1]!;
  // Enough people without reports, from anywhere, to fill more than a page under one manager.
  const movers: OrgNode[] = [];
  const collect = async (parent: number) => {
    for (const node of (await level(request, parent)).items) {
      if (movers.length >= 120) return;
      if (node.reports === 0 && !node.left) movers.push(node);
      else if (node.reports > 0) await collect(node.id);
    }
  };
  await collect(path[0]!.id);
  expect(movers).toHaveLength(120);
  const original = new Map<number, number[]>();
  for (const n of movers) original.set(n.id, ((await (await request.get(`/api/people/${n.id}`)).json()) as { person: { managerIds: number[] } }).person.managerIds);
  const manager = (ids: number[]) => ({ profile_data: { [MANAGER_FIELD]: JSON.stringify(ids) } });
  // All at once: the events then reach the app in a few batches, not 120 calls to GET /events
  // (which Zulip rate-limits, and the app would then show stale data to the tests after this one).
  const patchAll = (ids: (n: OrgNode) => number[]) => Promise.all(movers.map((n) => demoPatch(request, n.id, manager(ids(n)))));
  try {
    await patchAll(() => [boss.id]);
    await expect.poll(async () => (await level(request, boss.id)).total).toBeGreaterThanOrEqual(120);
    const total = (await level(request, boss.id)).total;
    await openLive(page, '/org');
    const tree = page.getByRole('tree', { name: 'Organization chart' });
    const bossRow = tree.locator(`[data-key="p-${boss.id}"]`);
    await bossRow.focus();
    await page.keyboard.press('ArrowRight');
    const rows = bossRow.locator('> [role="group"] > [role="treeitem"][data-id]');
    await expect(rows).toHaveCount(100);
    const more = bossRow.locator('> [role="group"] > [data-action="more"]');
    await expect(more).toHaveText(`Show ${total - 100} more of ${total}`);
    await more.focus();
    await page.keyboard.press('Enter');
    await expect(rows).toHaveCount(total);
    await expect(more).toHaveCount(0);
    // Focus went to the first of the new rows, the 101st.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-posinset'))).toBe('101');

    const last = (await (await request.get(`/api/org?parent=${boss.id}&offset=100`)).json()) as OrgLevel;
    await openLive(page, `/org?focus=${last.items.at(-1)!.id}`);
    const earlier = tree.locator(`[data-key="p-${boss.id}"] > [role="group"] > [data-action="earlier"]`);
    await expect(earlier).toHaveText('Show earlier people (100 more)');
    await expect(tree.locator(`[data-key="p-${boss.id}"] > [role="group"] > [role="treeitem"][data-id]`)).toHaveCount(total - 100);
    await earlier.click();
    await expect(tree.locator(`[data-key="p-${boss.id}"] > [role="group"] > [role="treeitem"][data-id]`)).toHaveCount(total);

    // The boss's profile lists the first 100 and links to all of them: the chart opens with them shown.
    await openLive(page, `/people/${boss.id}`);
    const reports = page.getByRole('region', { name: /^Direct reports/ });
    await expect(reports.getByRole('listitem')).toHaveCount(100);
    await reports.getByRole('link', { name: 'All of them in the org chart' }).click();
    await expect(page).toHaveURL(/\/org\?focus=\d+$/);
    await expect(tree.locator(`[data-key="p-${boss.id}"]`)).toHaveAttribute('aria-expanded', 'true');
    await expect(tree.locator(`[data-key="p-${boss.id}"] > [role="group"] > [role="treeitem"][data-id]`)).not.toHaveCount(0);
  } finally {
    await patchAll((n) => original.get(n.id)!);
    await expect.poll(async () => (await level(request, boss.id)).total, { timeout: 20_000 }).toBeLessThan(100);
    await expect.poll(async () => (await request.get('/api/health')).status(), { timeout: 30_000 }).toBe(200);
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the org chart and a profile with peers have no serious violations (${scheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const { person } = await deepPerson(request);
    await openLive(page, `/org?focus=${person.id}`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(scheme === 'dark' ? 'rgb(21, 23, 28)' : 'rgb(255, 255, 255)');
    expect(await seriousViolations(page)).toEqual([]);
    // With a row focused from the keyboard (its outline drawn).
    await page.getByRole('tree').locator('[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    expect(await seriousViolations(page)).toEqual([]);
    await openLive(page, `/people/${person.id}`);
    await expect(page.getByRole('region', { name: 'Presence by device' })).not.toContainText('Loading');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('wide screens: every count stays clear of its badge, from a tablet to a desktop', async ({ page, request }) => {
  const ceo = (await level(request, null)).items[0]!;
  // The largest count on the first view: "N reports · M in total" on the top person's row.
  expect(ceo.below).toBeGreaterThan(ceo.reports);
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await openLive(page, '/org');
    const rows = page.getByRole('tree').locator('[role="treeitem"]');
    await expect(rows.first()).toBeVisible();
    const clashes = await rows.evaluateAll((items) =>
      items.flatMap((item) => {
        const badge = item.querySelector(':scope > div > [data-presence]');
        const count = item.querySelector(':scope > div > [data-toggle]');
        if (!badge || !count) return [];
        const b = badge.getBoundingClientRect();
        const c = count.getBoundingClientRect();
        return c.left < b.right ? [`${item.getAttribute('data-name')}: count at ${c.left}, badge to ${b.right}`] : [];
      }),
    );
    expect(clashes, `at ${width} px`).toEqual([]);
  }
});

test('phone width: the chart indents without scrolling sideways, and the keyboard still works', async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { person } = await deepPerson(request);
  await openLive(page, `/org?focus=${person.id}`);
  const row = page.getByRole('tree').locator(`[data-key="p-${person.id}"]`);
  await expect(row).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = await row.locator('> div').boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await row.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-level'))).toBe(String(Number(await row.getAttribute('aria-level')) - 1));
});

test('the address follows the focus without being rewritten at every arrow key (Safari refuses more than 100 in 10 s)', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { addressWrites: number; rowsFocused: number };
    w.addressWrites = 0;
    w.rowsFocused = 0;
    document.addEventListener('focusin', (event) => {
      if ((event.target as Element).getAttribute?.('role') === 'treeitem') w.rowsFocused++;
    });
    const replace = history.replaceState.bind(history);
    history.replaceState = (data: unknown, unused: string, url?: string | URL | null) => {
      if (String(url ?? '').includes('/org?focus=')) w.addressWrites++;
      replace(data, unused, url);
    };
  });
  // The tab's clock stands still while the keys are pressed (however slowly this machine presses
  // them), so the 25 moves fall within one 250 ms step of it.
  await page.clock.install();
  await openLive(page, '/org');
  const tree = page.getByRole('tree', { name: 'Organization chart' });
  await tree.locator('[role="treeitem"]').first().focus();
  await page.clock.pauseAt(Date.now() + 1000);
  const writes = () => page.evaluate(() => (window as unknown as { addressWrites: number }).addressWrites);
  const before = await writes();
  // Open the first row (the chart's head), then hold Down and Up through the people under it: 25 moves.
  await page.keyboard.press('ArrowRight');
  for (const [key, times] of [['ArrowDown', 9], ['ArrowUp', 9], ['ArrowDown', 7]] as const) {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  }
  const last = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id);
  expect(await page.evaluate(() => (window as unknown as { rowsFocused: number }).rowsFocused)).toBeGreaterThanOrEqual(25);
  // At most one write while the clock stands (Next's router may echo a write with one of its own)...
  expect(await writes()).toBeLessThanOrEqual(before + 2);
  await page.clock.runFor(300);
  // ...then, at the step's end, the address is the last row's.
  await expect(page).toHaveURL(new RegExp(`/org\\?focus=${last}$`));
  expect(await writes()).toBeLessThanOrEqual(before + 4);
});
