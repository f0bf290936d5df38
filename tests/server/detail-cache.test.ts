import { describe, expect, it } from 'vitest';
import { CoalescingCache } from '@/lib/server/detail-cache';

describe('CoalescingCache', () => {
  it('coalesces concurrent loads into one and reuses the value within the TTL', async () => {
    const cache = new CoalescingCache<number, string>(10_000);
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return 'value';
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.get(1, load)));
    expect(calls).toBe(1);
    expect(results.every((r) => r.value === 'value' && !r.stale)).toBe(true);
    await cache.get(1, load);
    expect(calls).toBe(1);
  });

  it('serves the last value marked stale when a refresh fails, and throws only with nothing cached', async () => {
    const cache = new CoalescingCache<number, string>(0);
    await cache.get(1, async () => 'old');
    const stale = await cache.get(1, async () => {
      throw new Error('upstream down');
    });
    expect(stale).toMatchObject({ value: 'old', stale: true });
    await expect(
      cache.get(2, async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
  });

  it('reuses a value put from elsewhere (another instance) within the TTL, and falls back on it', async () => {
    const cache = new CoalescingCache<number, string>(10_000);
    cache.put(1, 'shared', Date.now());
    let calls = 0;
    expect(await cache.get(1, async () => (calls++, 'loaded'))).toMatchObject({ value: 'shared', stale: false });
    expect(calls).toBe(0);
    cache.put(1, 'older', Date.now() - 60_000);
    expect((await cache.get(1, async () => 'loaded')).value).toBe('shared');
  });

  it('loads again for a caller that needs a younger value than the TTL; the others keep theirs', async () => {
    const cache = new CoalescingCache<number, string>(10_000);
    await cache.get(1, async () => 'v1');
    await new Promise((r) => setTimeout(r, 20));
    expect((await cache.get(1, async () => 'unused')).value).toBe('v1');
    expect((await cache.get(1, async () => 'v2', { maxAgeMs: 10 })).value).toBe('v2');
    expect((await cache.get(1, async () => 'unused')).value).toBe('v2');
  });

  it('keeps at most maxEntries values', async () => {
    const cache = new CoalescingCache<number, number>(10_000, 2);
    let loads = 0;
    const load = (n: number) => async () => (loads++, n);
    await cache.get(1, load(1));
    await cache.get(2, load(2));
    await cache.get(3, load(3));
    await cache.get(1, load(1));
    expect(loads).toBe(4);
  });
});
