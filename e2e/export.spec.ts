// Export (docs/architecture.md §13) in the browser, against the built app and its demo organization:
// the "Export" disclosure beside the result count and "Add to contacts (vCard)" on a profile
// download real files (page.waitForEvent('download')) that hold what the view shows; the menu
// works from the keyboard, is axe-clean in light and dark, and fits a 390 px phone.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Page } from '@playwright/test';
import { openLive } from './demo-zulip';

const today = () => new Date().toISOString().slice(0, 10);

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Does `action`, and returns the file it downloads: its suggested name and its bytes. */
async function download(page: Page, action: () => Promise<void>): Promise<{ name: string; bytes: Buffer; download: Download }> {
  const [file] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = await file.path();
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), bytes: await readFile(path), download: file };
}

/** CSV records (RFC 4180), enough to count rows and read a column. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const countLine = (page: Page) => page.getByRole('status').filter({ hasText: /people|person/ });
const exportButton = (page: Page) => page.getByRole('button', { name: 'Export' });

async function shownTotal(page: Page): Promise<number> {
  const text = (await countLine(page).textContent()) ?? '';
  return Number(/^([\d,]+)/.exec(text)![1]!.replace(/,/g, ''));
}

test('the CSV of a filtered view downloads with the people it shows, named for the view', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const select = page.getByRole('combobox', { name: 'Department' });
  const department = (await select.locator('option').nth(1).textContent())!;
  await select.selectOption(department);
  await expect(page).toHaveURL(/department=/);
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes(department))).toBe(true);
  const total = await shownTotal(page);

  await exportButton(page).click();
  const link = page.getByRole('link', { name: `CSV of ${total === 1 ? 'this 1 person' : `these ${total.toLocaleString('en-US')} people`}` });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', `/export/people.csv?${new URLSearchParams({ department, sort: 'name' })}`);
  const file = await download(page, () => link.click());
  expect(file.name).toMatch(new RegExp(`^[a-z0-9-]+-directory-[\\p{L}\\p{N}-]+-${today()}\\.csv$`, 'u'));
  expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...records] = csvRows(file.bytes.subarray(3).toString('utf8'));
  expect(header).toEqual(['Name', 'Title', 'Department', 'Office', 'Managers', 'Email', 'Pronouns', 'Time zone', 'Presence', 'Profile URL']);
  expect(records).toHaveLength(total);
  expect(records.every((r) => r[2] === department)).toBe(true);
  // The first rows on the page are the first rows of the file (same order).
  const firstOnPage = await rows.first().getByRole('link').first().getAttribute('href');
  expect(new URL(records[0]![9]!).pathname).toBe(firstOnPage);
  // The link closed the menu and gave focus back to its button.
  await expect(page.getByRole('link', { name: /^CSV of/ })).toBeHidden();
  await expect(exportButton(page)).toBeFocused();
});

test('keyboard: Tab reaches Export, Enter opens it, links download, Escape closes it', async ({ page }) => {
  await openLive(page, '/?q=a');
  const total = await shownTotal(page);
  // Export sits on the count's line after the search box and "Who's out" (the filters follow it).
  await page.getByRole('searchbox', { name: 'Search people' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: "Who's out" })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(exportButton(page)).toBeFocused();
  await expect(exportButton(page)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(exportButton(page)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: /^CSV of these/ })).toBeFocused();
  await page.keyboard.press('Tab');
  const vcards = page.getByRole('link', { name: /^vCards of these/ });
  await expect(vcards).toBeFocused();
  const file = await download(page, () => page.keyboard.press('Enter'));
  expect(file.name).toBe(file.name.replace(/[^a-z0-9.-]/g, ''));
  expect(file.name).toMatch(new RegExp(`-directory-a-${today()}\\.vcf$`));
  const text = file.bytes.toString('utf8');
  expect(text.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(total);
  expect(text.match(/^VERSION:4\.0\r$/gm)).toHaveLength(total);

  // Escape closes it from anywhere inside and returns focus to the button.
  await page.keyboard.press('Space');
  await expect(exportButton(page)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(exportButton(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(exportButton(page)).toBeFocused();
  await expect(vcards).toBeHidden();
  // Tabbing past the last link closes it too.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(exportButton(page)).toHaveAttribute('aria-expanded', 'false');
});

test('a profile’s “Add to contacts (vCard)” downloads that person’s card', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const first = page.getByRole('list', { name: 'People' }).getByRole('link').first();
  const href = (await first.getAttribute('href'))!;
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(/^People at/);
  const name = (await page.getByRole('heading', { level: 1 }).innerText()).replace(/\s*\(.*\)$/, '').trim();
  const add = page.getByRole('link', { name: 'Add to contacts (vCard)' });
  await expect(add).toHaveAttribute('href', /^\/people\/\d+\/vcard$/);
  // From the keyboard: focus it and press Enter.
  await add.focus();
  const file = await download(page, () => page.keyboard.press('Enter'));
  expect(file.name).toMatch(/^[\p{L}\p{N}-]+\.vcf$/u);
  const text = file.bytes.toString('utf8');
  expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
  expect(text.endsWith('END:VCARD\r\n')).toBe(true);
  const unfolded = text.replace(/\r\n /g, '');
  expect(unfolded).toContain(`FN:${name.replace(/[\\,;]/g, '\\$&')}\r\n`);
  // On the address the browser opened (not the server's own idea of its name).
  expect(unfolded).toContain(`\r\nURL:${new URL(page.url()).origin}${href}\r\n`);
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the open Export menu and the profile's vCard button have no serious violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openLive(page, '/');
    await exportButton(page).click();
    await expect(page.getByRole('link', { name: /^CSV of/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    // The panel is drawn in the scheme's own colours, not a white box on a dark page.
    const panel = await page.getByRole('link', { name: /^CSV of/ }).evaluate((a) => {
      const list = a.closest('ul')!;
      return { background: getComputedStyle(list).backgroundColor, text: getComputedStyle(a).color };
    });
    const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightness = (rgb: string) => rgb.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    if (scheme === 'dark') {
      expect(lightness(panel.background)).toBeLessThan(80);
      expect(lightness(panel.text)).toBeGreaterThan(160);
    } else expect(lightness(panel.background)).toBeGreaterThan(200);
    expect(lightness(panel.background) - lightness(body)).toBeLessThan(40);

    await page.keyboard.press('Escape');
    await page.getByRole('list', { name: 'People' }).getByRole('link').first().click();
    await expect(page.getByRole('link', { name: 'Add to contacts (vCard)' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Presence by device' })).not.toContainText('Loading');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('phone width (390 px): the menu opens inside the screen, nothing scrolls sideways, and it downloads', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLive(page, '/');
  await exportButton(page).click();
  const csv = page.getByRole('link', { name: /^CSV of/ });
  const vcf = page.getByRole('link', { name: /^vCards of/ });
  await expect(vcf).toBeVisible();
  for (const link of [csv, vcf]) {
    const box = (await link.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.height).toBeGreaterThanOrEqual(24);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const file = await download(page, () => csv.click());
  expect(file.name.endsWith('.csv')).toBe(true);
  expect(csvRows(file.bytes.subarray(3).toString('utf8')).length - 1).toBe(await shownTotal(page));
  // A tap elsewhere closes it.
  await exportButton(page).click();
  await expect(vcf).toBeVisible();
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await expect(vcf).toBeHidden();
});
