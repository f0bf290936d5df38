import { expect, test } from '@playwright/test';
import { CONFIGURED_APP } from '../playwright.config';
import { listedPeople, postPresence } from './demo-zulip';

// The app configured with a zuliprc against a Zulip 10.2 server (feature level 372).

test('breakdown on a 10.x server: one combined row and the plain-language note', async ({ page, request }) => {
  const person = (await listedPeople(request, CONFIGURED_APP.zulip))[2]!;
  await postPresence(request, CONFIGURED_APP.zulip, person, 'active', 'ZulipMobile');
  await page.goto(`/people/${person.user_id}`);
  const section = page.getByRole('region', { name: 'Presence by device' });
  await expect(section).toContainText('This Zulip server (version 10.2) reports presence for all devices together.');
  await expect(section.getByRole('rowheader')).toHaveCount(1);
  await expect(page.getByText('Demo organization')).toHaveCount(0);
});
