// A page waits for the directory's first data at most once (DirectoryRuntime.ready, docs/architecture.md §11):
// not at all while the shared store is out of reach, and, on a follower whose leader has no data to
// share (Zulip down at a cold start), not again after one whole wait. Against a real Redis.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '@/lib/server/app';
import { freePort, startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { testSettings, until } from '@/tests/support/directory';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

/** A Zulip that answers nothing: its port is closed. */
const closedZulip = async () => `http://127.0.0.1:${await freePort()}`;

async function appFor(vars: Record<string, string>) {
  const app = createApp(testSettings({ ZULIP_EMAIL: 'bot@example.com', ZULIP_API_KEY: 'k'.repeat(32), ZULIP_TIMEOUT_SECONDS: '3', DIRECTORY_LEASE_SECONDS: '3', ...vars }));
  onTestFinished(() => app.close());
  return app;
}

/** How long a request waits for the directory, in ms. */
async function waited(app: Awaited<ReturnType<typeof appFor>>): Promise<number> {
  const started = Date.now();
  const runtime = await app.directory();
  expect(runtime.loaded).toBe(false);
  return Date.now() - started;
}

describe('before the first data', () => {
  it('a request does not wait while the shared store is out of reach: its answer says so at once', async () => {
    const app = await appFor({ ZULIP_SITE: await closedZulip(), REDIS_URL: `redis://127.0.0.1:${await freePort()}`, REDIS_KEY_PREFIX: 'ready-unreachable' });
    const runtime = await app.runtime();
    await until(() => runtime.freshness().stale, 'the store found out of reach');
    expect(await waited(app)).toBeLessThan(1_000);
  }, 15_000);

  it('a follower whose leader has nothing to share waits once, then answers at once', async () => {
    // The same deployment (one Zulip, one bot): the second instance follows the first.
    const vars = { ZULIP_SITE: await closedZulip(), REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'ready-follower' };
    const leader = await appFor(vars);
    await (await leader.runtime()).ready();
    const follower = await appFor(vars);
    const runtime = await follower.runtime();
    await until(() => runtime.cluster().role === 'follower', 'the second instance following');
    expect(await waited(follower)).toBeGreaterThanOrEqual(2_500);
    expect(await waited(follower)).toBeLessThan(1_000);
  }, 20_000);
});
