import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLive } from './demo-zulip';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the directory and a profile have no serious violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openLive(page, '/');
    expect(await seriousViolations(page)).toEqual([]);
    // A search whose matches are marked in the rows' muted line (title, team, office) as well as in names.
    const { items } = (await (await page.request.get('/api/people?sort=name')).json()) as { items: Array<{ department: string | null }> };
    const department = items.find((p) => p.department)!.department!;
    await openLive(page, `/?q=${encodeURIComponent(department)}`);
    await expect(page.getByRole('list', { name: 'People' }).locator('mark').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('list', { name: 'People' }).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Presence by device' })).not.toContainText('Loading');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('phone width: rows stack and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'People' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the one single-key shortcut, /, can be turned off and on again (WCAG 2.1.4), on every page that has it', async ({ page }) => {
  await openLive(page, '/');
  await page.getByRole('link', { name: 'Shortcuts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Keyboard shortcuts' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  const setting = page.getByRole('checkbox', { name: 'Slash (/) moves to the search box' });
  await expect(setting).toBeEnabled();
  await expect(setting).toBeChecked();
  await setting.uncheck();

  const search = page.getByRole('searchbox', { name: 'Search people' });
  await openLive(page, '/');
  await page.keyboard.press('/');
  await expect(search).not.toBeFocused();
  // The box no longer offers it, in its hint or its words.
  await expect(page.locator('#directory-search-hint')).toHaveText('Down moves to the results, Enter opens the first, Escape clears.');
  await expect(page.locator('kbd', { hasText: '/' })).toHaveCount(0);
  await openLive(page, '/org');
  const find = page.getByRole('combobox', { name: 'Find a person' });
  await expect(find).toHaveAttribute('placeholder', 'Name, title, office…');
  await page.keyboard.press('/');
  await expect(find).not.toBeFocused();

  await page.goto('/shortcuts');
  await expect(setting).toBeEnabled();
  await setting.check();
  await openLive(page, '/');
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
});
