import { describe, expect, it } from 'vitest';
import { redisSettings } from '@/lib/server/cluster/redis';
import { loadSettings } from '@/lib/server/settings';
import { getRuntime } from '@/lib/server/runtime';
import { withEnv } from '@/tests/support/directory';
import { NO_ACCESS_MODE } from '@/tests/support/access-env';

// The settings of several instances (README, "Several instances"): none means one instance.

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe('several instances: settings', () => {
  it('no REDIS_URL is one instance; a URL that is not redis:// or rediss:// is refused by name', () => {
    expect(redisSettings(env({}))).toBeNull();
    expect(redisSettings(env({ REDIS_URL: ' ' }))).toBeNull();
    expect(redisSettings(env({ REDIS_URL: 'redis://10.0.0.5:6379' }))).toEqual({ url: 'redis://10.0.0.5:6379', keyPrefix: 'zulip-directory:' });
    expect(redisSettings(env({ REDIS_URL: 'rediss://r.example.com', REDIS_KEY_PREFIX: 'staff' }))?.keyPrefix).toBe('staff:');
    expect(() => redisSettings(env({ REDIS_URL: 'http://10.0.0.5:6379' }))).toThrow(/REDIS_URL/);
  });

  it('the lease lasts 3 to 60 s', () => {
    expect(loadSettings(env({ DIRECTORY_LEASE_SECONDS: '10' })).DIRECTORY_LEASE_SECONDS).toBe(10);
    expect(() => loadSettings(env({ DIRECTORY_LEASE_SECONDS: '1' }))).toThrow(/DIRECTORY_LEASE_SECONDS/);
    expect(() => loadSettings(env({ DIRECTORY_LEASE_SECONDS: '120' }))).toThrow(/DIRECTORY_LEASE_SECONDS/);
  });

  it('REDIS_URL with no Zulip configured refuses to start, rather than give each instance a demo server of its own', async () => {
    await withEnv({ ...NO_ACCESS_MODE, REDIS_URL: 'redis://127.0.0.1:1' }, async () => {
      await expect(getRuntime()).rejects.toThrow(/several instances need one Zulip to share/);
    });
  });
});
