// Without REDIS_URL the factories hand out the in-process parts, as before there were several
// instances (with it: cluster-factories.test.ts).
import { describe, expect, it } from 'vitest';
import { requestBudget } from '@/lib/server/cluster/request-budget';
import { detailCache } from '@/lib/server/cluster/shared-detail-cache';
import { CoalescingCache } from '@/lib/server/detail-cache';
import { defaultRateBudget } from '@/lib/zulip/rate-budget';

describe('choosing Redis or memory: no REDIS_URL', () => {
  it("the process's own request budget and an in-memory detail cache", async () => {
    expect(requestBudget({ NODE_ENV: 'test' })).toBe(defaultRateBudget);
    const cache = detailCache<number, string>('factories', 10_000, { parse: (v) => (typeof v === 'string' ? v : null), env: { NODE_ENV: 'test' } });
    expect(cache).toBeInstanceOf(CoalescingCache);
    expect(await cache.get(1, async () => 'value')).toMatchObject({ value: 'value', stale: false });
  });
});
