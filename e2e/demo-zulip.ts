// Talks to the demo Zulip server the way a real Zulip client would: each person posts their own
// presence with their own API key and a client User-Agent.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { DemoCredentials } from '../lib/demo-zulip/types';

export type DemoAccount = DemoCredentials;

export const USER_AGENTS = {
  website: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
  ZulipMobile: 'ZulipMobile/27.2 (Android 14)',
  ZulipTerminal: 'ZulipTerminal/0.7.0 (Linux)',
} as const;

export async function demoAccounts(request: APIRequestContext, zulip: string): Promise<DemoAccount[]> {
  const response = await request.get(`${zulip}/demo/credentials`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { users?: DemoAccount[] } | DemoAccount[];
  return Array.isArray(body) ? body : (body.users ?? []);
}

/** Sets (or, with "", clears) someone's status text as they would in Zulip, with their own key. */
export async function setStatus(request: APIRequestContext, zulip: string, who: DemoAccount, text: string): Promise<void> {
  const response = await request.post(`${zulip}/api/v1/users/me/status`, {
    headers: { Authorization: `Basic ${Buffer.from(`${who.delivery_email ?? who.email}:${who.api_key}`).toString('base64')}` },
    form: { status_text: text, emoji_name: '' },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** People who are listed in the directory (guests are not, by default) and whose presence Zulip records. */
export async function listedPeople(request: APIRequestContext, zulip: string): Promise<DemoAccount[]> {
  return (await demoAccounts(request, zulip)).filter((a) => !a.is_bot && a.is_active && a.role !== 600 && a.presence_enabled !== false);
}

export async function postPresence(
  request: APIRequestContext,
  zulip: string,
  account: DemoAccount,
  status: 'active' | 'idle',
  client: keyof typeof USER_AGENTS = 'website',
): Promise<void> {
  const response = await request.post(`${zulip}/api/v1/users/me/presence`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${account.delivery_email ?? account.email}:${account.api_key}`).toString('base64')}`,
      'User-Agent': USER_AGENTS[client],
    },
    form: { status, ping_only: 'true' },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Opens a directory page and waits until it is hydrated and its presence stream is live. */
export async function openLive(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByText(/^Live/)).toBeVisible();
}

/** Waits until the app itself reports this person's presence state (it polls Zulip on an interval). */
export async function waitForAppPresence(request: APIRequestContext, personId: number, state: 'active' | 'idle'): Promise<void> {
  await expect
    .poll(async () => {
      const response = await request.get(`/api/people/${personId}`);
      return ((await response.json()) as { person?: { presence?: { state?: string } | null } }).person?.presence?.state;
    }, { timeout: 20_000 })
    .toBe(state);
}

/** A row of /api/people, as far as the helpers below read it. */
export interface ListedRowFacts {
  id: number;
  presence: { state: string } | null;
  availability: { out: unknown; workingHours: unknown };
}

export const isOffline = (row: ListedRowFacts) => (row.presence?.state ?? 'offline') === 'offline';

/** Not out and with no known working hours: coming online makes them reachable whatever the time of day (docs/architecture.md §18). */
export const reachableOnceOnline = (row: ListedRowFacts) => row.availability.out === null && row.availability.workingHours === null;

/**
 * Someone the app currently shows as offline and whose presence Zulip records: a person whose
 * badge a test can then turn "active". `skip` keeps tests from picking the same person.
 * `reachableOnline`: also reachable once online (reachableOnceOnline).
 */
export async function offlinePerson(request: APIRequestContext, zulip: string, skip = 0, reachableOnline = false): Promise<DemoAccount> {
  const accounts = new Map((await listedPeople(request, zulip)).map((a) => [a.user_id, a]));
  const response = await request.get('/api/people?sort=name&limit=200');
  const page = (await response.json()) as { items: ListedRowFacts[] };
  const offline = page.items.filter((p) => isOffline(p) && accounts.has(p.id) && (!reachableOnline || reachableOnceOnline(p)));
  const chosen = offline[skip];
  if (!chosen) throw new Error('no offline person to use');
  return accounts.get(chosen.id)!;
}

/**
 * Opens a directory page on the browser's fake clock (installed here) and waits until the people
 * index answers it: the index loads when the page is idle, which the fake clock must reach.
 */
export async function openLiveWithIndex(page: Page, path: string): Promise<void> {
  await page.clock.install();
  await openLive(page, path);
  await page.clock.runFor(3_000);
  await expect(page.locator('[data-answered-by]')).toHaveAttribute('data-answered-by', 'browser');
}
