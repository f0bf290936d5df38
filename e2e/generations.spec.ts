import { expect, test, type APIRequestContext } from '@playwright/test';
import { GENERATION_APPS } from '../playwright.config';
import { noDataLabel, presenceLabel } from '../lib/presence/last-seen';
import { presenceHistoryDays, type PresenceSummary } from '../lib/presence/status';
import { listedPeople, openLive, postPresence } from './demo-zulip';

// A focused browser check of the Zulip generations the full suite does not run on (it runs on
// 6.x, and its breakdown on 10.x): 4.x, 7.x and 12.0-dev, each demo server with its clock off
// from the app's and the browser's (playwright.config.ts). The list, the badge wording measured
// on Zulip's clock, the breakdown and a live update must be right on each (docs/zulip.md §m).

const appFor = (baseURL: string | undefined) => GENERATION_APPS.find((a) => a.url === baseURL)!;

async function zulipNow(request: APIRequestContext): Promise<number> {
  const health = (await (await request.get('/api/health')).json()) as { data: { zulipClockOffsetSeconds: number } };
  return Date.now() / 1000 + health.data.zulipClockOffsetSeconds;
}

test('lists the whole organization', async ({ page, request, baseURL }) => {
  const app = appFor(baseURL);
  const people = await listedPeople(request, app.zulip);
  const everyone = (await (await request.get(`${app.zulip}/demo/credentials`)).json()) as { users: Array<{ is_bot: boolean; is_active: boolean; role: number }> };
  // Guests are not listed (DIRECTORY_ALLOW_GUESTS is off).
  const humans = everyone.users.filter((u) => !u.is_bot && u.is_active && u.role !== 600).length;
  expect(people.length).toBeGreaterThan(0);
  await page.goto('/');
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toContainText(`${humans} people`);
});

test('the links into Zulip are the ones this generation’s web app reads', async ({ page, request, baseURL }) => {
  const app = appFor(baseURL);
  const person = (await listedPeople(request, app.zulip))[0]!;
  await page.goto(`/people/${person.user_id}`);
  // `dm` from Zulip 7.0 (FL 177), `pm-with` before; `#user/{id}` opens a profile from 9.0 (FL 240) (docs/zulip.md §i).
  const operator = app.featureLevel >= 177 ? 'dm' : 'pm-with';
  await expect(page.getByRole('link', { name: 'Message in Zulip' })).toHaveAttribute('href', new RegExp(`#narrow/${operator}/${person.user_id}-`));
  const open = page.getByRole('link', { name: 'Open in Zulip', includeHidden: true });
  if (app.featureLevel >= 240) await expect(open).toHaveAttribute('href', new RegExp(`#user/${person.user_id}$`));
  else await expect(open).toHaveCount(0);
});

test('"Active N minutes ago" is measured on Zulip’s clock, not the browser’s', async ({ page, request }) => {
  const list = (await (await request.get('/api/people?sort=name&limit=200')).json()) as {
    items: Array<{ id: number; name: string; presence: PresenceSummary | null }>;
  };
  const now = await zulipNow(request);
  // Someone last active between 5 minutes and 20 hours ago on Zulip's clock.
  const person = list.items.find((p) => p.presence?.state === 'offline' && p.presence.lastActiveAt && now - p.presence.lastActiveAt > 300 && now - p.presence.lastActiveAt < 72_000);
  expect(person, 'the demo organization has someone last active earlier today').toBeDefined();
  await page.goto(`/people/${person!.id}`);
  const badge = page.locator('main [data-presence="offline"]').first();
  const before = presenceLabel(person!.presence, now);
  const after = presenceLabel(person!.presence, await zulipNow(request));
  await expect(badge).toHaveText(new RegExp(`^(${before}|${after})$`));
});

test('someone with no presence data is described by how far back this server’s data goes', async ({ page, request, baseURL }) => {
  const app = appFor(baseURL);
  const list = (await (await request.get('/api/people?sort=name&limit=200')).json()) as { items: Array<{ id: number; name: string; presence: PresenceSummary | null }> };
  const person = list.items.find((p) => p.presence === null);
  expect(person, 'the demo organization has someone with no presence data').toBeDefined();
  await page.goto(`/?q=${encodeURIComponent(person!.name)}`);
  const row = page.getByRole('list', { name: 'People' }).getByRole('listitem').filter({ hasText: person!.name });
  // 14 days of history before feature level 288, a year from then.
  await expect(row).toContainText(noDataLabel(presenceHistoryDays(app.featureLevel)));
});

test('the breakdown says what this generation can tell', async ({ page, request, baseURL }) => {
  const app = appFor(baseURL);
  const person = (await listedPeople(request, app.zulip))[5]!;
  await postPresence(request, app.zulip, person, 'active', 'ZulipMobile');
  await postPresence(request, app.zulip, person, 'idle', 'website');
  await page.goto(`/people/${person.user_id}`);
  const section = page.getByRole('region', { name: 'Presence by device' });
  // Reported a moment ago on Zulip's clock, whatever the browser's says. A breakdown is kept for
  // 10 s (PRESENCE_DETAIL_CACHE_SECONDS): if an earlier test opened this person's profile (which
  // one it picks depends on the hour), the first load may still show the breakdown from before.
  await expect(async () => {
    await page.reload();
    await expect(section.getByRole('table')).toContainText('Just now', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  if (app.featureLevel < 178) {
    // Before 7.0 Zulip kept one row per client.
    await expect(section.getByRole('rowheader', { name: /Mobile app/ })).toBeVisible();
    await expect(section.getByRole('rowheader', { name: /Web/ })).toBeVisible();
  } else {
    await expect(section).toContainText('reports presence for all devices together');
    await expect(section.getByRole('rowheader')).toHaveCount(1);
  }
  if (app.featureLevel >= 497) await expect(section).toContainText('Last active');
});

test('a colleague coming online shows up live', async ({ page, request, baseURL }) => {
  const app = appFor(baseURL);
  const list = (await (await request.get('/api/people?sort=name&limit=200')).json()) as { items: Array<{ id: number; presence: PresenceSummary | null }> };
  const accounts = new Map((await listedPeople(request, app.zulip)).map((a) => [a.user_id, a]));
  const offline = list.items.find((p) => (p.presence?.state ?? 'offline') === 'offline' && accounts.has(p.id))!;
  const person = accounts.get(offline.id)!;
  await openLive(page, `/?q=${encodeURIComponent(person.full_name)}`);
  const row = page.getByRole('list', { name: 'People' }).getByRole('listitem').filter({ hasText: person.full_name });
  await expect(row.locator('[data-presence]').first()).toHaveAttribute('data-presence', 'offline');
  await postPresence(request, app.zulip, person, 'active');
  await expect(row.locator('[data-presence]').first()).toHaveAttribute('data-presence', 'active', { timeout: 20_000 });
  await expect(row).toContainText('Active now');
});

test('a person’s local time is the real time in their zone, whatever Zulip’s clock says; working hours likewise', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const cell = page.locator('li[data-person-id] [data-local-time]').first();
  const zone = (await cell.getAttribute('title'))!;
  await expect(cell).toContainText('local');
  const shown = (await cell.locator('span').first().textContent())!;
  // The wall's time there, a minute either side (the page's clock ticks every 30 s).
  const around = await page.evaluate((z) => [-60_000, 0, 60_000].map((d) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: z }).format(Date.now() + d)), zone);
  expect(around.some((t) => shown.startsWith(t))).toBe(true);
  // And the rows say "Off hours" as the server's query does (its clock, not Zulip's). The page
  // shows the first 50 by name, as this answer does; a minute's tick either side may move one.
  const server = (await (await page.request.get('/api/people?sort=name')).json()) as {
    items: Array<{ id: number; availability: { out: unknown; busy: boolean; withinWorkingHours: boolean | null } }>;
  };
  const offHours = server.items.filter((p) => p.availability.withinWorkingHours === false && !p.availability.out && !p.availability.busy).map((p) => p.id);
  const shownOff = await page.locator('li[data-person-id]:has([data-availability="off-hours"])').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-person-id'))));
  expect(offHours.length).toBeGreaterThan(0);
  const differ = [...offHours.filter((id) => !shownOff.includes(id)), ...shownOff.filter((id) => !offHours.includes(id))];
  expect(differ.length).toBeLessThanOrEqual(1);
});
