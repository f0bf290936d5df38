import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { isOffline, listedPeople, offlinePerson, openLive, openLiveWithIndex, postPresence, reachableOnceOnline, waitForAppPresence, type DemoAccount, type ListedRowFacts } from './demo-zulip';

const ZULIP = DEMO_APP.zulip;

test('browse: the directory lists the demo organization, server-rendered', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toContainText(/\d+ people · \d+ reachable now/);
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBe(50);
  await expect(page.getByText('Demo organization')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(/1–50 of \d+/);
});

test('a link to a page past the end of its view says so and leads to the last page', async ({ page, request }) => {
  const someone = (await listedPeople(request, ZULIP)).find((p) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.full_name))!;
  await page.goto(`/?q=${encodeURIComponent(someone.full_name)}&offset=50`);
  await expect(page.getByText(/^This page is past the end of this view’s \d+ (person|people)\.$/)).toBeVisible();
  // Not "no one matches": people do, on an earlier page.
  await expect(page.getByRole('list', { name: 'Nearest views' })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Go to the last page' }).click();
  await expect(page.getByRole('list', { name: 'People' }).getByRole('link', { name: someone.full_name, exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/offset=/);
});

test('search by name as you type, accent-insensitive, kept in the URL', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const accented = people.find((p) => /[À-ž]/.test(p.full_name.split(' ')[0] ?? '')) ?? people[0]!;
  const first = accented.full_name.split(' ')[0]!;
  const folded = first.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  await openLive(page, '/');
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toBeFocused();
  await page.keyboard.type(folded);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(folded)}`));
  const list = page.getByRole('list', { name: 'People' });
  await expect(list.getByRole('link', { name: accented.full_name })).toBeVisible();
  // The shared URL reproduces the view.
  await page.goto(page.url());
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toHaveValue(folded);
  await expect(list.getByRole('link', { name: accented.full_name })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the search and the filters are a form, and the pages links: the server answers each', async ({ page, request }) => {
    const someone = (await listedPeople(request, ZULIP)).find((p) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.full_name))!;
    const list = page.getByRole('list', { name: 'People' });
    await page.goto('/?sort=name');
    const box = page.getByRole('searchbox', { name: 'Search people' });
    await box.fill(someone.full_name);
    await box.press('Enter');
    await expect(page).toHaveURL(/[?&]q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(someone.full_name);
    // The view's other choices go with the search.
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    await expect(list.getByRole('link', { name: someone.full_name })).toBeVisible();

    await box.fill('');
    const select = page.getByRole('combobox', { name: 'Department' });
    const department = (await select.locator('option').nth(1).textContent())!;
    await select.selectOption(department);
    await page.getByRole('button', { name: 'Apply' }).click();
    // The page the form asked for, loaded (the list is read at once below, not awaited).
    await page.waitForURL((url) => url.searchParams.get('department') === department);
    const texts = await list.getByRole('listitem').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toContain(department);

    await page.goto('/?sort=name');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next' }).click();
    await expect(page).toHaveURL(/offset=50/);
    await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(/51–100 of/);
  });

  test('on a phone the filters are unfolded, and the controls only a script can work are not shown', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/?department=nowhere');
    await expect(page.getByRole('combobox', { name: 'Department' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Apply' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Filters \(/ })).toBeHidden();
    await expect(page.getByRole('list', { name: 'Filters on' })).toBeHidden();
    // From a tablet's width up the filters are a row, as with scripts.
    await page.setViewportSize({ width: 1024, height: 800 });
    expect(await page.locator('#directory-filters').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
  });
});

test('text an input method is still composing (kana before its kanji) goes into the address only once it is committed', async ({ page }) => {
  await openLiveWithIndex(page, '/');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.focus();
  const cdp = await page.context().newCDPSession(page);
  // Kana typed, its candidates not chosen yet; the pause is longer than the address waits for.
  await cdp.send('Input.imeSetComposition', { text: 'やま', selectionStart: 2, selectionEnd: 2 });
  await expect(box).toHaveValue('やま');
  await page.waitForTimeout(800);
  expect(new URL(page.url()).searchParams.has('q')).toBe(false);
  // The candidate chosen: now it is a search, and the address follows.
  await cdp.send('Input.insertText', { text: '山' });
  await expect(box).toHaveValue('山');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('山');
  // A phone's keyboard composes Latin words letter by letter: those letters are the search already.
  await cdp.send('Input.imeSetComposition', { text: 'ana', selectionStart: 3, selectionEnd: 3 });
  await expect(box).toHaveValue('山ana');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('山ana');
});

test('a pasted tab becomes a space where it was pasted, and the caret stays after it', async ({ page }) => {
  await openLive(page, '/');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.fill('ab');
  await box.press('ArrowLeft');
  await page.evaluate(() => document.execCommand('insertText', false, 'x\ty'));
  await expect(box).toHaveValue('ax yb');
  expect(await box.evaluate((input: HTMLInputElement) => input.selectionStart)).toBe(4);
  await page.keyboard.type('z');
  await expect(box).toHaveValue('ax yzb');
});

test('filter by department', async ({ page }) => {
  await openLive(page, '/');
  const select = page.getByRole('combobox', { name: 'Department' });
  const department = (await select.locator('option').nth(1).textContent())!;
  await select.selectOption(department);
  await expect(page).toHaveURL(/department=/);
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  // The previous rows stay on screen until the filtered page arrives: wait for it.
  await expect.poll(async () => (await rows.allTextContents()).every((text) => text.includes(department))).toBe(true);
  expect(await rows.count()).toBeGreaterThan(0);
});

test('back and forward restore each view, from a shared link onwards', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  const department = page.getByRole('combobox', { name: 'Department' });
  const sort = page.locator('#sort-order');
  await expect(sort).toHaveValue('name');
  const first = (await department.locator('option').nth(1).textContent())!;
  const second = (await department.locator('option').nth(2).textContent())!;
  const allIn = (name: string) => async () => (await rows.allTextContents()).every((text) => text.includes(name));
  await department.selectOption(first);
  await expect.poll(allIn(first)).toBe(true);
  await department.selectOption(second);
  await expect.poll(allIn(second)).toBe(true);
  await expect(page).toHaveURL(/sort=name/);
  await page.goBack();
  await expect(department).toHaveValue(first);
  await expect.poll(allIn(first)).toBe(true);
  await page.goBack();
  await expect(department).toHaveValue('');
  await expect(sort).toHaveValue('name');
  await expect.poll(allIn(first)).toBe(false);
  await page.goForward();
  await expect(department).toHaveValue(first);
  await expect.poll(allIn(first)).toBe(true);

  // A profile and back: the page comes back as the address says, not as it was first rendered.
  await rows.first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await page.goBack();
  await expect(department).toHaveValue(first);
  await expect.poll(allIn(first)).toBe(true);
});

test('back to an earlier search puts that search in the box, and keeps the address', async ({ page }) => {
  // The page's own timers run on a clock the test can move on (it flows as usual until then).
  await page.clock.install();
  await openLive(page, '/?q=an');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await expect(box).toHaveValue('an');
  const department = page.getByRole('combobox', { name: 'Department' });
  await department.selectOption({ index: 1 });
  await expect(page).toHaveURL(/q=an&department=/);
  await box.fill('le');
  await expect(page).toHaveURL(/q=le&department=/);
  await page.goBack();
  await expect(page).toHaveURL(/\/\?q=an$/);
  await expect(box).toHaveValue('an');
  // Nothing types the old search again behind the viewer's back: the address sync's timers, run
  // now rather than waited for, leave it as it is.
  await page.clock.runFor(800);
  await expect(page).toHaveURL(/\/\?q=an$/);
  await expect(box).toHaveValue('an');
});

test('search by department name finds the people in it', async ({ page }) => {
  await openLive(page, '/?q=design&sort=name');
  const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  for (const text of (await rows.allTextContents()).slice(0, 10)) expect(text.toLowerCase()).toContain('design');
  await expect(rows.first().locator('mark').first()).toBeVisible();
});

test('when the live stream is down the page says so and keeps updating by polling', async ({ page, request }) => {
  await page.route('**/api/presence/stream**', (route) => route.abort());
  const person = await offlinePerson(request, ZULIP, 2);
  await page.goto(`/?q=${encodeURIComponent(person.full_name)}`);
  await expect(page.getByText(/Live updates interrupted/)).toBeVisible();
  const row = page.locator('li[data-person-id]').filter({ has: page.getByRole('link', { name: person.full_name, exact: true }) });
  await postPresence(request, ZULIP, person, 'active');
  await expect(row.locator('[data-presence]')).toHaveAttribute('data-presence', 'active', { timeout: 20_000 });
});

test('a stream refused (a proxy’s 502 while the one instance restarts) is asked for again later, and the page is live again', async ({ page }) => {
  await page.clock.install();
  let refuse = true;
  let asked = 0;
  await page.route('**/api/presence/stream**', (route) => {
    asked++;
    // The browser closes an EventSource for good on such an answer; only the page can ask again.
    return refuse ? route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' }) : route.continue();
  });
  await page.goto('/');
  await expect(page.getByText(/Live updates interrupted/)).toBeVisible();
  expect(asked).toBe(1);
  refuse = false;
  await page.clock.fastForward(31_000);
  await expect(page.locator('[data-live-state="live"]')).toBeVisible();
  expect(asked).toBe(2);
});

test('a stream open but silent past its heartbeats (a laptop woke behind a NAT that forgot it) is opened again, not trusted as live', async ({ page }) => {
  await page.clock.install();
  let asked = 0;
  await page.route('**/api/presence/stream**', (route) => {
    asked++;
    return route.continue();
  });
  await page.goto('/');
  await expect(page.locator('[data-live-state="live"]')).toBeVisible();
  expect(asked).toBe(1);
  // Two and a half minutes of the tab's time at once: no heartbeat can have come in it.
  await page.clock.runFor(160_000);
  await expect.poll(() => asked).toBe(2);
  await expect(page.locator('[data-live-state="live"]')).toBeVisible();
});

test('an instance stopping (each stream answered empty, "come back in 250 ms") is not asked four times a second by every tab, nor the people index at each try', async ({ page }) => {
  let streams = 0;
  let indexes = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/people/index') indexes++;
  });
  // Every EventSource the page makes, to read its state: a closed one is one the browser no longer reopens.
  await page.addInitScript(() => {
    const Original = window.EventSource;
    const made: EventSource[] = [];
    (window as unknown as { streamsMade: EventSource[] }).streamsMade = made;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        made.push(this);
      }
    };
  });
  await page.goto('/');
  await expect(page.locator('[data-live-state="live"]')).toBeVisible();
  const indexesBefore = indexes;
  // What a draining instance answers every stream (app/api/presence/stream/route.ts), then the same again and again.
  await page.route('**/api/presence/stream**', (route) => {
    streams++;
    return route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 250\n\n' });
  });
  await page.reload();
  await expect(page.getByText(/Live updates interrupted/)).toBeVisible();
  await expect.poll(() => streams).toBe(3);
  // No more tries until the refused stream's wait is over: the page closed its EventSource, so the
  // browser's own reopening (every 250 ms) has stopped.
  await expect.poll(() => page.evaluate(() => (window as unknown as { streamsMade: EventSource[] }).streamsMade.every((s) => s.readyState === EventSource.CLOSED))).toBe(true);
  expect(streams).toBe(3);
  expect(indexes - indexesBefore).toBeLessThanOrEqual(2);
});

test('a live stream that ends and is reopened by the browser (its 30-minute limit) is no interruption: no polling, nothing said', async ({ page }) => {
  let opened = 0;
  const polls: string[] = [];
  page.on('request', (request) => {
    // A poll asks for changes since the tab's version (the people index's one request for everyone's presence does not).
    const url = new URL(request.url());
    if (url.pathname === '/api/presence' && url.searchParams.has('since')) polls.push(request.url());
  });
  await page.route('**/api/presence/stream**', (route) => {
    opened++;
    // Open with its first event (a stream always begins with one), then over at once: the
    // browser reopens it after the delay the server sets.
    const freshness = JSON.stringify({ presenceUpdatedAt: Math.floor(Date.now() / 1000), stale: false, problem: null, presenceDisabled: false });
    return route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }, body: `retry: 300\nevent: freshness\ndata: ${freshness}\n\n` });
  });
  await page.goto('/');
  await expect.poll(() => opened, { timeout: 10_000 }).toBeGreaterThan(4);
  expect(polls).toEqual([]);
  await expect(page.getByText(/Live updates interrupted/)).toHaveCount(0);
});

test("\"Who's out\" takes the focus to the count that says what it opened, not to the page's start", async ({ page }) => {
  await openLive(page, '/');
  const link = page.getByRole('link', { name: "Who's out" });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/status=out/);
  await expect(page.locator('[data-count-line]')).toBeFocused();
});

test('a tab pasted into the search (from a spreadsheet) is a space: the search works and its link is one the server reads', async ({ page, request }) => {
  const someone = (await listedPeople(request, ZULIP)).find((p) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.full_name))!;
  await openLive(page, '/');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.fill(someone.full_name.replace(' ', '\t'));
  await expect(box).toHaveValue(someone.full_name);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(someone.full_name).replace(/%20/g, '(\\+|%20)')}`));
  await expect(page.getByRole('list', { name: 'People' }).getByRole('listitem').first()).toContainText(someone.full_name);
  expect((await request.get(page.url())).status()).toBe(200);
});

test('a link to a department no one is in now says so in its select, which can clear it', async ({ page }) => {
  await openLive(page, '/?department=Deep%20Sea%20Research');
  const select = page.getByLabel('Department', { exact: true });
  await expect(select).toHaveValue('Deep Sea Research');
  await expect(select.locator('option:checked')).toHaveText('Deep Sea Research (no one now)');
  await select.selectOption('');
  await expect(page).not.toHaveURL(/department=/);
});

test('a later page of a view that now matches no one shows the empty result, without a pager saying "0–0 of 0"', async ({ page }) => {
  await openLive(page, '/?q=zzqqxxnobody&offset=50');
  await expect(page.getByText('No one matches “zzqqxxnobody”.')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
});

test('an empty search says what to try', async ({ page }) => {
  await openLive(page, '/?q=zzqqxxnobody');
  await expect(page.getByText('No one matches “zzqqxxnobody”.')).toBeVisible();
  await page.getByRole('list', { name: 'Nearest views' }).getByRole('button', { name: /^Everyone \(\d+\)$/ }).click();
  await expect(page.getByRole('list', { name: 'People' }).getByRole('listitem').first()).toBeVisible();
});

test('reachable now: a person who just came online is listed, with the words and shape', async ({ page, request }) => {
  const person = await offlinePerson(request, ZULIP, 0, true);
  await postPresence(request, ZULIP, person, 'active');
  await waitForAppPresence(request, person.user_id, 'active');
  await page.goto(`/?status=reachable&q=${encodeURIComponent(person.full_name)}`);
  const row = page.locator('li[data-person-id]').filter({ has: page.getByRole('link', { name: person.full_name }) });
  await expect(row.locator('[data-presence="active"]')).toContainText('Active now');
  await expect(row.locator('svg[data-presence-shape="active"]').first()).toBeAttached();
  for (const state of await page.locator('li[data-person-id] [data-presence]').evaluateAll((els) => els.map((e) => e.getAttribute('data-presence')))) {
    expect(['active', 'idle']).toContain(state);
  }
});

test('while the focus is in the list, its order holds; it moves when the focus leaves', async ({ page, request }) => {
  // "Reachable first" is sorted again as the page's clock ticks (30 s) with live presence: a row
  // a keyboard user is on must not turn into someone else under them.
  // Who is on a first page depends on the hour (working hours decide who is reachable), so the
  // view is a department small enough to fit on one page, with someone in it who will move up.
  const { person, department } = await personWhoWillMoveUp(request);
  await openLiveWithIndex(page, `/?department=${encodeURIComponent(department)}`);
  const ids = () => page.getByRole('list', { name: 'People' }).locator('li[data-person-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-person-id'))));
  const before = await ids();
  expect(before).toContain(person.user_id);
  await page.keyboard.press('/');
  await page.keyboard.press('ArrowDown');
  const focused = page.locator('a[data-row-link]:focus');
  const name = await focused.textContent();

  await postPresence(request, ZULIP, person, 'active');
  // Their badge is live while the list holds (the stream's diff is in the tab).
  await expect(page.locator(`li[data-person-id="${person.user_id}"] [data-presence="active"]`)).toBeVisible({ timeout: 20_000 });
  await page.clock.runFor(31_000);
  await page.waitForTimeout(300);
  expect(await ids()).toEqual(before);
  await expect(focused).toHaveText(name!);

  // Back in the search box: the list takes the new order, the person who came online higher up.
  await page.keyboard.press('/');
  await expect.poll(async () => (await ids()).indexOf(person.user_id)).toBeLessThan(before.indexOf(person.user_id));
});

/**
 * An offline person who is reachable once online, on the first page of their department's view
 * below someone who is not reachable and active: coming online moves them up.
 */
async function personWhoWillMoveUp(request: APIRequestContext): Promise<{ person: DemoAccount; department: string }> {
  const accounts = new Map((await listedPeople(request, ZULIP)).map((a) => [a.user_id, a]));
  const { facets } = (await (await request.get('/api/people')).json()) as { facets: { departments: string[] } };
  for (const department of facets.departments) {
    const { items } = (await (await request.get(`/api/people?department=${encodeURIComponent(department)}`)).json()) as {
      items: Array<ListedRowFacts & { availability: { reachable: boolean } }>;
    };
    const index = items.findLastIndex((p) => isOffline(p) && reachableOnceOnline(p) && accounts.has(p.id));
    const passed = items.slice(0, index).some((p) => p.presence?.state !== 'active' || !p.availability.reachable);
    if (index > 0 && passed) return { person: accounts.get(items[index]!.id)!, department };
  }
  throw new Error('no department has an offline person who would move up');
}

test('a badge changes without reload when the person comes online', async ({ page, request }) => {
  const person = await offlinePerson(request, ZULIP, 1);
  await openLive(page, `/?q=${encodeURIComponent(person.full_name)}`);
  const row = page.locator('li[data-person-id]').filter({ has: page.getByRole('link', { name: person.full_name, exact: true }) });
  await expect(row).toBeVisible();
  await expect(row.locator('[data-presence]')).not.toHaveAttribute('data-presence', 'active');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await postPresence(request, ZULIP, person, 'active');
  await expect(row.locator('[data-presence]')).toHaveAttribute('data-presence', 'active', { timeout: 15_000 });
  await expect(row).toContainText('Active now');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
});

test('the breakdown follows the badge: asked again when the person comes online', async ({ page, request }) => {
  const person = await offlinePerson(request, ZULIP, 4);
  await openLive(page, `/people/${person.user_id}`);
  const breakdown = page.getByRole('region', { name: 'Presence by device' });
  await expect(breakdown).not.toContainText('Loading presence');
  await expect(breakdown.getByRole('cell', { name: 'Active', exact: true })).toHaveCount(0);
  // Within the server's cache of that answer (10 s): the snapshot has heard of newer activity, so Zulip is asked anew.
  await postPresence(request, ZULIP, person, 'active');
  // The badge goes live from the stream; the breakdown, one answer from Zulip, is asked again.
  await expect(page.locator('main [data-presence="active"]').first()).toBeVisible({ timeout: 15_000 });
  await expect(breakdown.getByRole('cell', { name: 'Active', exact: true })).toBeVisible({ timeout: 15_000 });
});

test('a breakdown opened again within its 10 s of freshness, after the badge changed: asked again, so the two agree', async ({ page, request }) => {
  const person = await offlinePerson(request, ZULIP, 2);
  await openLive(page, `/?q=${encodeURIComponent(person.full_name)}`);
  const row = page.locator(`li[data-person-id="${person.user_id}"]`);
  const devices = row.getByRole('button', { name: /^Devices/ });
  await devices.click();
  await expect(row.getByRole('table')).toBeVisible();
  await devices.click();
  await postPresence(request, ZULIP, person, 'active');
  await expect(row.locator('[data-presence="active"]').first()).toBeVisible({ timeout: 15_000 });
  // The kept answer (offline) is still fresh for TanStack: shown at once, it must be asked again.
  await devices.click();
  await expect(row.getByRole('cell', { name: 'Active', exact: true })).toBeVisible({ timeout: 15_000 });
});

test('breakdown on a pre-7.0 server: one row per client, most recent marked', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const person = people[3]!;
  await postPresence(request, ZULIP, person, 'idle', 'ZulipTerminal');
  await postPresence(request, ZULIP, person, 'active', 'ZulipMobile');
  await openLive(page, `/?q=${encodeURIComponent(person.full_name)}`);
  const row = page.locator('li[data-person-id]').filter({ has: page.getByRole('link', { name: person.full_name, exact: true }) });
  const toggle = row.getByRole('button', { name: `Devices of ${person.full_name}` });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const table = row.getByRole('table');
  await expect(table.getByRole('rowheader', { name: /Mobile app/ })).toBeVisible();
  await expect(table.getByRole('rowheader', { name: /Terminal/ })).toBeVisible();
  await expect(table).toContainText('most recent');
  await expect(row).not.toContainText('reports presence for all devices together');

  // Rows are reused for new results: an open breakdown does not pass to whoever takes the row.
  const other = people.find((p) => p.full_name.split(' ')[0] !== person.full_name.split(' ')[0])!;
  const search = page.getByRole('searchbox', { name: 'Search people' });
  await search.fill(other.full_name);
  const otherToggle = page.getByRole('button', { name: `Devices of ${other.full_name}` });
  await expect(otherToggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('list', { name: 'People' }).getByRole('table')).toHaveCount(0);
  await search.fill(person.full_name);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
});

test('profile by id and by email resolve to the same person; unknown is a 404', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const person = people.find((p) => p.delivery_email && p.delivery_email === p.email) ?? people[0]!;
  await page.goto(`/people/${person.user_id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(person.full_name);
  await expect(page).toHaveTitle(new RegExp(person.full_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // This demo is Zulip 6.x (FL 150): its web app narrows to `pm-with` and opens a profile from no
  // link (docs/zulip.md §i; later generations in e2e/generations.spec.ts).
  await expect(page.getByRole('link', { name: 'Message in Zulip' })).toHaveAttribute('href', new RegExp(`#narrow/pm-with/${person.user_id}-`));
  await expect(page.getByRole('link', { name: 'Open in Zulip', includeHidden: true })).toHaveCount(0);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', person.full_name);

  await page.goto(`/people/${encodeURIComponent(person.email)}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(person.full_name);

  const response = await page.goto('/people/999999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No one here by that name' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toBeVisible();
});

test('keyboard: ↑ from the first result returns to the search; Escape in an empty box changes nothing', async ({ page }) => {
  await openLive(page, '/?offset=50');
  const search = page.getByRole('searchbox', { name: 'Search people' });
  const first = page.getByRole('list', { name: 'People' }).locator('a[data-row-link]').first();
  const firstName = await first.textContent();
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.press('Escape');
  // Past the moment the address follows the search box (400 ms): still the second page.
  await page.waitForTimeout(800);
  await expect(page).toHaveURL(/\?offset=50$/);
  await expect(first).toHaveText(firstName!);
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(search).toBeFocused();
});

test('keys that compose text in an input method are its own: Escape and Enter do nothing then', async ({ page }) => {
  await openLive(page, '/');
  const search = page.getByRole('searchbox', { name: 'Search people' });
  await search.fill('an');
  // Whether the page took the key (a key it leaves alone is not prevented).
  const taken = (init: { key: string; isComposing?: boolean; keyCode?: number }) =>
    search.evaluate((box, init) => {
      const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
      box.dispatchEvent(event);
      return event.defaultPrevented;
    }, init);
  // Escape cancelling a composition (Chromium, Firefox), Enter confirming one (Safari: keyCode 229).
  expect(await taken({ key: 'Escape', isComposing: true })).toBe(false);
  expect(await taken({ key: 'Enter', keyCode: 229 })).toBe(false);
  await expect(search).toHaveValue('an');
  // The same key outside a composition does its work.
  expect(await taken({ key: 'Escape' })).toBe(true);
  await expect(search).toHaveValue('');
});

test('keyboard: arrow keys move through results and Enter opens a profile', async ({ page }) => {
  await openLive(page, '/');
  await page.keyboard.press('/');
  await page.keyboard.press('ArrowDown');
  const firstName = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press('ArrowDown');
  const secondName = await page.evaluate(() => document.activeElement?.textContent);
  expect(secondName).not.toBe(firstName);
  // Row links move within the app: the page is not reloaded (the marker survives).
  await page.evaluate(() => ((window as unknown as { marker?: number }).marker = 1));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(secondName!);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  // The header link back to the directory, likewise.
  await page.getByRole('banner').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('searchbox', { name: 'Search people' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
});
