// Zulip 7.0 to 12.0-dev FL 486: the per-person answer is format_legacy_presence_dict of the one
// presence row, which calls someone idle when their last activity came more than 70 s before
// their last connection (PRESENCE_LEGACY_EVENT_OFFSET_FOR_ACTIVITY_SECONDS), while Zulip's apps
// (web/src/presence.ts status_from_raw) and the badge call them active for the whole threshold.
// The breakdown says what the apps say, and that the answer said otherwise (docs/zulip.md §a).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as presenceDetailRoute } from '@/app/api/people/[ref]/presence/route';
import { OLDER_RULE_NOTE } from '@/lib/presence/breakdown';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import { connectedPeople, startTestDirectory, until, type TestDirectory } from '../support/directory';
import { reportPresence } from '../integration/support';

let dir: TestDirectory;
let shiftMs = 0;

beforeAll(async () => {
  // Zulip 7.0 (FL 185), on a clock the test moves; breakdowns never served from the cache.
  dir = await startTestDirectory({ demo: { users: 30, seed: 9, featureLevel: 185, clock: () => Date.now() + shiftMs }, settings: { PRESENCE_DETAIL_CACHE_SECONDS: 0 } });
}, 30_000);
afterAll(() => dir?.close());

async function breakdown(id: number): Promise<PresenceDetail & { available: true; source: 'zulip' }> {
  const res = await presenceDetailRoute(new Request(`http://directory.test/api/people/${id}/presence`), { params: Promise.resolve({ ref: String(id) }) });
  return (await res.json()) as PresenceDetail & { available: true; source: 'zulip' };
}

it('someone active 100 s ago and connected 10 s ago is active in the breakdown, as on their badge', async () => {
  const id = connectedPeople(dir).find((p) => dir.runtime.view.presence.get(p)?.state === 'offline')!;
  const user = dir.demo.org.users.find((u) => u.user_id === id)!;
  await reportPresence(dir.demo, user, 'active');
  shiftMs += 90_000;
  // Past Zulip's 55 s write throttle: the connection is recorded, the activity stays 90 s back.
  await reportPresence(dir.demo, user, 'idle');
  shiftMs += 10_000;
  await until(() => dir.runtime.view.presence.get(id)?.state === 'active' && dir.runtime.zulipNow() * 1000 > Date.now() + 95_000, 'the badge on Zulip’s moved clock');

  const detail = await breakdown(id);
  expect(detail.source).toBe('zulip');
  expect(detail.breakdown.kind).toBe('combined');
  // One row, by the apps' rule; its time is what Zulip reported (the last connection).
  expect(detail.breakdown.rows).toEqual([{ client: 'aggregated', label: 'All devices', state: 'active', lastReportedAt: expect.any(Number), mostRecent: false }]);
  expect(detail.breakdown.summary.state).toBe('active');
  expect(detail.breakdown.note).toContain(OLDER_RULE_NOTE);
  expect(dir.runtime.view.presence.get(id)?.state).toBe('active');
}, 20_000);
