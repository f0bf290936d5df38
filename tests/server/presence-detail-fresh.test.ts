// A breakdown cached before the person came online is not served after (lib/server/presence-detail.ts,
// docs/architecture.md §3): the snapshot has heard of the activity, so Zulip is asked again, once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GET as presenceDetailRoute } from '@/app/api/people/[ref]/presence/route';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import { connectedPeople, startTestDirectory, until, type TestDirectory } from '../support/directory';
import { reportPresence } from '../integration/support';

const PER_PERSON = 'GET /api/v1/users/{user_id_or_email}/presence';
let dir: TestDirectory;

beforeAll(async () => {
  // Zulip 6.x; a cache far longer than the test, so only the rule can refresh it.
  dir = await startTestDirectory({ demo: { users: 30, seed: 9, featureLevel: 150 }, settings: { PRESENCE_DETAIL_CACHE_SECONDS: 600 } });
}, 30_000);
afterAll(() => dir?.close());

async function breakdown(id: number): Promise<PresenceDetail & { available: true }> {
  const res = await presenceDetailRoute(new Request(`http://directory.test/api/people/${id}/presence`), { params: Promise.resolve({ ref: String(id) }) });
  return (await res.json()) as PresenceDetail & { available: true };
}
const calls = async () => ((await dir.control('GET', '/demo/stats')) as { byEndpoint: Record<string, number> }).byEndpoint[PER_PERSON] ?? 0;

it('asks Zulip again for someone who came online since their breakdown was cached, and only then', async () => {
  const id = connectedPeople(dir).find((p) => dir.runtime.view.presence.get(p)?.state === 'offline')!;
  const user = dir.demo.org.users.find((u) => u.user_id === id)!;
  expect((await breakdown(id)).breakdown.summary.state).toBe('offline');
  const before = await calls();
  expect((await breakdown(id)).breakdown.summary.state).toBe('offline');
  expect(await calls()).toBe(before);

  await reportPresence(dir.demo, user, 'active');
  await until(() => dir.runtime.view.presence.get(id)?.state === 'active', 'the presence event');
  expect((await breakdown(id)).breakdown.summary.state).toBe('active');
  expect(await calls()).toBe(before + 1);
  // The new answer holds that activity: served from the cache again.
  expect((await breakdown(id)).breakdown.summary.state).toBe('active');
  expect(await calls()).toBe(before + 1);
});
