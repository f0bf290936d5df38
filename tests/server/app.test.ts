// The composition root (docs/architecture.md §16): every setting read once through one schema,
// every part built in one place from those settings, and nothing shared between two apps of
// one process but what they are handed.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '@/lib/server/app';
import { SETTING_NAMES } from '@/lib/server/app-settings';
import { CoalescingCache } from '@/lib/server/detail-cache';
import { RedisDetailCache } from '@/lib/server/cluster/redis-detail-cache';
import { RedisRateBudget } from '@/lib/server/cluster/redis-rate-budget';
import { RateBudget } from '@/lib/zulip/rate-budget';
import { MemorySessionRevocations } from '@/lib/access/revocations';
import { RedisSessionRevocations } from '@/lib/access/redis-revocations';
import { MemorySignInAttempts } from '@/lib/access/sign-in-limiter';
import { RedisSignInAttempts } from '@/lib/access/redis-sign-in-attempts';
import { startRedisServer, type RedisServer } from '@/tests/support/redis-server';
import { testSettings } from '@/tests/support/directory';

const ZULIP = { ZULIP_SITE: 'https://chat.example.com', ZULIP_EMAIL: 'directory-bot@chat.example.com', ZULIP_API_KEY: 'k'.repeat(32) };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

describe('settings', () => {
  it("the README's settings tables name exactly the settings the app reads", () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    // Every table row whose first cell names settings: `NAME` (or several, comma-separated).
    const documented = new Set<string>();
    for (const line of readme.split('\n')) {
      const first = /^\| ([^|]+) \|/.exec(line)?.[1] ?? '';
      for (const [, name] of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) documented.add(name!);
    }
    expect([...documented].filter((name) => !SETTING_NAMES.includes(name as never)).sort()).toEqual([]);
    expect(SETTING_NAMES.filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  it('are read from what the app is given, never from the process environment', () => {
    process.env.DIRECTORY_ACCESS = 'proxy';
    try {
      expect(testSettings({}).access.config.mode).toBe('open');
      expect(testSettings(ZULIP).access.config.mode).toBe('unconfigured');
    } finally {
      delete process.env.DIRECTORY_ACCESS;
    }
  });
});

describe('the parts', () => {
  it('one process on its own: everything in memory, nothing opened', async () => {
    const app = createApp(testSettings(ZULIP));
    expect(app.store).toBeNull();
    expect(app.budget).toBeInstanceOf(RateBudget);
    expect(app.detailCache).toBeInstanceOf(CoalescingCache);
    expect(app.revocations).toBeInstanceOf(MemorySessionRevocations);
    expect(app.signInAttempts).toBeInstanceOf(MemorySignInAttempts);
    await app.close();
  });

  it('with REDIS_URL: the shared parts, under the deployment\'s own prefix', async () => {
    const app = createApp(testSettings({ ...ZULIP, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'app-test' }));
    expect(app.store?.prefix).toMatch(/^app-test:[0-9a-f]{16}:$/);
    expect(app.budget).toBeInstanceOf(RedisRateBudget);
    expect(app.detailCache).toBeInstanceOf(RedisDetailCache);
    expect(app.revocations).toBeInstanceOf(RedisSessionRevocations);
    expect(app.signInAttempts).toBeInstanceOf(RedisSignInAttempts);
    await app.detailCache.get(7, async () => ({ kind: 'none', reason: 'never connected' }));
    // Stored with its key (redis-detail-cache.ts), under the deployment's prefix.
    const key = `${app.store!.prefix}detail:presence-detail:7`;
    expect(await app.store!.redis.hget(key, 'value')).toBe(`${key}\n{"kind":"none","reason":"never connected"}`);
    await app.close();
  });

  it('two apps in one process share nothing they were not handed', async () => {
    const [a, b] = [createApp(testSettings(ZULIP)), createApp(testSettings(ZULIP))];
    const now = Date.now();
    await a.revocations.revokeBefore(5, now, now + 60_000);
    expect(await a.revocations.isRevoked(5, now - 1)).toBe(true);
    expect(await b.revocations.isRevoked(5, now - 1)).toBe(false);
    const slot = await a.streamSlots.acquire('person:5', { perViewer: 1, total: 1 });
    expect(slot.ok).toBe(true);
    expect((await b.streamSlots.acquire('person:5', { perViewer: 1, total: 1 })).ok).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });
});
