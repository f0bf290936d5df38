import { expect, test, type APIRequestContext, type Locator, type Page, type Route } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { listedPeople, offlinePerson, openLive, postPresence, setStatus, waitForAppPresence, type DemoAccount } from './demo-zulip';

// Search from the people index in the tab (docs/architecture.md §17): answered before any
// request could be, kept current by the stream, and the server's answers when it cannot be had.

const ZULIP = DEMO_APP.zulip;
/** The app answering as it does when it is down: a 503 in the API's error shape. */
const refuse = (route: Route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"x","message":"down"}}' });
/** Someone whose name is two plain Latin words: typed as it is, found first. */
const plainName = (p: { full_name: string }) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.full_name);
const answeredBy = (page: Page) => page.locator('[data-answered-by]');
const peopleList = (page: Page) => page.getByRole('list', { name: 'People' });
const shownIds = (page: Page) => peopleList(page).getByRole('listitem').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-person-id'))));

/** Every request for a page of people (`/api/people?…`, not the index or a profile). */
function peopleRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/people') seen.push(url.search);
  });
  return seen;
}

test('with the index in, typing shows the right people with the API blocked', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const someone = people.find(plainName)!;
  const asked = peopleRequests(page);
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  // No answer from the server could arrive now.
  await page.route('**/api/people?**', (route) => route.abort());
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.focus();
  await page.keyboard.type(someone.full_name.toLowerCase());
  const list = page.getByRole('list', { name: 'People' });
  await expect(list.getByRole('link', { name: someone.full_name, exact: true }).first()).toBeVisible();
  await expect(list.getByRole('listitem').first()).toContainText(someone.full_name);
  // The address follows once typing pauses, without asking the server.
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(someone.full_name.toLowerCase()).replace(/%20/g, '(\\+|%20)')}`));
  expect(asked).toEqual([]);
});

test('a search opened with Enter before typing paused: Back returns to that search', async ({ page, request }) => {
  const someone = (await listedPeople(request, ZULIP)).find(plainName)!;
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.focus();
  // Typed and opened in one go, well inside the pause after which the address follows the search.
  await page.keyboard.type(someone.full_name);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(someone.full_name).replace(/%20/g, '(\\+|%20)')}`));
  await expect(box).toHaveValue(someone.full_name);
  await expect(peopleList(page).getByRole('listitem').first()).toContainText(someone.full_name);
});

test('a search that matches no one, with the index in: its suggestions are counted in the tab, with no request per keystroke', async ({ page }) => {
  const asked = peopleRequests(page);
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  await page.getByRole('searchbox', { name: 'Search people' }).focus();
  await page.keyboard.type('zzqqxx');
  await expect(page.getByRole('list', { name: 'Nearest views' }).getByRole('button', { name: /^Everyone \(\d+\)$/ })).toBeVisible();
  await page.keyboard.type('w');
  await expect(page.getByText('No one matches “zzqqxxw”.')).toBeVisible();
  expect(asked).toEqual([]);
});

test('typing from the index, a screen reader hears the count once typing pauses, not at every keystroke', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const someone = people.find((p) => /^[A-Za-z]{4,} [A-Za-z]+$/.test(p.full_name))!;
  const typed = someone.full_name.toLowerCase();
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  // Every text the count line shows, and every text it gives its status (what is read out).
  await page.evaluate(() => {
    const line = document.querySelector('[data-count-line]')!;
    const now = () => ({ shown: line.querySelector('[aria-hidden="true"]')!.textContent!, spoken: line.querySelector('[role="status"]')!.textContent! });
    const seen = { shown: [] as string[], spoken: [] as string[] };
    (window as unknown as { countLine: typeof seen }).countLine = seen;
    const before = now();
    new MutationObserver(() => {
      const { shown, spoken } = now();
      if ((seen.shown.at(-1) ?? before.shown) !== shown) seen.shown.push(shown);
      if ((seen.spoken.at(-1) ?? before.spoken) !== spoken) seen.spoken.push(spoken);
    }).observe(line, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('searchbox', { name: 'Search people' }).pressSequentially(typed, { delay: 40 });
  await expect(page).toHaveURL(/q=/);
  const countLine = () => page.evaluate(() => (window as unknown as { countLine: { shown: string[]; spoken: string[] } }).countLine);
  await expect.poll(async () => (await countLine()).spoken.length).toBe(1);
  await page.waitForTimeout(500);
  const { shown, spoken } = await countLine();
  // The count on screen followed the keystrokes; what was read out is the last of it, once.
  expect(shown.length).toBeGreaterThan(1);
  expect(spoken).toEqual([shown.at(-1)]);
});

/** What the tab asks the app about pictures: the lists of ids it asks addresses for, and each picture redirect it follows. */
function pictureRequests(page: Page): { lists: number[][]; redirects: number[] } {
  const seen = { lists: [] as number[][], redirects: [] as number[] };
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/people/avatars') seen.lists.push(url.searchParams.get('ids')!.split(',').map(Number));
    const redirect = /^\/api\/people\/(\d+)\/avatar$/.exec(url.pathname);
    if (redirect) seen.redirects.push(Number(redirect[1]));
  });
  return seen;
}

/** The directory's first page of people by name, as far as the picture tests read it. */
async function peopleByName(request: APIRequestContext, limit = 50): Promise<Array<{ id: number; name: string; avatarUrl: string | null }>> {
  return ((await (await request.get(`/api/people?sort=name&limit=${limit}`)).json()) as { items: Array<{ id: number; name: string; avatarUrl: string | null }> }).items;
}

/** Someone whose picture is an upload the demo Zulip serves (a Gravatar fails offline and shows initials). */
async function someoneWithUpload(request: APIRequestContext): Promise<{ id: number; name: string; avatarUrl: string | null }> {
  return (await peopleByName(request, 200)).find((p) => p.avatarUrl?.startsWith(`${ZULIP}/user_avatars/`))!;
}

/** Opens a first page that shows no one, answering from the index: every row after it is the index's. */
async function openEmptyFromIndex(page: Page): Promise<void> {
  await openLive(page, '/?q=qqqqzzzzqqqq');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
}

/** The image has loaded: not the initials a failed picture gives way to. */
const pictureLoaded = (picture: Locator) => expect.poll(() => picture.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).toBe(true);

test('a person found in the index shows their picture, its address asked for with the rest of the list', async ({ page, request }) => {
  const someone = await someoneWithUpload(request);
  await openEmptyFromIndex(page);
  const asked = pictureRequests(page);
  await page.getByRole('searchbox', { name: 'Search people' }).fill(someone.name);
  const row = page.locator(`li[data-person-id="${someone.id}"]`);
  const picture = row.locator('img');
  // The picture Zulip serves, loaded (not the initials it falls back to), with no redirect on the way.
  await expect(picture).toHaveAttribute('src', someone.avatarUrl!);
  await pictureLoaded(picture);
  // One request for the list's pictures, of people in the list.
  expect(asked.lists).toHaveLength(1);
  expect(asked.lists[0]).toContain(someone.id);
  const shown = await shownIds(page);
  expect(asked.lists[0]!.filter((id) => !shown.includes(id))).toEqual([]);
  expect(asked.redirects).toEqual([]);
});

test('pictures whose addresses cannot be had load by their own redirects', async ({ page, request }) => {
  const someone = await someoneWithUpload(request);
  await openEmptyFromIndex(page);
  await page.route('**/api/people/avatars?**', refuse);
  await page.getByRole('searchbox', { name: 'Search people' }).fill(someone.name);
  const picture = page.locator(`li[data-person-id="${someone.id}"] img`);
  await expect(picture).toHaveAttribute('src', new RegExp(`^/api/people/${someone.id}/avatar\\?v=\\d+$`));
  await pictureLoaded(picture);
});

test('an answer naming another version of a picture than the index (an instance a moment behind) is not kept: the picture loads by its redirect', async ({ page, request }) => {
  const someone = await someoneWithUpload(request);
  await openEmptyFromIndex(page);
  await page.route('**/api/people/avatars?**', (route) => route.fulfill({ json: { avatars: { [someone.id]: `${ZULIP}/user_avatars/2/old.png?version=999999` } } }));
  await page.getByRole('searchbox', { name: 'Search people' }).fill(someone.name);
  const picture = page.locator(`li[data-person-id="${someone.id}"] img`);
  await expect(picture).toHaveAttribute('src', new RegExp(`^/api/people/${someone.id}/avatar\\?v=\\d+$`));
  await pictureLoaded(picture);
});

test('a picture changed in Zulip since the page was rendered shows the new one, not the page\'s', async ({ page, request }) => {
  // On the page's first view, with a Gravatar (no network here: it shows initials); an upload next.
  const someone = (await peopleByName(request)).find((p) => p.avatarUrl?.includes('gravatar.com'))!;
  await openLive(page, '/?sort=name');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  try {
    expect((await request.patch(`${ZULIP}/demo/users/${someone.id}`, { data: { avatar_source: 'U' } })).ok()).toBe(true);
    await page.getByRole('searchbox', { name: 'Search people' }).fill(someone.name);
    // The stream says people changed; the index's new version of the picture wins over the address the page had.
    const picture = page.locator(`li[data-person-id="${someone.id}"] img`);
    await expect(picture).toHaveAttribute('src', new RegExp(`^${ZULIP}/user_avatars/`), { timeout: 15_000 });
    await pictureLoaded(picture);
  } finally {
    await request.patch(`${ZULIP}/demo/users/${someone.id}`, { data: { avatar_source: 'G' } });
    // As the next tests find it: the app has the Gravatar again.
    await expect
      .poll(async () => ((await (await request.get(`/api/people/${someone.id}`)).json()) as { person: { avatarUrl: string | null } }).person.avatarUrl)
      .toContain('gravatar.com');
  }
});

test('the pictures on screen do not load again when the index takes over', async ({ page }) => {
  await openLive(page, '/?sort=name');
  const pictures = page.getByRole('list', { name: 'People' }).locator('img');
  const sources = () => pictures.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
  // Uploaded ones (Gravatar's fail offline and give way to initials, whoever answers).
  const uploaded = page.getByRole('list', { name: 'People' }).locator(`img[src^="${ZULIP}/user_avatars/"]`);
  await expect(uploaded.first()).toBeVisible();
  const before = await uploaded.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')!));
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const after = await sources();
  expect(after.filter((src) => src.startsWith('/api/'))).toEqual([]);
  expect(before.filter((src) => !after.includes(src))).toEqual([]);
});

/** The ids of a full first page the server answers for `search`, by name. */
async function serverIds(request: APIRequestContext, search: string): Promise<number[]> {
  const { items } = (await (await request.get(`/api/people?${search}&sort=name`)).json()) as { items: Array<{ id: number }> };
  expect(items.length).toBe(50);
  return items.map((p) => p.id);
}

/** The directory by name, answering from the index, with the focus in its search box. */
async function typingFromIndex(page: Page): Promise<Locator> {
  await openLive(page, '/?sort=name');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.focus();
  return box;
}

test('after a keystroke the whole list is the new results, below the first screen too', async ({ page, request }) => {
  // The first screen of rows renders with the keystroke and the rest once it is painted
  // (components/directory/use-screen-first.ts): the rest must not stay the last search's.
  const expected = await serverIds(request, 'q=an');
  await typingFromIndex(page);
  await page.keyboard.type('an');
  await expect.poll(() => shownIds(page)).toEqual(expected);
});

test('back from a search that matched no one, the keystroke renders the first screen of rows, then the rest', async ({ page, request }) => {
  // A typo that matches no one replaces the list; the keystroke that brings results back must
  // not mount all 50 rows in its frame (components/directory/use-screen-first.ts).
  const expected = await serverIds(request, 'q=a');
  const box = await typingFromIndex(page);
  await page.keyboard.type('an');
  const list = peopleList(page);
  await expect(list.getByRole('listitem')).toHaveCount(50);
  await page.keyboard.type('zzzzzzzz');
  await expect(list).toHaveCount(0);
  // The rows in the list at every DOM change from here: the first is the keystroke's own commit.
  await page.evaluate(() => {
    const counts: number[] = [];
    (window as unknown as { rowCounts: number[] }).rowCounts = counts;
    new MutationObserver(() => {
      const shown = document.querySelectorAll('ul[aria-label="People"] > li').length;
      if (shown > 0 && counts.at(-1) !== shown) counts.push(shown);
    }).observe(document.body, { subtree: true, childList: true });
  });
  await box.selectText();
  await page.keyboard.type('a');
  await expect.poll(() => shownIds(page)).toEqual(expected);
  const counts = await page.evaluate(() => (window as unknown as { rowCounts: number[] }).rowCounts);
  // The window is 720 px high: a dozen rows at most can be on it.
  expect(counts[0]).toBeLessThanOrEqual(12);
  expect(counts.at(-1)).toBe(50);
});

test('a window made taller: the keystroke\'s frame shows new results on all of it', async ({ page, request }) => {
  // The first screen is measured in rows (components/directory/use-screen-first.ts); a window
  // resized since must not show the last search's rows at its bottom in the keystroke's frame.
  await page.setViewportSize({ width: 1280, height: 400 });
  const expected = await serverIds(request, 'q=an');
  await typingFromIndex(page);
  await page.keyboard.type('a');
  await expect.poll(async () => shownIds(page)).toEqual(await serverIds(request, 'q=a'));
  await page.setViewportSize({ width: 1280, height: 1000 });
  // The rows on the window in the first frame painted after the keystroke changes the list (not
  // a picture arriving for the last search's rows before it).
  await page.evaluate(() => {
    let typed = false;
    addEventListener('keydown', () => (typed = true), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!typed) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        (window as unknown as { onScreen: number[] }).onScreen = [...document.querySelectorAll('ul[aria-label="People"] > li')]
          .filter((row) => row.getBoundingClientRect().top < innerHeight)
          .map((row) => Number(row.getAttribute('data-person-id')));
      });
    });
    observer.observe(document.querySelector('ul[aria-label="People"]')!, { subtree: true, childList: true, characterData: true });
  });
  await page.keyboard.type('n');
  await expect.poll(() => shownIds(page)).toEqual(expected);
  const onScreen = await page.evaluate(() => (window as unknown as { onScreen: number[] }).onScreen);
  expect(onScreen.length).toBeGreaterThan(8);
  expect(onScreen).toEqual(expected.slice(0, onScreen.length));
});

/**
 * A name of Latin letters to type, at least `minLength` long, of someone past the first page (so
 * their picture is not one the page already showed).
 */
async function nameToType(request: APIRequestContext, minLength = 0): Promise<string> {
  const { items } = (await (await request.get('/api/people?sort=name&offset=100')).json()) as { items: Array<{ name: string }> };
  return items.find((p) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.name) && p.name.length >= minLength)!.name;
}

test('pictures of people who flash past while typing are never fetched', async ({ page, request }) => {
  const name = await nameToType(request);
  await openLive(page, '/?sort=name');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const asked = pictureRequests(page);
  const fetched = () => [...asked.lists.flat(), ...asked.redirects];
  await page.getByRole('searchbox', { name: 'Search people' }).focus();
  // Faster than a picture waits for the list to stand still (300 ms).
  await page.keyboard.type(name.toLowerCase(), { delay: 20 });
  const list = page.getByRole('list', { name: 'People' });
  await expect(list.getByRole('listitem').first()).toContainText(name);
  // Then the pictures of those found load (lazily: the rows on screen).
  await expect.poll(() => fetched().length).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  const found = await shownIds(page);
  expect(fetched().filter((id) => !found.includes(id))).toEqual([]);
});

/**
 * For each picture put in a list row that changed person, how long after the change (ms), and for
 * each picture put in the list, how long after any row last changed person. Rows are reused by
 * position; a row mounted anew shows its picture at once (a first render), so only rows whose
 * person changed count.
 */
async function watchPictureWaits(page: Page): Promise<() => Promise<{ sinceRow: number[]; sinceList: number[] }>> {
  await page.evaluate(() => {
    const changed = new WeakMap<Element, number>();
    let listMoved: number | null = null;
    const waits = { sinceRow: [] as number[], sinceList: [] as number[] };
    (window as unknown as { pictureWaits: typeof waits }).pictureWaits = waits;
    new MutationObserver((records) => {
      const now = performance.now();
      // The changes of person first: React puts a row's children in before it sets the row's
      // own attributes, so a picture shown with its person comes earlier in the same records.
      for (const r of records) {
        if (r.type !== 'attributes' || !(r.target instanceof HTMLLIElement)) continue;
        changed.set(r.target, now);
        listMoved = now;
      }
      for (const r of records) {
        for (const node of r.addedNodes) {
          const img = node instanceof HTMLImageElement ? node : node instanceof Element ? node.querySelector('img') : null;
          const row = img?.closest('li');
          if (row && changed.has(row)) waits.sinceRow.push(now - changed.get(row)!);
          if (img && listMoved !== null) waits.sinceList.push(now - listMoved);
        }
      }
    }).observe(document.querySelector('ul[aria-label="People"]')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-person-id'] });
  });
  return () => page.evaluate(() => (window as unknown as { pictureWaits: { sinceRow: number[]; sinceList: number[] } }).pictureWaits);
}

test('a row shows a picture once it stands still, even one the tab has loaded', async ({ page }) => {
  // Mounting a picture the browser holds still loads, decodes and paints it in the keystroke's
  // frame (components/ui/avatar.tsx); typing must leave the pictures until the row stands still.
  await openLive(page, '/?sort=name');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const list = peopleList(page);
  const loaded = list.locator(`img[src^="${ZULIP}/user_avatars/"]`);
  await expect.poll(() => loaded.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length)).toBeGreaterThan(1);
  // Someone below the first row whose picture is loaded: as their name is typed they move up
  // into rows that showed someone else.
  const name = await loaded.evaluateAll((imgs) => {
    const row = imgs.find((img) => (img as HTMLImageElement).naturalWidth > 0 && img.closest('li')!.previousElementSibling)!.closest('li')!;
    return row.querySelector('a[data-row-link]')!.textContent!;
  });
  const waits = await watchPictureWaits(page);
  await page.getByRole('searchbox', { name: 'Search people' }).focus();
  await page.keyboard.type(name.toLowerCase(), { delay: 20 });
  const found = list.getByRole('listitem').filter({ has: page.getByRole('link', { name, exact: true }) }).first();
  await expect(found.locator('img')).toBeVisible();
  await expect.poll(async () => (await waits()).sinceRow.length).toBeGreaterThan(0);
  // NEW_PICTURE_DELAY_MS is 300; a loaded picture shown in the same commit as its person waited 0.
  expect(Math.min(...(await waits()).sinceRow)).toBeGreaterThanOrEqual(250);
});

test('a row that changes back to the person it stood still on waits again for their picture', async ({ page }) => {
  await typingFromIndex(page);
  await page.keyboard.type('an');
  await expect.poll(() => peopleList(page).locator('img').count()).toBeGreaterThan(0);
  // Longer than a picture waits: the rows have stood still on these people.
  await page.waitForTimeout(600);
  const waits = await watchPictureWaits(page);
  // Another letter shows others in the first rows; Backspace brings the same people back.
  await page.keyboard.type('a');
  await page.keyboard.press('Backspace');
  await expect.poll(async () => (await waits()).sinceRow.length).toBeGreaterThan(0);
  expect(Math.min(...(await waits()).sinceRow)).toBeGreaterThanOrEqual(250);
});

test('no picture is fetched while the viewer types on, even in a row that keeps its person', async ({ page, request }) => {
  // A row that keeps its person over two keystrokes has stood still for 300 ms, but the rows
  // around it still change: each picture fetched then takes CPU the next keystroke needs
  // (bench/README.md §5). Pictures wait until the whole list stands still.
  const name = await nameToType(request, 12);
  await typingFromIndex(page);
  const waits = await watchPictureWaits(page);
  // Slower than a picture waits (300 ms) every two keys, as people type.
  await page.keyboard.type(name.toLowerCase(), { delay: 180 });
  await expect(peopleList(page).getByRole('listitem').first()).toContainText(name);
  await expect.poll(async () => (await waits()).sinceList.length).toBeGreaterThan(0);
  expect(Math.min(...(await waits()).sinceList)).toBeGreaterThanOrEqual(250);
});

test('an index that fails to load leaves the searches to the server', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const someone = people.find(plainName)!;
  await page.route('**/api/people/index', refuse);
  const asked = peopleRequests(page);
  const index = page.waitForResponse('**/api/people/index');
  await openLive(page, '/');
  await index;
  await page.getByRole('searchbox', { name: 'Search people' }).fill(someone.full_name);
  // The server's answer, asked for: someone may already be on the first page, so wait for the question.
  await expect.poll(() => asked.some((search) => new URLSearchParams(search).get('q') === someone.full_name)).toBe(true);
  await expect(peopleList(page).getByRole('listitem').first()).toContainText(someone.full_name);
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'server');
});

test('an index that failed to load is asked for again, and answers once it comes', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const renamed = people[4]!;
  let refusals = 0;
  await page.route('**/api/people/index', (route) => {
    if (refusals++ === 0) return refuse(route);
    return route.continue();
  });
  const index = page.waitForResponse('**/api/people/index');
  await openLive(page, '/');
  expect((await index).status()).toBe(503);
  // People change in Zulip: the stream says so, and the tab asks for the index again.
  try {
    expect((await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: `Quillon Again${Date.now().toString(36)}` } })).ok()).toBe(true);
    await page.getByRole('searchbox', { name: 'Search people' }).fill('quillon again');
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser', { timeout: 15_000 });
  } finally {
    await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: renamed.full_name } });
  }
});

test('a search the server does not answer says so, offers to try again, and forgets the Enters pressed for it', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const someone = people.findLast(plainName)!;
  await page.route('**/api/people/index', refuse);
  let down = true;
  await page.route('**/api/people?**', (route) =>
    down && new URL(route.request().url()).searchParams.get('q') === someone.full_name
      ? refuse(route)
      : route.continue(),
  );
  await openLive(page, '/');
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.fill(someone.full_name);
  await box.press('Enter');
  // After its retries: no rows (the page's first view is not this one's answer), and a way to ask again.
  const alert = page.getByRole('alert').filter({ hasText: 'The directory did not answer this view.' });
  await expect(alert).toBeVisible({ timeout: 20_000 });
  await expect(peopleList(page)).toHaveCount(0);
  await expect(page.locator('[data-count-line]')).toContainText('No answer for this view');
  // An Enter on the failed view has nothing to open, now or when an answer comes later.
  await box.press('Enter');
  down = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(peopleList(page).getByRole('listitem').first()).toContainText(someone.full_name);
  // What a screen reader hears is the answer's count, no longer the failure.
  await expect(page.locator('[data-count-line] [role="status"]')).toContainText(/\d+ (person|people)/);
  // The Enter was for the search that failed: the answer that came later opens no one.
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/\?q=/);
});

test('a row focused while the server\'s results load: they show when they come', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const someone = people.findLast(plainName)!;
  await page.route('**/api/people/index', refuse);
  // The server's answer to this search waits until the row has the focus.
  let letGo = () => {};
  const answerMayGo = new Promise<void>((resolve) => (letGo = resolve));
  await page.route('**/api/people?**', async (route) => {
    if (new URL(route.request().url()).searchParams.get('q') === someone.full_name) await answerMayGo;
    await route.continue();
  });
  const asked = peopleRequests(page);
  const index = page.waitForResponse('**/api/people/index');
  await openLive(page, '/');
  await index;
  const box = page.getByRole('searchbox', { name: 'Search people' });
  await box.fill(someone.full_name);
  await expect.poll(() => asked.some((search) => new URLSearchParams(search).get('q') === someone.full_name)).toBe(true);
  // Down into the list, which still shows the last search's rows.
  await box.press('ArrowDown');
  await expect(page.locator('a[data-row-link]:focus')).toHaveCount(1);
  letGo();
  await expect(peopleList(page).getByRole('listitem').first()).toContainText(someone.full_name);
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'server');
});

test('a person renamed or added in Zulip is found by the new name without a reload', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const renamed = people[3]!;
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const stamp = Date.now().toString(36);
  const newName = `Quillon Rename${stamp}`;
  const addedName = `Quillon Added${stamp}`;
  try {
    expect((await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: newName } })).ok()).toBe(true);
    expect((await request.post(`${ZULIP}/demo/users`, { data: { full_name: addedName } })).ok()).toBe(true);
    await page.route('**/api/people?**', (route) => route.abort());
    await page.getByRole('searchbox', { name: 'Search people' }).fill(`quillon`);
    const list = page.getByRole('list', { name: 'People' });
    // The stream says people changed; the tab fetches the index again and answers from it.
    await expect(list.getByRole('link', { name: newName, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(list.getByRole('link', { name: addedName, exact: true })).toBeVisible();
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  } finally {
    await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: renamed.full_name } });
  }
});

test('a view held while the focus was in its list is let go when that row goes (no blur then): back to it, it is current', async ({ page, request }) => {
  // Departments of the demo organization with their sizes: one that fits in three rows, one of fifteen and more.
  const { facets } = (await (await request.get('/api/people')).json()) as { facets: { departments: string[] } };
  const sizes = await Promise.all(
    facets.departments.map(async (d) => [d, ((await (await request.get(`/api/people?department=${encodeURIComponent(d)}`)).json()) as { total: number }).total] as const),
  );
  const small = sizes.find(([, n]) => n <= 3)![0];
  const big = sizes.find(([, n]) => n >= 15)![0];
  await openLive(page, `/?department=${encodeURIComponent(small)}`);
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  await page.getByRole('combobox', { name: 'Department' }).selectOption(big);
  await expect(page).toHaveURL(new RegExp(`department=${encodeURIComponent(big).replace(/%20/g, '(\\+|%20)')}`));
  const first = (await shownIds(page))[0]!;
  // The focus on the tenth row holds the view; Back removes that row, and the focus with it.
  await page.keyboard.press('/');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowDown');
  await expect(page.locator('a[data-row-link]:focus')).toHaveCount(1);
  await page.goBack();
  await expect(peopleList(page).getByRole('listitem')).toHaveCount(sizes.find(([d]) => d === small)![1]);
  const newName = `Quillon Held${Date.now().toString(36)}`;
  const original = (await listedPeople(request, ZULIP)).find((p) => p.user_id === first)!;
  try {
    const refetched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/people/index' && r.status() === 200, { timeout: 20_000 });
    expect((await request.patch(`${ZULIP}/demo/users/${first}`, { data: { full_name: newName } })).ok()).toBe(true);
    await refetched;
    await page.goForward();
    await expect(peopleList(page).getByRole('link', { name: newName, exact: true })).toBeVisible();
  } finally {
    await request.patch(`${ZULIP}/demo/users/${first}`, { data: { full_name: original.full_name } });
  }
});

test("an index from an instance further behind than the tab's is not taken: the tab keeps its own and asks again", async ({ page, request }) => {
  const people = (await listedPeople(request, ZULIP)).filter(plainName);
  const [first, second] = [people[9]!, people[10]!];
  await page.clock.install();
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  // What an instance that has applied neither change below would answer (docs/architecture.md §17).
  const behind = await page.request.get('/api/people/index');
  const behindBody = await behind.body();
  const behindHeaders = {
    etag: behind.headers()['etag']!,
    'directory-people-revision': behind.headers()['directory-people-revision']!,
    'cache-control': 'private, no-cache',
    'content-type': 'application/json; charset=utf-8',
  };
  const stamp = Date.now().toString(36);
  const firstName = `Quillon Ahead${stamp}`;
  const secondName = `Quillon Later${stamp}`;
  const list = peopleList(page);
  const search = page.getByRole('searchbox', { name: 'Search people' });
  try {
    await page.route('**/api/people?**', (route) => route.abort());
    expect((await request.patch(`${ZULIP}/demo/users/${first.user_id}`, { data: { full_name: firstName } })).ok()).toBe(true);
    await search.fill('quillon ahead');
    await expect(list.getByRole('link', { name: firstName, exact: true })).toBeVisible({ timeout: 15_000 });
    // From now on the index comes from an instance behind both changes.
    let servedBehind = 0;
    await page.route('**/api/people/index', (route) => {
      servedBehind++;
      return route.fulfill({ status: 200, headers: behindHeaders, body: behindBody });
    });
    expect((await request.patch(`${ZULIP}/demo/users/${second.user_id}`, { data: { full_name: secondName } })).ok()).toBe(true);
    await expect.poll(() => servedBehind, { timeout: 15_000 }).toBe(1);
    // Time to take it, were it taken (decoding the demo's index takes a few ms).
    await page.waitForTimeout(500);
    await search.fill('quillon');
    await expect(list.getByRole('link', { name: firstName, exact: true })).toBeVisible();
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
    // Asked again 2 s later, of an instance that has the second change too.
    await page.unroute('**/api/people/index');
    await page.clock.runFor(2_000);
    await expect(list.getByRole('link', { name: secondName, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(list.getByRole('link', { name: firstName, exact: true })).toBeVisible();
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  } finally {
    await request.patch(`${ZULIP}/demo/users/${first.user_id}`, { data: { full_name: first.full_name } });
    await request.patch(`${ZULIP}/demo/users/${second.user_id}`, { data: { full_name: second.full_name } });
  }
});

test('a directory numbering the people below the tab\'s index (restarted on a clock set back): its index is taken at the third answer, seconds later', async ({ page, request }) => {
  const person = (await listedPeople(request, ZULIP)).filter(plainName)[11]!;
  await page.clock.install();
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const newName = `Quillon Renumbered${Date.now().toString(36)}`;
  const list = peopleList(page);
  let answers = 0;
  // Every answer for the index now says a revision below the tab's.
  await page.route('**/api/people/index', async (route) => {
    answers++;
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'directory-people-revision': '1' } });
  });
  try {
    await page.route('**/api/people?**', (route) => route.abort());
    expect((await request.patch(`${ZULIP}/demo/users/${person.user_id}`, { data: { full_name: newName } })).ok()).toBe(true);
    await page.getByRole('searchbox', { name: 'Search people' }).fill('quillon renumbered');
    await expect.poll(() => answers, { timeout: 15_000 }).toBe(1);
    await page.clock.runFor(2_000);
    await expect.poll(() => answers).toBe(2);
    await page.waitForTimeout(300);
    // Not taken twice (it could be an instance behind)...
    await expect(list.getByRole('link', { name: newName, exact: true })).toHaveCount(0);
    // ...the third time (8 s on) it is: the numbering went back.
    await page.clock.runFor(8_000);
    await expect(list.getByRole('link', { name: newName, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
    expect(answers).toBe(3);
  } finally {
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await request.patch(`${ZULIP}/demo/users/${person.user_id}`, { data: { full_name: person.full_name } });
  }
});

test("everyone's presence from an instance behind the page is brought up to date before the index answers", async ({ page, request }) => {
  // What an instance behind would answer: everyone's presence before the change below.
  const behind = await (await request.get('/api/presence')).text();
  const person = await offlinePerson(request, ZULIP, 1);
  await postPresence(request, ZULIP, person, 'active');
  await waitForAppPresence(request, person.user_id, 'active');
  // The full snapshot comes from that instance; what changed since it, from any (versions are global).
  await page.route('**/api/presence', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: behind }));
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  await page.route('**/api/people?**', (route) => route.abort());
  await page.getByRole('searchbox', { name: 'Search people' }).fill(person.full_name);
  const row = peopleList(page).locator(`li[data-person-id="${person.user_id}"]`);
  await expect(row.locator('[data-presence="active"]')).toContainText('Active now');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
});

test('an index known to be out of date, that cannot be had again, leaves the searches to the server until it can', async ({ page, request }) => {
  const people = await listedPeople(request, ZULIP);
  const renamed = people[5]!;
  // The tab's clock, so that its later tries come when the test says.
  await page.clock.install();
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  await page.route('**/api/people/index', refuse);
  const newName = `Quillon Unindexed${Date.now().toString(36)}`;
  try {
    expect((await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: newName } })).ok()).toBe(true);
    await page.getByRole('searchbox', { name: 'Search people' }).fill('quillon unindexed');
    // The stream says people changed, the index is refused: the server answers, with the new name.
    const list = page.getByRole('list', { name: 'People' });
    await expect(list.getByRole('link', { name: newName, exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'server');
    // Asked again a little later (2 s, 8 s, then from 30 s on, doubling): once it comes, the tab answers again.
    await page.unroute('**/api/people/index');
    await expect
      .poll(async () => {
        await page.clock.runFor(5_000);
        return answeredBy(page).getAttribute('data-answered-by');
      }, { timeout: 30_000 })
      .toBe('browser');
    await expect(list.getByRole('link', { name: newName, exact: true })).toBeVisible();
  } finally {
    await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: renamed.full_name } });
  }
});

test('statuses set in Zulip reach the index a little later, gathered: one index request for them, not one each', async ({ page, request }) => {
  await page.clock.install();
  const [first, second] = (await listedPeople(request, ZULIP)).filter(plainName).slice(6, 8) as [DemoAccount, DemoAccount];
  const indexRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/people/index') indexRequests.push(r.url());
  });
  await openLive(page, '/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const loaded = indexRequests.length;
  const text = `Gathered ${Date.now().toString(36)}`;
  try {
    const setAt = await page.evaluate(() => Date.now());
    await setStatus(request, ZULIP, first, text);
    await setStatus(request, ZULIP, second, text);
    // The tab is told at once; its clock moves on a second at a time until it asks for the index,
    // which it does once for both, and not before the wait (15 s) is over.
    await expect
      .poll(async () => {
        await page.clock.runFor(1_000);
        return indexRequests.length;
      }, { timeout: 30_000 })
      .toBe(loaded + 1);
    expect((await page.evaluate(() => Date.now())) - setAt).toBeGreaterThanOrEqual(14_000);
    await page.route('**/api/people?**', (route) => route.abort());
    await page.getByRole('searchbox', { name: 'Search people' }).fill(second.full_name);
    await expect(peopleList(page).getByRole('listitem').first()).toContainText(text);
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  } finally {
    await setStatus(request, ZULIP, first, '');
    await setStatus(request, ZULIP, second, '');
  }
});

test('a tab whose stream is refused keeps its index current while it polls', async ({ page, request }) => {
  // A stream refused for good (a sixth tab: 429) leaves the tab polling presence, and nothing
  // in a poll says people changed: the tab asks for the index now and then (live-presence.tsx).
  await page.route('**/api/presence/stream**', (route) => route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":{"code":"too_many_streams","message":"Too many streams."}}' }));
  const people = await listedPeople(request, ZULIP);
  const renamed = people[5]!;
  await page.goto('/');
  await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  const newName = `Quillon Polled${Date.now().toString(36)}`;
  try {
    expect((await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: newName } })).ok()).toBe(true);
    await page.route('**/api/people?**', (route) => route.abort());
    await page.getByRole('searchbox', { name: 'Search people' }).fill('quillon polled');
    await expect(page.getByRole('list', { name: 'People' }).getByRole('link', { name: newName, exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(answeredBy(page)).toHaveAttribute('data-answered-by', 'browser');
  } finally {
    await request.patch(`${ZULIP}/demo/users/${renamed.user_id}`, { data: { full_name: renamed.full_name } });
  }
});

test('the index is private: not public, revalidated, refused a bad parameter', async ({ request }) => {
  const answer = await request.get('/api/people/index');
  expect(answer.status()).toBe(200);
  expect(answer.headers()['cache-control']).toBe('private, no-cache');
  expect(answer.headers()['vary']).toContain('Cookie');
  const etag = answer.headers()['etag']!;
  expect(etag).toMatch(/^"[\w-]+"$/);
  expect((await request.get('/api/people/index', { headers: { 'If-None-Match': etag } })).status()).toBe(304);
  expect((await request.get('/api/people/index?x=1')).status()).toBe(400);
});
