// Someone who hides their availability keeps the last active time Zulip holds for them, on every
// generation that moves their row back (docs/zulip-versions.md §4): on 10.x the legacy answer for
// that row says only "idle at now − 265 s", which must not replace the active time with the join date.
import { afterAll, describe, expect, it } from 'vitest';
import { activeHumans, control, reportPresence, startHarness, waitFor, type Harness } from './support';

describe.each([372, 450])('hiding availability at feature level %i', (featureLevel) => {
  let h: Harness;
  afterAll(() => h?.close());

  it('keeps the last active time, as Zulip does (not the join date)', async () => {
    h = await startHarness({ seed: 5, featureLevel, users: 40 });
    const person = activeHumans(h.demo).filter((u) => u.presence_enabled)[9]!;
    const presence = () => h.runtime.view.presence.get(person.user_id);
    await reportPresence(h.demo, person, 'active');
    await waitFor(() => presence()?.state === 'active');
    const lastActiveAt = presence()!.lastActiveAt;
    // Three hours later, idle: last active three hours ago.
    h.shiftZulipClock(3 * 3600);
    await reportPresence(h.demo, person, 'idle');
    await waitFor(() => presence()?.state === 'idle');
    await control(h.demo, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: false });
    await waitFor(() => presence()?.state === 'offline');
    // Two polls later too (each refresh folds the row in again).
    for (let poll = 0; poll < 2; poll++) {
      const polledAt = h.runtime.health.presenceUpdatedAt;
      await waitFor(() => h.runtime.health.presenceUpdatedAt !== polledAt);
    }
    expect(presence()).toEqual({ state: 'offline', lastActiveAt });
  }, 30_000);
});
