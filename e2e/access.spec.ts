import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CLOSED_APP } from '../playwright.config';
import { discoverRoutes, ROUTES } from '../tests/support/routes';
import { spawnApp, type SpawnedApp } from './spawn-app';
import type { DemoCredentials } from '../lib/demo-zulip/types';

// Who may view the directory (docs/architecture.md §11), over HTTP against the built app: the "closed"
// app (DIRECTORY_ACCESS=zulip, port 3102, its demo Zulip on 9995), plus apps this spec starts
// in the proxy mode and with a real Zulip configured but no mode chosen. Every page, API route
// and the event stream found under app/ must refuse anonymous viewers in each.

const ZULIP = CLOSED_APP.zulip;
const PROXY_SECRET = 'e2e-proxy-secret-e2e-proxy-secret-000001';

type Account = DemoCredentials;

async function accounts(request: APIRequestContext) {
  const body = (await (await request.get(`${ZULIP}/demo/credentials`)).json()) as { bot: { email: string; api_key: string; user_id: number }; users: Account[] };
  // Guests are not members of the directory (DIRECTORY_ALLOW_GUESTS is off).
  const humans = body.users.filter((u) => !u.is_bot && u.is_active && u.role !== 600);
  return { bot: body.bot, humans };
}

/** Fills and sends the sign-in form on the page, with the member's Zulip password. */
async function submitSignIn(page: Page, member: Account): Promise<void> {
  await page.getByLabel('Zulip email').fill(member.delivery_email);
  await page.getByLabel('Password or API key').fill(member.password!);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Asks for every non-public page and route without following redirects; returns what came back. */
async function askEverything(request: APIRequestContext, base: string, member: number, headers: Record<string, string> = {}) {
  const answers: Array<{ template: string; kind: 'page' | 'route'; status: number; type: string; location: string; body: string }> = [];
  for (const { template, kind } of discoverRoutes()) {
    const route = ROUTES[template];
    expect(route, `${template} is not in tests/support/routes.ts`).toBeDefined();
    if (route!.public) continue;
    const res = await request.fetch(`${base}${route!.path(member)}`, { method: route!.method, headers, maxRedirects: 0 });
    answers.push({ template, kind, status: res.status(), type: res.headers()['content-type'] ?? '', location: res.headers().location ?? '', body: await res.text() });
  }
  expect(answers.length).toBeGreaterThanOrEqual(8);
  return answers;
}

test.describe('DIRECTORY_ACCESS=zulip', () => {
  test('anonymous viewers get nothing from any page, API route or the stream', async ({ request }) => {
    const { humans } = await accounts(request);
    const member = humans[0]!;
    for (const answer of await askEverything(request, CLOSED_APP.url, member.user_id)) {
      const what = `${answer.template}: ${answer.status}`;
      expect(answer.body, what).not.toContain(member.full_name);
      if (answer.template.startsWith('/api/')) {
        expect(answer.status, what).toBe(401);
        expect(answer.type, what).toMatch(/^application\/json/);
        expect(JSON.parse(answer.body), what).toEqual({ error: { code: 'sign_in_required', message: expect.any(String) } });
      } else {
        expect(answer.status, what).toBe(303);
        expect(answer.location, what).toMatch(/\/sign-in(\?next=|$)/);
      }
    }
  });

  test('a member signs in with their Zulip password and lands where they were going; signing out ends it', async ({ page, request, context }) => {
    const { humans } = await accounts(request);
    const member = humans[1]!;
    const target = humans[2]!;
    await page.goto(`/people/${target.user_id}`);
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fpeople%2F\d+$/);
    await submitSignIn(page, member);
    await expect(page).toHaveURL(new RegExp(`/people/${target.user_id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(target.full_name);
    await expect(page.getByText(`Signed in as ${member.full_name}`)).toBeVisible();

    const session = (await context.cookies()).find((c) => c.name === 'directory_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    expect(await page.evaluate(() => document.cookie)).not.toContain('directory_session');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?error=signed_out$/);
    await expect(page.getByText('You are signed out.')).toBeVisible();
    expect((await context.cookies()).some((c) => c.name === 'directory_session')).toBe(false);
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test('signing out ends the session on the server: a copy of the cookie taken before no longer works', async ({ page, request, context }) => {
    const { humans } = await accounts(request);
    const member = humans[7]!;
    await page.goto('/sign-in');
    await submitSignIn(page, member);
    await expect(page.getByRole('list', { name: 'People' })).toBeVisible();

    // Someone copies the cookie (another program, another machine: no browser cookie jar).
    const session = (await context.cookies()).find((c) => c.name === 'directory_session')!;
    const copied = { cookie: `directory_session=${session.value}` };
    expect((await request.get('/api/people', { headers: copied })).status()).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?error=signed_out$/);

    const api = await request.get('/api/people', { headers: copied });
    expect(api.status()).toBe(401);
    expect((await api.json()).error.code).toBe('sign_in_required');
    expect((await request.get('/api/presence/stream', { headers: copied })).status()).toBe(401);
    const home = await request.get('/', { headers: copied, maxRedirects: 0 });
    expect(home.status()).toBe(303);
    expect(home.headers().location).toMatch(/\/sign-in$/);
    expect(await home.text()).not.toContain(member.full_name);
  });

  test('a viewer who signs out loses the people index, in this tab and in the others (which go to the sign-in page)', async ({ page, request, context }) => {
    const { humans } = await accounts(request);
    const member = humans[11]!;
    await page.goto('/sign-in');
    await submitSignIn(page, member);
    await expect(page.locator('[data-answered-by]')).toHaveAttribute('data-answered-by', 'browser');
    const other = await context.newPage();
    await other.goto('/');
    await expect(other.locator('[data-answered-by]')).toHaveAttribute('data-answered-by', 'browser');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?error=signed_out$/);
    // Not from the server, nor from the browser's cache (it must ask again, and is refused).
    expect(await page.evaluate(async () => (await fetch('/api/people/index')).status)).toBe(401);
    // The other tab's stream ends at its next check of access (the heartbeat), and its poll is
    // refused: the tab loads the page again and lands on the sign-in page, its directory gone.
    await expect(other).toHaveURL(/\/sign-in/, { timeout: 30_000 });
    await expect(other.locator('[data-answered-by]')).toHaveCount(0);
  });

  test('whatever ends a viewer\'s access tells their browsers to drop their cache: signing out, and every other browser\'s next refused request', async ({ page, request, browser }) => {
    const { humans } = await accounts(request);
    const member = humans[12]!;
    // The people index is kept in the browser's HTTP cache (private, revalidated before each use):
    // on a shared computer nothing of the directory may stay behind. What is checked is the
    // Clear-Site-Data header itself: Chromium as the tests run it keeps no HTTP cache from one
    // document to the next, so a lookup of the cache after a navigation would find nothing anyway.
    const forgets = (headers: Record<string, string>) => headers['clear-site-data'] === '"cache"';
    await page.goto('/sign-in');
    await submitSignIn(page, member);
    await expect(page.locator('[data-answered-by]')).toHaveAttribute('data-answered-by', 'browser');

    // The same viewer in another browser (its own cookies and cache).
    const elsewhere = await browser.newContext({ baseURL: CLOSED_APP.url });
    try {
      const there = await elsewhere.newPage();
      await there.goto('/sign-in');
      await submitSignIn(there, member);
      await expect(there.getByRole('list', { name: 'People' })).toBeVisible();
      expect(forgets((await elsewhere.request.get('/api/people/index')).headers())).toBe(false);

      const signedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-out'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(forgets(await (await signedOut).allHeaders())).toBe(true);
      await expect(page).toHaveURL(/\/sign-in\?error=signed_out$/);

      // The other browser's session ended with it: its next request, a poll or the page its tab
      // then reloads, is refused and says to drop what it keeps.
      const polled = await elsewhere.request.get('/api/presence');
      expect(polled.status()).toBe(401);
      expect(forgets(polled.headers())).toBe(true);
      const reloaded = await elsewhere.request.get('/', { maxRedirects: 0 });
      expect(reloaded.status()).toBe(303);
      expect(forgets(reloaded.headers())).toBe(true);
      // A first visit (no cookie) is refused without it: there is nothing of the directory to drop.
      const firstVisit = await request.get('/', { maxRedirects: 0 });
      expect(firstVisit.status()).toBe(303);
      expect(forgets(firstVisit.headers())).toBe(false);
    } finally {
      await elsewhere.close();
    }
  });

  test('an API key works too; wrong credentials are refused, and repeated attempts are limited', async ({ page, request }) => {
    const { humans, bot } = await accounts(request);
    const member = humans[3]!;
    const signIn = async (email: string, secret: string, method: 'Password' | 'API key' = 'Password') => {
      await page.goto('/sign-in');
      await page.getByLabel('Zulip email').fill(email);
      await page.getByRole('radio', { name: method }).check();
      await page.getByLabel('Password or API key').fill(secret);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    await signIn(member.delivery_email, member.api_key, 'API key');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('list', { name: 'People' })).toBeVisible();

    await page.context().clearCookies();
    await signIn(bot.email, bot.api_key, 'API key');
    await expect(page.locator('main [role="alert"]')).toHaveText('That Zulip account is not an active member of this organization.');

    const victim = humans[4]!;
    for (let i = 0; i < 4; i++) {
      await signIn(victim.delivery_email, `guess number ${i}`);
      await expect(page.locator('main [role="alert"]')).toHaveText('Zulip did not accept that email and password (or API key).');
      await expect(page.locator('main [role="alert"]')).not.toContainText(`guess number ${i}`);
    }
    await signIn(victim.delivery_email, victim.password!);
    await expect(page.locator('main [role="alert"]')).toContainText('Too many sign-in attempts');
    await expect(page).toHaveURL(/\/sign-in\?error=rate_limited&retry=\d+$/);
  });

  test('someone deactivated in Zulip loses access at their next request', async ({ page, request }) => {
    const { humans } = await accounts(request);
    const member = humans[5]!;
    await page.goto('/sign-in');
    await submitSignIn(page, member);
    await expect(page.getByRole('list', { name: 'People' })).toBeVisible();
    expect((await request.patch(`${ZULIP}/demo/users/${member.user_id}`, { data: { is_active: false } })).ok()).toBe(true);
    try {
      await expect.poll(async () => (await page.request.get('/api/people')).status(), { timeout: 15_000 }).toBe(403);
      const response = await page.goto('/');
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { name: 'You can’t see this directory' })).toBeVisible();
    } finally {
      await request.patch(`${ZULIP}/demo/users/${member.user_id}`, { data: { is_active: true } });
    }
  });
});

test.describe('apps in the other modes', () => {
  let apps: SpawnedApp[] = [];
  test.afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    apps = [];
  });

  test('DIRECTORY_ACCESS=proxy: only requests with the proxy’s secret and a member’s email get in', async ({ request }) => {
    test.setTimeout(120_000);
    const { bot, humans } = await accounts(request);
    const member = humans[6]!;
    const app = await spawnApp({
      ZULIP_SITE: ZULIP,
      ZULIP_EMAIL: bot.email,
      ZULIP_API_KEY: bot.api_key,
      DIRECTORY_ACCESS: 'proxy',
      DIRECTORY_PROXY_HEADER: 'X-Forwarded-Email',
      DIRECTORY_PROXY_SECRET: PROXY_SECRET,
    });
    apps.push(app);
    const anonymous: Array<Record<string, string>> = [{}, { 'x-forwarded-email': member.email }, { 'x-forwarded-email': member.email, 'x-directory-proxy-secret': 'not-the-secret' }];
    for (const headers of anonymous) {
      for (const answer of await askEverything(request, app.url, member.user_id, headers)) {
        const what = `${answer.template} ${JSON.stringify(headers)}: ${answer.status}`;
        expect(answer.status, what).toBe(401);
        expect(answer.type, what).toMatch(answer.template.startsWith('/api/') ? /^application\/json/ : /^text\/html/);
        expect(answer.body, what).not.toContain(member.full_name);
      }
    }
    const as = (email: string) => ({ 'x-forwarded-email': email, 'x-directory-proxy-secret': PROXY_SECRET });
    await expect.poll(async () => (await request.get(`${app.url}/api/people/${member.user_id}`, { headers: as(member.email) })).status(), { timeout: 30_000 }).toBe(200);
    const page = await request.get(`${app.url}/people/${member.user_id}`, { headers: as(member.email) });
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain(member.full_name);
    const outsider = await request.get(`${app.url}/api/people`, { headers: as(bot.email) });
    expect(outsider.status()).toBe(403);
    expect((await request.get(`${app.url}/`, { headers: as('stranger@example.com') })).status()).toBe(403);
  });

  test('a real Zulip configured and no mode chosen: no staff data for anyone, and a page saying what to set', async ({ request }) => {
    test.setTimeout(120_000);
    const { bot, humans } = await accounts(request);
    const app = await spawnApp({ ZULIP_SITE: ZULIP, ZULIP_EMAIL: bot.email, ZULIP_API_KEY: bot.api_key });
    apps.push(app);
    for (const answer of await askEverything(request, app.url, humans[0]!.user_id)) {
      const what = `${answer.template}: ${answer.status}`;
      expect(answer.status, what).toBe(403);
      expect(answer.body, what).not.toContain(humans[0]!.full_name);
      if (answer.template.startsWith('/api/')) expect(JSON.parse(answer.body).error.code, what).toBe('access_not_configured');
      else expect(answer.body, what).toContain('DIRECTORY_ACCESS');
    }
    const signIn = await request.get(`${app.url}/sign-in`);
    expect(signIn.status()).toBe(403);
  });
});
