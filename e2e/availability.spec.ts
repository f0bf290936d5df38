import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLive } from './demo-zulip';

// Availability in the demo organization (docs/architecture.md §18): people who are out, people
// outside their working hours, who's out, and a team's overlap; readable by axe in both schemes.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test("Who's out: the link, the list soonest back first, and a profile that says so", async ({ page }) => {
  await openLive(page, '/');
  await expect(page.getByRole('status').filter({ hasText: /reachable now · \d+ out/ })).toBeVisible();
  await page.getByRole('link', { name: "Who's out" }).click();
  await expect(page).toHaveURL(/status=out/);
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  const lines = page.locator('[data-availability]');
  const count = await rows.count();
  for (let i = 0; i < count; i++) await expect(lines.nth(i)).toHaveAttribute('data-availability', 'out');
  // Soonest back first: every dated return comes before the undated ones, in date order.
  const texts = await lines.allTextContents();
  const dated = texts.map((t) => /(back|until) \w{3} \d+ \w{3}/.test(t));
  expect(dated.indexOf(false) === -1 || dated.slice(dated.indexOf(false)).every((d) => !d)).toBe(true);
  expect(texts.some((t) => t.startsWith('🌴Out · Vacationing') || t.includes('Out · '))).toBe(true);

  await rows.first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('article [data-availability="out"]')).toContainText('Out · ');
});

test('someone outside their working hours says when their day starts, in the viewer’s time too', async ({ page }) => {
  await openLive(page, '/?sort=name&limit=200');
  const offHours = page.locator('[data-availability="off-hours"]').first();
  await expect(offHours).toBeVisible();
  // After hydration the line names their local time and the start in the viewer's time.
  await expect(offHours).toContainText(/Off hours · .*for .* · day starts in (\d+ h)?( ?\d+ min)? \(.+ your time\)/);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a team's overlap: words, a picture that fits a phone, the same facts as a table (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await openLive(page, '/groups/9');
    const overlap = page.locator('[data-team-overlap]');
    await expect(overlap.getByRole('heading', { name: 'Working hours, in your time' })).toBeVisible();
    await expect(overlap.locator('[data-overlap-sentence]')).toHaveText(/^(All \d+ overlap|No hour when all \d+ overlap; best: \d+ of \d+ at) .+ your time$/);
    const table = overlap.getByRole('table');
    await expect(table.getByRole('row')).not.toHaveCount(0);
    await expect(table.getByRole('rowheader').first()).not.toBeEmpty();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
}
