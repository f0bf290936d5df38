import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_UPDATE_MIN_FREQ_SECONDS } from '@/lib/demo-zulip/core/presence-rows';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { buildBreakdown, MODERN_ONLY_SOURCE } from '@/lib/presence/breakdown';
import { thresholdsFor } from '@/lib/presence/status';
import { createZulipClient, type ZulipClient } from '@/lib/zulip/client';
import { activeHumans, reportPresence } from './support';

// A 12.0-dev server between FL 487 and 496 answers GET /users/{id}/presence with only
// `active_timestamp` and `idle_timestamp`: no `website`, no `aggregated`, no `server_timestamp`
// (docs/zulip.md §a, docs/zulip-versions.md §9). The app's client reads that answer from the demo
// server at FL 490, and the breakdown shows what it says and nothing it does not.
describe('the per-person breakdown from a 12.0-dev server at feature level 490', () => {
  let demo: DemoZulip;
  let client: ZulipClient;
  let zulipVersion = '';
  let nowMs = Date.now();
  const nowSec = () => Math.floor(nowMs / 1000);
  // The generated organization may have reported this person active seconds ago, and Zulip
  // keeps last_active_time when a report comes within 55 s of it (zerver/actions/presence.py
  // do_update_user_presence; docs/zulip.md §c). Step past that before a report whose
  // time the test reads.
  const reportNow = async (person: Parameters<typeof reportPresence>[1]) => {
    nowMs += (PRESENCE_UPDATE_MIN_FREQ_SECONDS + 1) * 1000;
    await reportPresence(demo, person, 'active');
  };
  const breakdownOf = (detail: Awaited<ReturnType<ZulipClient['getUserPresence']>>) =>
    buildBreakdown(detail, { featureLevel: 490, zulipVersion, thresholds: thresholdsFor(490), nowSec: nowSec() });

  beforeAll(async () => {
    demo = await startDemoZulip({ port: 0, users: 30, simulation: false, featureLevel: 490, clock: () => nowMs });
    client = createZulipClient({ site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey });
    zulipVersion = (await client.getServerSettings()).zulip_version;
  });
  afterAll(() => demo?.close());

  it('reads the modern pair alone, with no client records and no server clock', async () => {
    const person = activeHumans(demo).filter((u) => u.presence_enabled)[2]!;
    await reportNow(person);
    const detail = await client.getUserPresence(person.user_id);
    expect(detail).toEqual({
      clients: [],
      aggregated: null,
      modern: { activeTimestamp: nowSec(), idleTimestamp: nowSec() },
      record: { activeTimestamp: nowSec(), idleTimestamp: nowSec() },
      serverTimestamp: null,
    });

    expect(breakdownOf(detail)).toEqual({
      kind: 'combined',
      // One row, named after the fields it was read from: the server sent no client key.
      rows: [{ client: MODERN_ONLY_SOURCE, label: 'All devices', state: 'active', lastReportedAt: nowSec(), mostRecent: false }],
      lastActiveAt: nowSec(),
      lastIdleAt: nowSec(),
      note: 'This Zulip server (version 12.0-dev) reports presence for all devices together.',
      summary: { state: 'active', lastActiveAt: nowSec() },
    });
  });

  it('goes offline by the app’s own reckoning, since the server no longer marks the answer offline', async () => {
    const person = activeHumans(demo).filter((u) => u.presence_enabled)[3]!;
    await reportNow(person);
    const reportedAt = nowSec();
    nowMs += 300_000;
    const detail = await client.getUserPresence(person.user_id);
    expect(detail.modern).toEqual({ activeTimestamp: reportedAt, idleTimestamp: reportedAt });
    const breakdown = breakdownOf(detail);
    expect(breakdown.summary).toEqual({ state: 'offline', lastActiveAt: reportedAt });
    expect(breakdown.rows.map((r) => r.state)).toEqual(['offline']);
  });
});
