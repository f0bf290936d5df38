// The breakdown route once the request budget is spent (docs/architecture.md §5): from Zulip 7.0
// to 12.0-dev the per-person answer holds nothing the organization snapshot lacks, so the
// snapshot answers, saying so; before 7.0 only that answer has per-device rows, so it is an
// honest 503 with Retry-After. The budget is spent the real way: the demo server enforces a small
// per-bot limit, and breakdowns of different people are opened until the budget refuses one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as presenceDetailRoute } from '@/app/api/people/[ref]/presence/route';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import type { CoalescingCache } from '@/lib/server/detail-cache';
import type { LoadedDetail } from '@/lib/server/presence-detail-value';
import type { RateBudget } from '@/lib/zulip/rate-budget';
import { connectedPeople, startTestDirectory, type TestDirectory } from '../support/directory';

const PER_PERSON = 'GET /api/v1/users/{user_id_or_email}/presence';
/** Slow enough that the one refresh the test may see costs little of the small limit. */
const REFRESH_SECONDS = 30;

type Answer = { status: number; retryAfter: string | null; body: PresenceDetail & { error?: { code: string; message: string } } };

async function breakdown(id: number): Promise<Answer> {
  const res = await presenceDetailRoute(new Request(`http://directory.test/api/people/${id}/presence`), { params: Promise.resolve({ ref: String(id) }) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}

describe.each([
  { version: '4.x', featureLevel: 65, fromSnapshot: false },
  { version: '7.x', featureLevel: 185, fromSnapshot: true },
  { version: '10.x', featureLevel: 372, fromSnapshot: true },
])('Zulip $version (feature level $featureLevel), the request budget spent', ({ featureLevel, fromSnapshot }) => {
  let dir: TestDirectory;
  let refused: { id: number; answer: Answer; rateLimited: number };

  const stats = async () => (await dir.control('GET', '/demo/stats')) as { rateLimited: number; byEndpoint: Record<string, number> };

  beforeAll(async () => {
    dir = await startTestDirectory({
      demo: { users: 40, seed: 5, featureLevel, rateLimit: { requests: 20, windowSeconds: 60 } },
      settings: { PRESENCE_REFRESH_SECONDS: REFRESH_SECONDS },
    });
    const people = connectedPeople(dir);

    // Different people, so every breakdown needs its own call, until one reaches no Zulip.
    for (const [i, id] of people.entries()) {
      const perPersonCallsBefore = (await stats()).byEndpoint[PER_PERSON] ?? 0;
      const answer = await breakdown(id);
      const after = await stats();
      const perPersonCallsAfter = after.byEndpoint[PER_PERSON] ?? 0;
      if (perPersonCallsAfter > perPersonCallsBefore) continue;
      refused = { id, answer, rateLimited: after.rateLimited };
      expect(i).toBeGreaterThan(0);
      return;
    }
    throw new Error(`the budget never refused a call in ${people.length} breakdowns`);
  }, 30_000);

  afterAll(() => dir?.close());

  it('was refused by the app’s budget: Zulip never had to answer 429', () => {
    expect(dir.runtime.client.rateLimit().interactiveAvailable).toBe(false);
    expect(refused.rateLimited).toBe(0);
  });

  if (fromSnapshot) {
    it('answers from the snapshot, saying so and how old it is, with the person’s badge', () => {
      const { status, body } = refused.answer;
      expect(status).toBe(200);
      expect(body).toMatchObject({ personId: refused.id, available: true, source: 'snapshot', stale: false });
      if (body.source !== 'snapshot' || !body.available) throw new Error('not a snapshot breakdown');
      expect(body.snapshotAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(body.snapshotAgeSeconds).toBeLessThanOrEqual(REFRESH_SECONDS + 5);
      expect(body.snapshotAt).toBe(Math.floor(dir.runtime.freshness().presenceUpdatedAt! / 1000));
      const badge = dir.runtime.view.presence.get(refused.id);
      expect(badge?.lastActiveAt).toBeTruthy();
      expect(body.breakdown.summary).toEqual(badge);
      expect(body.breakdown.rows).toEqual([{ client: 'aggregated', label: 'All devices', state: badge!.state, lastReportedAt: badge!.lastActiveAt, mostRecent: false }]);
      expect(body.breakdown.note).toMatch(/reports presence for all devices together/);
    });

    it('answers from the snapshot rather than from an answer kept from long before it', async () => {
      // An answer about this person kept from an hour ago (as if their profile was opened this morning).
      const cache = dir.app.detailCache as CoalescingCache<number, LoadedDetail>;
      cache.put(refused.id, { kind: 'none', reason: 'Kept from an hour ago.' }, dir.app.clock.now() - 3_600_000);
      expect(dir.runtime.client.rateLimit().interactiveAvailable).toBe(false);
      const { status, body } = await breakdown(refused.id);
      expect(status).toBe(200);
      expect(body).toMatchObject({ personId: refused.id, available: true, source: 'snapshot' });
    });

    it('still asks Zulip again once the budget allows (nothing from the snapshot is cached)', async () => {
      // The budget allows again (as when the server's window has passed): the whole limit is ours.
      const budget = dir.runtime.client.budget as RateBudget;
      budget.configure({ share: 1, backgroundReserve: 0 });
      try {
        const again = await breakdown(refused.id);
        expect(again.status).toBe(200);
        expect(again.body.source).toBe('zulip');
      } finally {
        budget.configure({ share: 0.8, backgroundReserve: 0.25 });
      }
    });
  } else {
    it('answers 503 with Retry-After: only Zulip’s answer has the per-device rows', () => {
      const { status, retryAfter, body } = refused.answer;
      expect(status).toBe(503);
      expect(body.error?.code).toBe('upstream_rate_limited');
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(body.error?.message).toBe(`Zulip is rate-limiting the directory; try again in ${retryAfter} s.`);
    });
  }
});
