import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStreamSettings, StreamSlots, type StreamSlotPool } from '@/lib/access/stream-limits';
import { RedisStreamSlots } from '@/lib/access/redis-stream-slots';
import { sealer } from '@/lib/server/cluster/deployment';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { redisClients } from '@/tests/support/redis-clients';
import { until } from '@/tests/support/directory';

describe('stream settings', () => {
  it('has defaults: 30 minutes, a 15 s heartbeat, 5 per viewer, 1000 in all', () => {
    expect(loadStreamSettings({})).toEqual({ ok: true, settings: { maxSeconds: 1800, heartbeatSeconds: 15, perViewer: 5, total: 1000 } });
    expect(
      loadStreamSettings({ DIRECTORY_STREAM_MAX_SECONDS: '600', DIRECTORY_STREAM_HEARTBEAT_SECONDS: '5', DIRECTORY_STREAMS_PER_VIEWER: '2', DIRECTORY_STREAMS_MAX: '50' }),
    ).toEqual({ ok: true, settings: { maxSeconds: 600, heartbeatSeconds: 5, perViewer: 2, total: 50 } });
  });

  it('names a malformed value', () => {
    for (const [name, value] of [
      ['DIRECTORY_STREAM_MAX_SECONDS', 'soon'],
      ['DIRECTORY_STREAM_MAX_SECONDS', '0'],
      ['DIRECTORY_STREAM_HEARTBEAT_SECONDS', '3600'],
      ['DIRECTORY_STREAMS_PER_VIEWER', '-1'],
      ['DIRECTORY_STREAMS_MAX', '1.5'],
    ] as const) {
      const loaded = loadStreamSettings({ [name]: value });
      expect(loaded.ok, `${name}=${value}`).toBe(false);
      if (!loaded.ok) expect(loaded.message).toMatch(new RegExp(`^${name} must be`));
    }
  });
});

const limits = { perViewer: 2, total: 3 };

let redis: RedisServer;
const clients = redisClients(() => redis);
const pools: StreamSlotPool[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const pool of pools) pool.close();
  clients.closeAll();
  await redis?.stop();
});

/** One instance's count in Redis under `prefix` (instances of one directory share it). */
async function redisPool(prefix: string, instanceId: string, slotTtlMs?: number): Promise<RedisStreamSlots> {
  const store = { redis: await clients.open(`streams-${instanceId}`), prefix, sealer: sealer('abcdef0123456789', null) };
  const pool = new RedisStreamSlots(store, { instanceId, logger: clients.logger, slotTtlMs });
  pools.push(pool);
  return pool;
}

describe.each([
  ['in memory (one instance)', async () => new StreamSlots()],
  ['in Redis', async () => redisPool(`one-${Math.random()}:`, 'a')],
])('stream slots %s', (_name, makePool) => {
  it('counts per viewer and in all, and releases each slot once', async () => {
    const slots = await makePool();
    const a1 = await slots.acquire('a', limits);
    const a2 = await slots.acquire('a', limits);
    expect(a1.ok && a2.ok).toBe(true);
    expect(await slots.acquire('a', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    const b1 = await slots.acquire('b', limits);
    expect(b1.ok).toBe(true);
    expect(await slots.acquire('c', limits)).toEqual({ ok: false, code: 'server_busy' });
    // An anonymous stream (the open mode) counts only in the total.
    expect(await slots.acquire(null, limits)).toEqual({ ok: false, code: 'server_busy' });
    if (!a1.ok) throw new Error('unreachable');
    a1.release();
    a1.release();
    expect(slots.size).toBe(2);
    await until(async () => (await slots.acquire('a', limits)).ok, 'the released slot is free again');
    expect(slots.size).toBe(3);
  });
});

describe('stream slots across instances (Redis)', () => {
  it("hold one viewer's limit and the limit in all across two instances", async () => {
    const [a, b] = [await redisPool('two:', 'a'), await redisPool('two:', 'b')];
    expect((await a.acquire('viewer-1', limits)).ok).toBe(true);
    expect((await b.acquire('viewer-1', limits)).ok).toBe(true);
    // The viewer's third, on either instance: refused.
    expect(await a.acquire('viewer-1', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    expect(await b.acquire('viewer-1', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    expect((await b.acquire('viewer-2', limits)).ok).toBe(true);
    expect(await a.acquire('viewer-3', limits)).toEqual({ ok: false, code: 'server_busy' });
    expect([a.size, b.size]).toEqual([1, 2]);
  });

  it('does not count slots that would expire later than any instance sets one (written into Redis by no instance)', async () => {
    const pool = await redisPool('forged:', 'a');
    const raw = await clients.open('streams-forger');
    const yearAhead = Date.now() + 365 * 86_400_000;
    await raw.zadd('forged:streams', yearAhead, 'x1', yearAhead, 'x2', yearAhead, 'x3');
    expect((await pool.acquire('viewer-1', limits)).ok).toBe(true);
  });

  it("frees a dead instance's slots once they expire, and keeps a live one's", async () => {
    const ttl = 600;
    const [dead, live] = [await redisPool('dead:', 'dead', ttl), await redisPool('dead:', 'live', ttl)];
    expect((await dead.acquire('viewer-1', limits)).ok).toBe(true);
    expect((await live.acquire('viewer-1', limits)).ok).toBe(true);
    expect(await live.acquire('viewer-1', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    // The instance dies: it renews nothing any more, nor gives its slot back.
    dead.close();
    await new Promise((resolve) => setTimeout(resolve, ttl * 2));
    // The live one's slot was renewed meanwhile (every ttl / 3): only the dead one's is gone.
    expect((await live.acquire('viewer-1', limits)).ok).toBe(true);
    expect(await live.acquire('viewer-1', limits)).toEqual({ ok: false, code: 'too_many_streams' });
  });

  it('counts in this instance while Redis cannot answer, and never refuses for it', async () => {
    const pool = await redisPool('down:', 'x');
    await redis.stop();
    try {
      expect((await pool.acquire('viewer-1', limits)).ok).toBe(true);
      expect((await pool.acquire('viewer-1', limits)).ok).toBe(true);
      expect(await pool.acquire('viewer-1', limits)).toEqual({ ok: false, code: 'too_many_streams' });
    } finally {
      await redis.start();
    }
  });
});
