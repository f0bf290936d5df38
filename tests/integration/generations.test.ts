import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { buildBreakdown } from '@/lib/presence/breakdown';
import { presenceLabel } from '@/lib/presence/last-seen';
import { activeHumans, control, reportPresence, startHarness, waitFor, type Harness } from './support';

// The directory against the demo Zulip server imitating each generation of Zulip the README
// supports (docs/zulip.md §m): the list, badges and their wording, the breakdown, profiles and
// live updates must be right on each. Each server's clock is off from the app's (as a real
// server's may be): every age is measured on Zulip's clock (docs/zulip.md §d).
const GENERATIONS = [
  { version: '4.x', featureLevel: 65, clockOffsetSeconds: 3600 },
  { version: '6.x', featureLevel: 150, clockOffsetSeconds: -900 },
  { version: '7.x', featureLevel: 185, clockOffsetSeconds: 0 },
  { version: '10.x', featureLevel: 372, clockOffsetSeconds: 240 },
  { version: '12.0-dev', featureLevel: 497, clockOffsetSeconds: -3600 },
];

describe.each(GENERATIONS)('Zulip $version (feature level $featureLevel), clock off by $clockOffsetSeconds s', ({ featureLevel, clockOffsetSeconds }) => {
  let h: Harness;
  const label = (id: number) => presenceLabel(h.runtime.view.presence.get(id), h.runtime.zulipNow());

  beforeAll(async () => {
    h = await startHarness({ seed: 5, featureLevel, zulipClockOffsetSeconds: clockOffsetSeconds });
  }, 30_000);
  afterAll(() => h?.close());

  it('lists every active human, skips nothing, and says in the log which Zulip it reached', async () => {
    expect(h.runtime.view.people.list().length).toBe(activeHumans(h.demo).length);
    expect(h.runtime.view.org.featureLevel).toBe(featureLevel);
    expect(h.runtime.skipped.counts()).toEqual({});
    const connected = h.logLines.find((l) => l.event === 'zulip_connected');
    expect(connected).toMatchObject({ featureLevel, people: activeHumans(h.demo).length, site: h.demo.site });
    // Before FL 70 register tells no time: Zulip's clock is learnt from the presence poll that follows.
    if (Math.abs(clockOffsetSeconds) >= 60) await waitFor(() => h.logLines.some((l) => l.event === 'zulip_clock_skew'));
  });

  it('reads the presence entries this generation sends, including half-empty ones before 7.0', () => {
    // Before 7.0 a slim entry leaves out a key with no such client row (Zulip 6.1
    // zerver/lib/presence.py get_modern_user_presence_info): someone only ever idle has no
    // active_timestamp, someone only on mobile and always active no idle_timestamp.
    const { idleOnly, activeOnly } = h.demo.org.presenceShowcase;
    for (const id of [idleOnly, activeOnly]) {
      expect(id).not.toBeNull();
      expect(h.runtime.view.people.get(id!)).toBeDefined();
      expect(h.runtime.view.presence.get(id!)).not.toBeNull();
    }
  });

  it('measures "Active N minutes ago" on Zulip’s clock', async () => {
    const [a, b] = activeHumans(h.demo).filter((u) => u.presence_enabled);
    await reportPresence(h.demo, a!, 'active');
    await waitFor(() => label(a!.user_id) === 'Active now');
    // Sixteen minutes pass on Zulip's clock (the app's own clock does not move).
    h.shiftZulipClock(16 * 60);
    await reportPresence(h.demo, b!, 'active');
    await waitFor(() => label(b!.user_id) === 'Active now');
    await waitFor(() => label(a!.user_id) === 'Active 16 minutes ago');
  });

  it('finds people by name with their profile fields', () => {
    const someone = activeHumans(h.demo)[3]!;
    const page = h.runtime.view.queries.run({ ...DEFAULT_PEOPLE_QUERY, q: someone.full_name }, h.runtime.freshness());
    expect(page.items[0]).toMatchObject({ id: someone.user_id, name: someone.full_name });
    expect(h.runtime.view.people.list().filter((p) => p.title).length).toBeGreaterThan(activeHumans(h.demo).length / 2);
  });

  it('builds the breakdown this generation can tell', async () => {
    const person = activeHumans(h.demo).filter((u) => u.presence_enabled)[1]!;
    await reportPresence(h.demo, person, 'active');
    const detail = await h.runtime.client.getUserPresence(person.user_id);
    const breakdown = buildBreakdown(detail, {
      featureLevel,
      zulipVersion: h.runtime.view.org.zulipVersion,
      thresholds: h.runtime.view.thresholdSeconds,
      nowSec: h.runtime.zulipNow(),
    });
    expect(breakdown.summary.state).toBe('active');
    if (featureLevel < 178) {
      expect(breakdown.kind).toBe('per-client');
      expect(breakdown.rows.some((r) => r.client === 'website' && r.state === 'active')).toBe(true);
    } else {
      expect(breakdown.kind).toBe('combined');
      expect(breakdown.note).toMatch(/reports presence for all devices together/);
    }
    expect(breakdown.lastActiveAt !== undefined).toBe(featureLevel >= 497);
  });

  it('keeps profiles current from the event queue', async () => {
    const person = activeHumans(h.demo)[6]!;
    await control(h.demo, 'PATCH', `/demo/users/${person.user_id}`, { full_name: `Renamed ${featureLevel}` });
    await waitFor(() => h.runtime.view.people.get(person.user_id)?.name === `Renamed ${featureLevel}`);
  });

  it('follows a colleague who hides their availability, as this generation records it', async () => {
    const person = activeHumans(h.demo).filter((u) => u.presence_enabled)[7]!;
    const state = () => h.runtime.view.presence.get(person.user_id)?.state;
    await reportPresence(h.demo, person, 'active');
    await waitFor(() => state() === 'active');
    await control(h.demo, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: false });
    if (featureLevel >= 139) {
      // From FL 139 Zulip moves the person's row back minutes into the past (zerver/actions/
      // user_settings.py do_change_user_setting; docs/zulip-versions.md §4): offline at once.
      await waitFor(() => state() === 'offline');
    } else {
      // Before, the row keeps its time and only ages into offline.
      await new Promise((r) => setTimeout(r, 1500));
      expect(state()).toBe('active');
    }
    await control(h.demo, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: true });
    await reportPresence(h.demo, person, 'active');
    await waitFor(() => state() === 'active');
  });

  it('hides presence when an administrator turns it off, and resumes when it is turned back on', async () => {
    const person = activeHumans(h.demo).filter((u) => u.presence_enabled)[4]!;
    await control(h.demo, 'POST', '/demo/realm', { presence_disabled: true });
    await waitFor(() => h.runtime.view.presenceDisabled);
    expect(h.runtime.freshness().presenceDisabled).toBe(true);
    await control(h.demo, 'POST', '/demo/realm', { presence_disabled: false });
    await waitFor(() => !h.runtime.view.presenceDisabled);
    await reportPresence(h.demo, person, 'active');
    await waitFor(() => label(person.user_id) === 'Active now');
    expect(h.logLines.filter((l) => l.event === 'presence_setting_changed').map((l) => l.presenceDisabled)).toEqual([true, false]);
  });
});
