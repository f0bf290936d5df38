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
