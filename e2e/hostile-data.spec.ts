import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { demoAccounts, openLive, setStatus, type DemoAccount } from './demo-zulip';

// Hostile data from Zulip (docs/architecture.md §12): names, profile fields and status texts carrying
// HTML and script, javascript: and data: URLs in link fields, right-to-left overrides, and
// 10,000-character values, planted in the demo organization through its control surface and
// Zulip's own status API. The pages must show all of it as readable text and run none of it:
// the test fails on a dialog, on the flag the payloads would set, on any Content-Security-Policy
// violation (markup that got into the DOM, even if CSP then stopped it), and on page overflow.

const ZULIP = DEMO_APP.zulip;
const RLO = '\u202E';
const FIELD = { title: '1', github: '6', bio: '8', website: '9' } as const;
const PWN = 'window.__pwned=1';

const NAME = `<img src=x onerror="${PWN}">Eve <script>${PWN}</script>${RLO}gnp.exe`;
const SHOWN_NAME = `<img src=x onerror="${PWN}">Eve <script>${PWN}</script>gnp.exe`;
const LONG_NAME = `Wil${'l'.repeat(9_990)}iam`;
const HOSTILE_FIELDS = {
  [FIELD.title]: `"><svg onload=${PWN}>Chief <b>Hacker</b>${RLO}`,
  [FIELD.github]: `"><img src=x onerror=${PWN}>`,
  [FIELD.bio]: `<script>${PWN}</script>\n\n<iframe src="javascript:${PWN}"></iframe> ${'long bio '.repeat(1_200)}`,
  [FIELD.website]: `javascript:${PWN}`,
};
const STATUS = `<img src=x onerror=${PWN}>`;
const FIELD_NAME = '<b onmouseover=x>Site</b>';

type Original = { id: number; full_name: string; profile: Record<string, string | null> };

async function zulipUser(request: APIRequestContext, bot: { email: string; api_key: string }, id: number) {
  const res = await request.get(`${ZULIP}/api/v1/users/${id}?include_custom_profile_fields=true`, {
    headers: { Authorization: `Basic ${Buffer.from(`${bot.email}:${bot.api_key}`).toString('base64')}` },
  });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { user: { full_name: string; profile_data?: Record<string, { value: string }> } }).user;
}

async function patchUser(request: APIRequestContext, id: number, body: Record<string, unknown>) {
  const res = await request.patch(`${ZULIP}/demo/users/${id}`, { data: body });
  expect(res.status(), await res.text()).toBe(200);
}

/** Waits until the app has received the planted data (Zulip's events reach it through its queue). */
async function appShows(request: APIRequestContext, id: number, check: (person: { name: string; status: { text: string | null } | null }) => boolean) {
  await expect
    .poll(async () => {
      const res = await request.get(`/api/people/${id}`);
      return res.ok() && check(((await res.json()) as { person: { name: string; status: { text: string | null } | null } }).person);
    }, { timeout: 20_000 })
    .toBe(true);
}

/** Records anything that would mean a payload acted: dialogs, the flag, CSP violations. */
async function watch(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  return async () => {
    const state = await page.evaluate(() => {
      const w = window as unknown as { __pwned?: unknown; __violations: string[] };
      return { pwned: w.__pwned ?? null, violations: w.__violations };
    });
    expect(dialogs, 'dialogs').toEqual([]);
    expect(state.pwned, 'a payload ran').toBeNull();
    expect(state.violations, 'CSP violations').toEqual([]);
  };
}

async function noSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

test.describe('hostile data from Zulip', () => {
  let eve: DemoAccount;
  let will: DemoAccount;
  const originals: Original[] = [];
  let fieldName = '';

  test.beforeAll(async ({ request }) => {
    const credentials = (await (await request.get(`${ZULIP}/demo/credentials`)).json()) as { bot: { email: string; api_key: string } };
    const people = (await demoAccounts(request, ZULIP)).filter((a) => !a.is_bot && a.is_active && a.role !== 600);
    [eve, will] = [people[people.length - 3]!, people[people.length - 4]!];
    for (const who of [eve, will]) {
      const user = await zulipUser(request, credentials.bot, who.user_id);
      const profile: Record<string, string | null> = {};
      for (const id of Object.values(FIELD)) profile[id] = user.profile_data?.[id]?.value ?? null;
      originals.push({ id: who.user_id, full_name: user.full_name, profile });
    }
    const fields = (await (await request.get(`${ZULIP}/api/v1/realm/profile_fields`, {
      headers: { Authorization: `Basic ${Buffer.from(`${credentials.bot.email}:${credentials.bot.api_key}`).toString('base64')}` },
    })).json()) as { custom_fields: Array<{ id: number; name: string }> };
    fieldName = fields.custom_fields.find((f) => String(f.id) === FIELD.website)!.name;

    await patchUser(request, eve.user_id, { full_name: NAME, profile_data: HOSTILE_FIELDS });
    await patchUser(request, will.user_id, { full_name: LONG_NAME, profile_data: { [FIELD.website]: `data:text/html,<script>${PWN}</script>`, [FIELD.title]: 'x'.repeat(10_000) } });
    await setStatus(request, ZULIP, eve, STATUS);
    expect((await request.patch(`${ZULIP}/demo/profile_fields/${FIELD.website}`, { data: { name: FIELD_NAME } })).status()).toBe(200);
    await appShows(request, eve.user_id, (p) => p.name === SHOWN_NAME && p.status?.text === STATUS);
    await appShows(request, will.user_id, (p) => p.name === LONG_NAME);
  });

  test.afterAll(async ({ request }) => {
    for (const o of originals) await patchUser(request, o.id, { full_name: o.full_name, profile_data: o.profile });
    if (eve) await setStatus(request, ZULIP, eve, '');
    if (fieldName) await request.patch(`${ZULIP}/demo/profile_fields/${FIELD.website}`, { data: { name: fieldName } });
    for (const o of originals) await appShows(request, o.id, (p) => p.name === o.full_name);
  });

  test('a profile shows markup, scripts and overrides as plain text, and runs nothing', async ({ page }) => {
    const check = await watch(page);
    await openLive(page, `/people/${eve.user_id}`);
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toContainText(SHOWN_NAME);
    await expect(page.getByText(HOSTILE_FIELDS[FIELD.title].replace(RLO, ''))).toBeVisible();
    // The status as written, in the availability line (which may follow it with the person's hours).
    await expect(page.locator('[data-availability]').filter({ hasText: STATUS })).toBeVisible();
    const website = page.getByText(`javascript:${PWN}`, { exact: true });
    await expect(website).toBeVisible();
    expect(await website.evaluate((el) => el.closest('a') === null)).toBe(true);
    await expect(page.getByText(FIELD_NAME)).toBeVisible();
    await expect(page.getByText(`<script>${PWN}</script>`).last()).toBeVisible();
    // None of it became an element, and no link points anywhere but http(s) (or mailto).
    expect(await page.locator('main img[src="x"], main svg[onload], main script, main iframe, main b[onmouseover]').count()).toBe(0);
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href, href).toMatch(/^(\/|https?:|mailto:|#)/);
    expect(await page.evaluate(() => document.body.innerText.includes('\u202E'))).toBe(false);
    await noSideScroll(page);
    await check();
  });

  test('a data: link is shown, not linked; 10,000-character values wrap and stay readable', async ({ page }) => {
    const check = await watch(page);
    await openLive(page, `/people/${will.user_id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(LONG_NAME.slice(0, 50));
    const data = page.getByText(`data:text/html,<script>${PWN}</script>`);
    await expect(data).toBeVisible();
    expect(await data.evaluate((el) => el.closest('a') === null)).toBe(true);
    await noSideScroll(page);
    await check();
  });

  test('the directory list shows the hostile rows as text, without running or overflowing', async ({ page }) => {
    const check = await watch(page);
    await openLive(page, `/?q=${encodeURIComponent('Eve')}`);
    const list = page.getByRole('list', { name: 'People' });
    await expect(list.getByRole('link', { name: SHOWN_NAME })).toBeVisible();
    await expect(list.getByText(STATUS)).toBeVisible();
    await openLive(page, `/?q=${encodeURIComponent('Willlllll')}`);
    await expect(list.locator(`li[data-person-id="${will.user_id}"]`)).toBeVisible();
    await noSideScroll(page);
    await page.setViewportSize({ width: 375, height: 740 });
    await noSideScroll(page);
    await check();
  });
});
