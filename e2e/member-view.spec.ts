import { expect, test } from '@playwright/test';
import { DEMO_APP } from '../playwright.config';
import { demoAccounts, listedPeople } from './demo-zulip';

// What a viewer sees (docs/architecture.md §11), as a viewer meets it: the directory shows what Zulip shows an ordinary
// member and no more. The demo app imitates Zulip 6.x (FL 150), whose realm shows every address
// to everyone: then Zulip sends the real address as the API email (and no delivery_email), and
// the profile shows it. Guests (the demo company's contractors) are not listed.
// tests/directory/member-view.test.ts covers hidden addresses on every generation.
const ZULIP = DEMO_APP.zulip;

test('a profile shows the address Zulip shows every member', async ({ page, request }) => {
  const person = (await listedPeople(request, ZULIP))[3]!;
  expect(person.email).toBe(person.delivery_email);
  await page.goto(`/people/${person.user_id}`);
  await expect(page.getByRole('link', { name: person.delivery_email })).toHaveAttribute('href', `mailto:${person.delivery_email}`);
});

test('guests are not in the directory', async ({ page, request }) => {
  const guests = (await demoAccounts(request, ZULIP)).filter((a) => a.role === 600 && a.is_active && !a.is_bot);
  expect(guests.length).toBeGreaterThan(0);
  const members = (await demoAccounts(request, ZULIP)).filter((a) => a.role !== 600 && a.is_active && !a.is_bot);
  const all = (await (await request.get('/api/people?limit=200')).json()) as { total: number };
  expect(all.total).toBe(members.length);
  for (const guest of guests) {
    expect((await request.get(`/api/people/${guest.user_id}`)).status()).toBe(404);
    const found = (await (await request.get(`/api/people?${new URLSearchParams({ q: guest.full_name })}`)).json()) as { items: Array<{ id: number }> };
    expect(found.items.map((p) => p.id)).not.toContain(guest.user_id);
  }
  const response = await page.goto(`/people/${guests[0]!.user_id}`);
  expect(response?.status()).toBe(404);
});
