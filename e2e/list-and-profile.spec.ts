import { expect, test, type Page } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { listedPeople, offlinePerson, openLive, openLiveWithIndex, postPresence, waitForAppPresence } from './demo-zulip';

// The list and the profile as people use them (demo app): whole rows as links, live regions
// that speak only of changes, paging, a phone's first screen, a forgiving search, filters that
// say what they are, and the small things (canonical links, the org chart's counts, the live
// dot, the profile's actions on a phone, local time from the viewer).

const ZULIP = DEMO_APP.zulip;
const rows = (page: Page) => page.getByRole('list', { name: 'People' }).getByRole('listitem');

/** Sums the page's layout shifts not caused by input (CLS's raw total), from before its first paint. */
const watchLayoutShift = (page: Page) =>
  page.addInitScript(() => {
    const w = window as unknown as { shift: number };
    w.shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) if (!e.hadRecentInput) w.shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
const layoutShift = (page: Page) => page.evaluate(() => (window as unknown as { shift: number }).shift);

/** Records every change of text inside a live region (polite, assertive, status or alert), from the page's start. */
const recordAnnouncements = (page: Page) =>
  page.addInitScript(() => {
    const w = window as unknown as { announced: string[] };
    w.announced = [];
    const live = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target instanceof Element ? r.target : r.target.parentElement;
        const region = node?.closest(live);
        if (region && region.textContent?.trim()) w.announced.push(region.textContent.trim());
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
const announcements = (page: Page) => page.evaluate(() => (window as unknown as { announced: string[] }).announced);

test.use({ locale: 'en-US', timezoneId: 'Europe/Paris' });

test('a whole row opens the profile; the breakdown has its own labelled Devices button', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const row = rows(page).first();
  const name = (await row.locator('a[data-row-link]').textContent())!;
  // The keyboard meets the name's link, then the row's Devices button: one stop per person.
  await row.locator('a[data-row-link]').focus();
  await page.keyboard.press('Tab');
  const devices = row.getByRole('button', { name: `Devices of ${name}` });
  await expect(devices).toBeFocused();
  await expect(devices).toHaveAttribute('aria-expanded', 'false');
  await devices.click();
  await expect(devices).toHaveAttribute('aria-expanded', 'true');
  await expect(row.getByRole('table')).toBeVisible();
  await expect(page).toHaveURL(/\/\?sort=name$/);
  // A tap on the avatar or far from the name, not on the link's text, opens the profile.
  const box = (await row.locator('div').first().boundingBox())!;
  await page.mouse.click(box.x + 20, box.y + box.height / 2);
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
});

test('live regions speak of changes of state, never of a ticking time', async ({ page }) => {
  await page.clock.install();
  await recordAnnouncements(page);
  const people = await listedPeople(page.request, ZULIP);
  await openLive(page, `/people/${people[2]!.user_id}`);
  const breakdown = page.getByRole('region', { name: 'Presence by device' });
  await expect(breakdown.getByRole('table')).toBeVisible();
  const freshness = page.locator('[data-live-state]');
  const before = await freshness.textContent();
  const announcedBefore = (await announcements(page)).length;
  await page.clock.runFor(65_000);
  // The line's age has moved on (so time did pass on the page), and no one was told.
  await expect(freshness).not.toHaveText(before!);
  expect((await announcements(page)).length).toBe(announcedBefore);
  // The device table is not itself in a live region.
  expect(await breakdown.getByRole('table').evaluate((t) => t.closest('[aria-live], [role="status"]') === null)).toBe(true);

  // A change of state is told, once, however long it lasts.
  await page.route('**/api/presence/stream**', (route) => route.abort());
  await page.goto(page.url());
  await expect(page.getByText(/Live updates interrupted/)).toBeVisible();
  await page.clock.runFor(65_000);
  // The reloaded profile's panel said it was loading (a state too), and the line said once that it is interrupted.
  expect((await announcements(page)).sort()).toEqual(['Loading presence from Zulip…', 'Presence updates interrupted: refreshing every few seconds.']);
});

test('the result count is read out when the view changes, not when the clock counts who is reachable again', async ({ page, request }) => {
  const person = await offlinePerson(request, ZULIP, 5, true);
  await recordAnnouncements(page);
  await openLiveWithIndex(page, '/');
  const shown = page.locator('[data-count-line] > span[aria-hidden="true"]');
  const before = await shown.textContent();
  const announcedBefore = (await announcements(page)).length;

  // Someone comes online: at the clock's next tick the line on screen counts them...
  await postPresence(request, ZULIP, person, 'active');
  await waitForAppPresence(request, person.user_id, 'active');
  await expect
    .poll(async () => {
      await page.clock.runFor(31_000);
      return shown.textContent();
    }, { timeout: 20_000 })
    .not.toBe(before);
  // ...and no one who did nothing is told.
  expect((await announcements(page)).length).toBe(announcedBefore);

  // A search is told, once, with its count.
  await page.getByRole('searchbox', { name: 'Search people' }).fill('zzqq');
  await expect.poll(async () => (await announcements(page)).slice(announcedBefore).filter((text) => /people/.test(text))).toEqual(['0 people · 0 reachable now · 0 out']);
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toHaveText('0 people · 0 reachable now · 0 out');

  // Another order of the same people is told too, though its counts are the same.
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('name');
  await expect
    .poll(async () => (await announcements(page)).slice(announcedBefore).filter((text) => /people/.test(text)))
    .toEqual(['0 people · 0 reachable now · 0 out', '0 people · 0 reachable now · 0 out, by name']);
});

test('with the server answering searches (no people index), a search is told once, with its own count', async ({ page }) => {
  await page.route('**/api/people/index**', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"x","message":"down"}}' }));
  await recordAnnouncements(page);
  await openLive(page, '/');
  const announcedBefore = (await announcements(page)).length;
  await page.getByRole('searchbox', { name: 'Search people' }).fill('zzqq');
  await expect(page).toHaveURL(/q=zzqq/);
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toHaveText('0 people · 0 reachable now · 0 out');
  // Not the last view's count while the answer was on its way ("(updating)"), then this one's.
  expect((await announcements(page)).slice(announcedBefore).filter((text) => /people/.test(text))).toEqual(['0 people · 0 reachable now · 0 out']);
});

test('paging keeps your place: the list top in view, focus on the result count', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const firstBefore = await rows(page).first().locator('a[data-row-link]').textContent();
  const next = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Next' });
  await next.scrollIntoViewIfNeeded();
  await next.click();
  await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(/51–100 of/);
  await expect(rows(page).first().locator('a[data-row-link]')).not.toHaveText(firstBefore!);
  await expect(page.locator('[data-count-line]')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: /people/ })).toContainText('showing 51 to 100');
  const listTop = (await page.getByRole('list', { name: 'People' }).boundingBox())!.y;
  expect(listTop).toBeGreaterThanOrEqual(0);
  expect(listTop).toBeLessThan(page.viewportSize()!.height / 2);
});

test.describe('a viewer in Honolulu', () => {
  test.use({ timezoneId: 'Pacific/Honolulu' });

  test('the profile says the day someone joined in the viewer\'s zone, as Zulip\'s does', async ({ page, request }) => {
    // Someone who joined in the UTC morning: still the day before in Honolulu (UTC−10).
    const { items } = (await (await request.get('/api/people?sort=joined&limit=200')).json()) as { items: Array<{ id: number; dateJoined: string }> };
    const morning = items.find((p) => new Date(p.dateJoined).getUTCHours() < 10)!;
    await openLive(page, `/people/${morning.id}`);
    const theirDay = new Date(morning.dateJoined).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Pacific/Honolulu' });
    await expect(page.locator(`time[datetime="${morning.dateJoined}"]`)).toHaveText(theirDay);
  });
});

test.describe('on a phone (390×844)', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('the first person is near the top; filters fold into "Filters (n)" with removable chips; 44 px targets; the placeholder fits', async ({ page }) => {
    await openLive(page, '/');
    const firstTop = (await rows(page).first().boundingBox())!.y;
    expect(firstTop).toBeLessThanOrEqual(250);

    const toggle = page.getByRole('button', { name: 'Filters (0)' });
    await expect(page.getByRole('combobox', { name: 'Department' })).toBeHidden();
    await toggle.click();
    const department = page.getByRole('combobox', { name: 'Department' });
    await expect(department).toBeVisible();
    const chosen = (await department.locator('option').nth(1).textContent())!;
    await department.selectOption(chosen);
    await expect(page.getByRole('button', { name: 'Filters (1)' })).toBeVisible();
    const chip = page.getByRole('list', { name: 'Filters on' }).getByRole('button', { name: `Remove filter Department: ${chosen}` });
    await expect(chip).toBeVisible();

    // Every control in the page's main part is at least 44 px on each side, once the filtered list
    // has been laid out (a row whose new content is not laid out yet may briefly measure less).
    // Rows far below the fold are not rendered (content-visibility: auto): their size is a
    // placeholder, not a target's, until they are scrolled to.
    const small = () =>
      page.locator('main').evaluate((main) =>
        [...main.querySelectorAll<HTMLElement>('button, select, input, a[data-row-link]')]
          .filter((el) => el.offsetParent !== null && el.checkVisibility({ contentVisibilityAuto: true }))
          .map((el) => ({ el, box: el.matches('a[data-row-link]') ? el.closest('li')!.getBoundingClientRect() : el.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 44 || box.height < 44)
          .map(({ el, box }) => `${el.tagName} "${el.textContent?.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`),
      );
    await expect.poll(small).toEqual([]);

    await chip.click();
    await expect(page.getByRole('button', { name: 'Filters (0)' })).toBeVisible();
    await expect(page).not.toHaveURL(/department=/);

    const search = page.getByRole('searchbox', { name: 'Search people' });
    const fits = await search.evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(input.placeholder).width <= room;
    });
    expect(fits).toBe(true);
  });

  test('the directory does not shift once live: the local time the browser fills in has its line already', async ({ page }) => {
    // The server cannot know the viewer's time zone, so it renders each row's local time empty;
    // beside the badge, filling it in pushed most rows a line taller (CLS 0.06–0.09 on `/`).
    await watchLayoutShift(page);
    // By name: "reachable first" would also move rows when someone earlier tests set active turns
    // idle between the server's render and the people index (a reorder, not what this measures).
    await openLive(page, '/?sort=name');
    await expect(rows(page).first().locator('[data-local-time]')).toHaveText(/ local/);
    await expect(page.locator('[data-answered-by]')).toHaveAttribute('data-answered-by', 'browser');
    await page.waitForTimeout(300);
    expect(await layoutShift(page)).toBeLessThan(0.01);
  });

  test('the profile: one primary action and the rest behind "More"', async ({ page }) => {
    const people = await listedPeople(page.request, ZULIP);
    await openLive(page, `/people/${people[0]!.user_id}`);
    const actions = page.getByRole('navigation', { name: 'Actions' });
    await expect(actions.getByRole('link', { name: 'Message in Zulip' })).toBeVisible();
    await expect(actions.getByRole('link', { name: 'View in org chart' })).toBeHidden();
    expect((await actions.boundingBox())!.height).toBeLessThan(50);
    const more = actions.getByRole('button', { name: 'More' });
    await more.click();
    await expect(actions.getByRole('link', { name: 'View in org chart' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(actions.getByRole('link', { name: 'View in org chart' })).toBeHidden();
    await expect(more).toBeFocused();
  });
});

test('search forgives: Enter opens the top result, one typo still finds the person, "Did you mean"', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const person = people.find((p) => /^[A-Za-z]{6,}$/.test(p.full_name.split(' ')[0] ?? ''))!;
  const first = person.full_name.split(' ')[0]!;
  const last = person.full_name.split(' ').slice(1).join(' ');
  await openLive(page, '/');
  const search = page.getByRole('searchbox', { name: 'Search people' });

  // A letter missing from the first name: the person is found, and named as the likely meaning.
  const typo = `${first.slice(0, 2)}${first.slice(3)} ${last}`;
  await search.fill(typo);
  await expect(rows(page).first().locator('a[data-row-link]')).toHaveText(person.full_name);
  const didYouMean = page.getByText('Did you mean');
  await expect(didYouMean).toBeVisible();
  await didYouMean.getByRole('link', { name: person.full_name }).click();
  await expect(search).toHaveValue(person.full_name);
  await expect(page.getByText('Did you mean')).toHaveCount(0);
  // The link went with the view it changed: the focus is on the count line, which says what is shown, not lost to the page.
  await expect(page.locator('[data-count-line]')).toBeFocused();

  // Enter, straight after typing (before the results), opens the first result.
  await search.fill('');
  await search.pressSequentially(person.full_name.toLowerCase());
  await search.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/people/${person.user_id}$`));
});

test('Escape clears the search as fast as a keystroke paints, whatever the rows', async ({ page }) => {
  await openLive(page, '/');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  // From each key going down to the frame after it: what the viewer waits to see the box change.
  await page.evaluate(() => {
    const w = window as unknown as { keys: Array<{ key: string; ms: number }> };
    w.keys = [];
    window.addEventListener(
      'keydown',
      (event) => {
        const start = performance.now();
        requestAnimationFrame(() => setTimeout(() => w.keys.push({ key: event.key, ms: performance.now() - start })));
      },
      { capture: true },
    );
  });
  const search = page.getByRole('searchbox', { name: 'Search people' });
  await search.focus();
  await search.pressSequentially('an', { delay: 300 });
  await expect(rows(page).first().locator('mark').first()).toBeVisible();
  await page.waitForTimeout(500);
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(rows(page).first().locator('mark')).toHaveCount(0);
  await page.waitForTimeout(300);
  const keys = await page.evaluate(() => (window as unknown as { keys: Array<{ key: string; ms: number }> }).keys);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const typing = Math.max(...keys.filter((k) => k.key !== 'Escape').map((k) => k.ms));
  const escape = keys.find((k) => k.key === 'Escape')!.ms;
  // The 50 rows render after the box has painted, not before it.
  expect(escape).toBeLessThan(Math.max(typing * 2, 100));
});

test('filters say what they are; an empty result offers the nearest views that have people', async ({ page, request }) => {
  await openLive(page, '/');
  for (const label of ['Department', 'Office', 'Presence', 'Sort']) await expect(page.locator('label', { hasText: new RegExp(`^${label}$`) })).toBeVisible();
  const offices = (await page.getByRole('combobox', { name: 'Office' }).locator('option').allTextContents()).slice(1);
  const people = await listedPeople(request, ZULIP);
  // Someone, searched for in an office they are not in.
  const response = await request.get(`/api/people?q=${encodeURIComponent(people[5]!.full_name)}&limit=1`);
  const found = ((await response.json()) as { items: Array<{ office: string | null }> }).items[0]!;
  const elsewhere = offices.find((o) => o !== found.office)!;
  await openLive(page, `/?q=${encodeURIComponent(people[5]!.full_name)}&office=${encodeURIComponent(elsewhere)}`);
  const offers = page.getByRole('list', { name: 'Nearest views' });
  await expect(offers.getByRole('button', { name: new RegExp(`^Everyone in ${elsewhere} \\(\\d+\\)$`) })).toBeVisible();
  const anywhere = offers.getByRole('button', { name: /anywhere \(\d+\)$/ });
  await expect(anywhere).toBeVisible();
  await anywhere.click();
  await expect(rows(page).first().locator('a[data-row-link]')).toHaveText(people[5]!.full_name);
  await expect(page).not.toHaveURL(/office=/);
});

test('small things: absolute canonical links, "N reports", a green live dot, local time from the viewer, no layout shift', async ({ page }) => {
  await watchLayoutShift(page);
  const people = await listedPeople(page.request, ZULIP);
  await openLive(page, `/people/${people[1]!.user_id}`);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${DEMO_APP.url}/people/${people[1]!.user_id}`);
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', `${DEMO_APP.url}/people/${people[1]!.user_id}`);

  const dot = page.locator('[data-live-state="live"] svg[data-presence-shape="active"]');
  await expect(dot).toBeVisible();
  expect(await dot.evaluate((svg) => getComputedStyle(svg).color)).toBe('rgb(67, 163, 94)');

  const localTime = page.locator('main [data-local-time]').first();
  await expect(localTime).toHaveText(/^(\w{3} )?\d{1,2}:\d{2} [AP]M local · (\d+ h( \d+ min)? (behind|ahead of) you|same time as you)$/);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBeLessThan(0.01);

  await openLive(page, '/org');
  const counts = page.getByRole('treeitem').filter({ has: page.locator('[data-toggle]') }).first();
  // "N reports", then everyone below them (docs/architecture.md §18), describing the row its name names.
  await expect(counts).toHaveAccessibleDescription(/\d reports? · [\d,]+ in total$/);
  expect(await layoutShift(page)).toBeLessThan(0.01);
});

test('"Copy link" copies the profile\'s address and says so to a screen reader, each time, and says so when it cannot', async ({ page, context, request }) => {
  const person = (await listedPeople(request, ZULIP))[2]!;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLive(page, `/people/${person.user_id}`);
  // Found by what it says first; its name then changes to say what happened.
  await expect(page.getByRole('button', { name: /^Copy link/ })).toHaveCount(1);
  const button = page.locator('button:has([aria-live="polite"])', { hasText: /^(Copy link|Copied|Copy failed)/ });
  const spoken = button.locator('[aria-live="polite"]');
  // Every text the live region is given, in order.
  await spoken.evaluate((region) => {
    const seen: string[] = [];
    (window as unknown as { spoken: string[] }).spoken = seen;
    new MutationObserver(() => seen.push(region.textContent ?? '')).observe(region, { subtree: true, childList: true, characterData: true });
  });
  const said = () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken.filter((t) => t !== ''));
  await button.click();
  await expect(button).toContainText('Copied');
  await expect.poll(said).toEqual(['Link copied to the clipboard']);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(new URL(`/people/${person.user_id}`, page.url()).toString());
  // Again at once: said again (the region is emptied first, or it would say nothing new).
  await button.click();
  await expect.poll(said).toEqual(['Link copied to the clipboard', 'Link copied to the clipboard']);
  // A browser that refuses the clipboard: the failure is said too, not only shown.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));
  });
  await button.click();
  await expect(button).toContainText('Copy failed');
  await expect.poll(async () => (await said()).at(-1)).toBe('The link could not be copied: copy it from the address bar');
});
