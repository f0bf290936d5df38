import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startDemoZulip, type DemoZulip } from '../lib/demo-zulip/server';
import { spawnApp, type SpawnedApp } from './spawn-app';

// Secrets (docs/architecture.md §12): the bot's API key (and the viewers' passwords and keys, and the
// session secret) never appear in a client bundle, an HTML page, a JSON or event-stream answer,
// a header, an error body or a line the server prints. The built app is started with a Zulip
// configured by environment variables and the Zulip sign-in mode, exercised through every route,
// signed in and out, driven through every upstream fault, and then everything it served and
// printed, and every file under .next/static, is searched for each secret in every encoding.

const SESSION_SECRET = 'secrets-spec-session-secret-0123456789abcdef';

let demo: DemoZulip;
let app: SpawnedApp;
const served: Array<{ what: string; text: string }> = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  demo = await startDemoZulip({ port: 0, seed: 31, users: 30, featureLevel: 372, simulation: false, heartbeatSeconds: 2 });
  app = await spawnApp({
    ZULIP_SITE: demo.site,
    ZULIP_EMAIL: demo.bot.email,
    ZULIP_API_KEY: demo.bot.apiKey,
    DIRECTORY_ACCESS: 'zulip',
    DIRECTORY_SESSION_SECRET: SESSION_SECRET,
    PRESENCE_REFRESH_SECONDS: '5',
    ZULIP_TIMEOUT_SECONDS: '2',
  });
});

test.afterAll(async () => {
  await app?.stop();
  await demo?.close();
});

/** Every way a secret could be written: as is, in basic auth, URL- and JSON-escaped. */
function encodings(secret: string, email?: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64').replace(/=+$/, '')]);
  if (email) forms.add(Buffer.from(`${email}:${secret}`).toString('base64').replace(/=+$/, ''));
  return [...forms].filter((f) => f.length >= 8);
}

async function keep(what: string, response: { status(): number; headers(): Record<string, string>; text(): Promise<string> }) {
  let body = '';
  try {
    body = await response.text();
  } catch {
    // a stream cut short: its headers still count
  }
  served.push({ what: `${response.status()} ${what}`, text: `${JSON.stringify(response.headers())}\n${body}` });
  return body;
}

async function get(request: APIRequestContext, p: string, headers: Record<string, string> = {}) {
  return keep(`GET ${p}`, await request.get(`${app.url}${p}`, { headers, maxRedirects: 0, timeout: 15_000 }));
}

/** A few seconds of the event stream. */
async function stream(cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${app.url}/api/presence/stream`, { headers: { cookie }, signal: controller.signal });
  let text = '';
  const reader = res.body!.getReader();
  const stop = setTimeout(() => controller.abort(), 2_500);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch {
    // aborted on purpose
  } finally {
    clearTimeout(stop);
  }
  served.push({ what: `${res.status} stream`, text: `${JSON.stringify([...res.headers])}\n${text}` });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test('the key appears in nothing the app serves, prints or ships, faults and errors included', async ({ request, page }) => {
  test.setTimeout(170_000);
  // (About 80 s: each of the eight faults is held for a presence refresh interval.)
  const accounts = (await (await fetch(`${demo.site}/demo/credentials`)).json()) as {
    users: Array<{ user_id: number; email: string; delivery_email: string; password: string | null; api_key: string; is_bot: boolean; is_active: boolean; role: number }>;
  };
  const humans = accounts.users.filter((u) => !u.is_bot && u.is_active && u.role !== 600);
  const [viewer, other] = [humans[0]!, humans[1]!];

  // Anonymous: every route refuses, the sign-in page and its failures.
  for (const p of ['/', `/people/${viewer.user_id}`, '/api/people', '/api/health', '/api/presence', '/api/presence/stream', `/api/people/${viewer.user_id}/presence`, '/nope', '/sign-in', '/sign-in?error=invalid_credentials']) await get(request, p);
  const post = async (form: Record<string, string>, headers: Record<string, string> = {}) =>
    keep(`POST sign-in ${form.method ?? 'password'}`, await request.post(`${app.url}/api/auth/sign-in`, { form, headers, maxRedirects: 0 }));
  await post({ email: viewer.delivery_email, secret: 'wrong password' }, { accept: 'application/json' });
  await post({ email: other.delivery_email, method: 'api_key', secret: 'x'.repeat(32) }, { accept: 'application/json' });
  await post({ email: viewer.delivery_email, secret: viewer.password! });
  const signedIn = await request.post(`${app.url}/api/auth/sign-in`, { form: { email: other.delivery_email, method: 'api_key', secret: other.api_key }, headers: { accept: 'application/json' } });
  await keep('POST sign-in api_key', signedIn);
  const cookie = /directory_session=[^;]+/.exec(signedIn.headers()['set-cookie'] ?? '')![0];
  const as = { cookie };

  // Signed in: every route, and its error paths.
  const routes = ['/', '/?q=a&status=reachable', `/people/${viewer.user_id}`, `/people/${encodeURIComponent(viewer.email)}`, '/api/people', '/api/people?q=a', `/api/people/${viewer.user_id}`, `/api/people/${viewer.user_id}/presence`, '/api/presence', '/api/presence?since=1', '/api/health'];
  const errors = ['/api/people/%zz', '/people/%E0%A4%A', '/people/999999999', '/api/people/999999999/presence', '/nope', '/api/nope', '/?q=%00', '/api/health?x=1', '/api/presence?since=-1'];
  for (const p of [...routes, ...errors]) await get(request, p, as);
  await stream(cookie);

  // A browser too: its client-side navigations fetch RSC payloads the requests above do not.
  await page.context().addCookies([{ name: 'directory_session', value: cookie.split('=')[1]!, url: app.url }]);
  page.on('response', (response) => void keep(`browser ${response.url()}`, response).catch(() => {}));
  await page.goto(`${app.url}/`);
  const list = page.getByRole('list', { name: 'People' });
  await expect(list).toBeVisible();
  await list.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('link', { name: /directory$/ }).click();
  await expect(list).toBeVisible();
  await page.close();

  // Every upstream fault, with the app asked for data while it lasts.
  const faults: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
    ['5xx', () => control('POST', '/demo/faults', { errorRate: 1, errorStatus: 500 }), () => control('DELETE', '/demo/faults')],
    ['502', () => control('POST', '/demo/faults', { errorRate: 1, errorStatus: 502 }), () => control('DELETE', '/demo/faults')],
    ['malformed', () => control('POST', '/demo/faults', { malformedJson: true }), () => control('DELETE', '/demo/faults')],
    ['dropped', () => control('POST', '/demo/faults', { dropConnections: true }), () => control('DELETE', '/demo/faults')],
    ['429', () => control('POST', '/demo/faults', { force429: { retryAfter: 1 } }), () => control('DELETE', '/demo/faults')],
    ['slow', () => control('POST', '/demo/faults', { latencyMs: 4_000 }), () => control('DELETE', '/demo/faults')],
    ['expired queues', () => control('POST', '/demo/faults', { expireQueues: true }), () => control('DELETE', '/demo/faults')],
    ['401', () => control('POST', `/demo/users/${demo.org.directoryBotId}/api_key`), () => control('POST', `/demo/users/${demo.org.directoryBotId}/api_key`, { api_key: demo.bot.apiKey })],
  ];
  let person = 2;
  const faultAnswers: string[] = [];
  for (const [name, start, stop] of faults) {
    const before = await zulipCalls();
    await start();
    // Until the app's own poller has met the fault twice (its next refresh, whenever that is).
    await expect.poll(async () => (await zulipCalls()) - before, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    for (const p of ['/api/health', `/api/people/${humans[person++ % humans.length]!.user_id}/presence`, '/api/people', '/']) {
      const res = await request.get(`${app.url}${p}`, { headers: as, maxRedirects: 0, timeout: 15_000 });
      const body = await keep(`GET ${p} during ${name}`, res);
      // The app itself never fails: data pages answer from what it knows, and what needs Zulip
      // now says which upstream problem it met (never a bare 500).
      const code = res.status() >= 500 ? (JSON.parse(body) as { error?: { code?: string } }).error?.code : undefined;
      if (res.status() >= 500 && !(p === '/api/health' && res.status() === 503) && !/^upstream_/.test(code ?? '')) faultAnswers.push(`${name}: ${res.status()} ${p} ${code}`);
      if ((p === '/' || p === '/api/people') && res.status() !== 200) faultAnswers.push(`${name}: ${res.status()} ${p}`);
    }
    // Signing in needs Zulip too.
    await post({ email: viewer.delivery_email, secret: viewer.password! }, { accept: 'application/json' });
    served.push({ what: `during ${name}`, text: '' });
    await stop();
  }
  await request.post(`${app.url}/api/auth/sign-out`, { headers: as, maxRedirects: 0 }).then((r) => keep('POST sign-out', r));
  // A refresh or two after the faults, as the log would show one.
  const after = await zulipCalls();
  await expect.poll(async () => (await zulipCalls()) - after, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await get(request, '/api/health', as);
  await app.stop();
  expect(faultAnswers).toEqual([]);
  // Through all of it, no promise rejection went unhandled in the server.
  expect(app.output()).not.toMatch(/unhandled ?rejection/i);

  const secrets: Array<[string, string[]]> = [
    ['the bot’s API key', encodings(demo.bot.apiKey, demo.bot.email)],
    ['a viewer’s password', encodings(viewer.password!)],
    ['a viewer’s API key', encodings(other.api_key, other.delivery_email)],
    ['the session secret', encodings(SESSION_SECRET)],
  ];
  const places: Array<{ what: string; text: string }> = [
    ...served,
    { what: 'the server’s stdout and stderr', text: app.output() },
    ...filesUnder(path.join('.next', 'static')).map((file) => ({ what: file, text: readFileSync(file).toString('latin1') + readFileSync(file).toString('utf8') })),
  ];
  expect(served.length).toBeGreaterThan(80);
  expect(places.some((p) => p.what.startsWith('.next/static') && p.what.endsWith('.js'))).toBe(true);
  const leaks: string[] = [];
  for (const { what, text } of places) {
    for (const [name, forms] of secrets) if (forms.some((f) => text.includes(f))) leaks.push(`${name} in ${what}`);
  }
  expect(leaks).toEqual([]);
});

/** How many requests the demo Zulip has received (answered or not). */
async function zulipCalls(): Promise<number> {
  return ((await control('GET', '/demo/stats')) as { total: number }).total;
}

async function control(method: string, p: string, body?: unknown) {
  const res = await fetch(`${demo.site}${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}
