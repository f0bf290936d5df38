import { expect, test } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { openLive } from './demo-zulip';

// Headers (docs/architecture.md §12), as a browser meets them: every kind of response carries them,
// the page runs under its strict CSP without a single violation, markup injected into the page
// cannot run script, and no other site can frame the directory.

test('every kind of response carries the security headers', async ({ request }) => {
  const page = await request.get('/');
  const html = await page.text();
  const chunk = /\/_next\/static\/[^"]+\.js/.exec(html)![0];
  for (const path of ['/', '/people/999999999', '/nope', '/?q=%00', '/api/people', '/api/health', '/api/people/%zz', '/api/nope', chunk]) {
    const res = await request.get(path);
    const headers = res.headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('same-origin');
    if (path.startsWith('/_next/static')) continue;
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
    if (!path.startsWith('/api')) expect(headers['content-security-policy'], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'(;|$)/);
  }
  // Each page gets its own nonce, and Next puts it on every script it sends.
  const nonce = /'nonce-([^']+)'/.exec(page.headers()['content-security-policy']!)![1]!;
  const again = /'nonce-([^']+)'/.exec((await request.get('/')).headers()['content-security-policy']!)![1]!;
  expect(again).not.toBe(nonce);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test('the directory runs under its CSP without violations, and injected markup cannot run', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(e.violatedDirective));
  });
  await openLive(page, '/');
  await page.getByRole('list', { name: 'People' }).getByRole('link').first().click();
  await expect(page.getByRole('region', { name: 'Presence by device' })).not.toContainText('Loading');
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);

  // As if some markup had slipped through: CSP must stop its inline handler and javascript: URL.
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<img id="x" src="/no-such-image.png" onerror="window.__ran=1"><a id="j" href="javascript:window.__ran=2">j</a>');
  });
  await page.locator('#j').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.length)).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran ?? null)).toBeNull();
});

test('no other site can frame the directory', async ({ page }) => {
  await page.goto(DEMO_APP.zulip);
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
  }, `${DEMO_APP.url}/`);
  await page.waitForTimeout(1_500);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  // A blocked frame never gets the directory's document.
  const text = framed ? await framed.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  expect(text).not.toContain('directory');
  expect(framed?.url() ?? '').not.toBe(`${DEMO_APP.url}/`);
});

// docs/architecture.md §12: images only from where the avatars are, and HSTS only over https.
test('images only from this app, Zulip and the avatars’ hosts; no HSTS over plain http', async ({ request }) => {
  for (const path of ['/', '/api/people']) {
    const headers = (await request.get(path)).headers();
    // The e2e apps are served over plain http: HSTS there would mean nothing (and is not sent).
    expect(headers['strict-transport-security'], path).toBeUndefined();
  }
  const csp = (await request.get('/')).headers()['content-security-policy']!;
  const img = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('img-src '))!.split(' ').slice(1);
  // Not every https origin: 'self', the (demo) Zulip server and Gravatar, where the demo's avatars are.
  expect(img).not.toContain('https:');
  expect(img).toEqual(["'self'", DEMO_APP.zulip, 'https://secure.gravatar.com']);
  // Behind a TLS proxy that says so, every answer asks the browser to keep to https.
  const behindTls = await request.get('/', { headers: { 'x-forwarded-proto': 'https' } });
  expect(behindTls.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
});

test('avatars still load under the narrower img-src', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openLive(page, '/?sort=name');
  const people = page.getByRole('list', { name: 'People' });
  // Uploaded avatars are served by the Zulip server: they load (a real image, not the fallback).
  const uploaded = people.locator(`img[src^="${DEMO_APP.zulip}/user_avatars/"]`);
  await expect(uploaded.first()).toBeVisible();
  await expect
    .poll(() => uploaded.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length))
    .toBeGreaterThan(0);
  // Gravatar ones may not load without the internet, but the policy never blocks them, or anything else.
  await page.getByRole('list', { name: 'People' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});
