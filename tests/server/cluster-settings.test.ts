import { describe, expect, it } from 'vitest';
import { deploymentIdentity } from '@/lib/server/cluster/deployment';
import { loadSettings } from '@/lib/server/settings';
import { createApp } from '@/lib/server/app';
import { testSettings } from '@/tests/support/directory';

// The settings of several instances (README, "Several instances"): none means one instance.

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
/** The Redis settings of a test app with these settings. */
const redisOf = (vars: Record<string, string>) => testSettings(vars).redis;

describe('several instances: settings', () => {
  it('no REDIS_URL is one instance; a URL that is not redis:// or rediss:// is refused by name', () => {
    expect(redisOf({})).toBeNull();
    expect(redisOf({ REDIS_URL: ' ' })).toBeNull();
    const zulip = { ZULIP_SITE: 'https://chat.example.com', ZULIP_EMAIL: 'directory-bot@chat.example.com', ZULIP_API_KEY: 'abc123' };
    const deployment = deploymentIdentity('https://chat.example.com', 'directory-bot@chat.example.com');
    expect(redisOf({ ...zulip, REDIS_URL: 'redis://10.0.0.5:6379' })).toEqual({ url: 'redis://10.0.0.5:6379', keyPrefix: `zulip-directory:${deployment}:`, deployment, sharedSecret: null });
    expect(redisOf({ ...zulip, REDIS_URL: 'rediss://r.example.com', REDIS_KEY_PREFIX: 'staff' })?.keyPrefix).toBe(`staff:${deployment}:`);
    expect(() => redisOf({ REDIS_URL: 'http://10.0.0.5:6379' })).toThrow(/REDIS_URL/);
  });

  it('each deployment (Zulip site and bot) has keys of its own, whatever REDIS_KEY_PREFIX says; a shared secret must be long', () => {
    const org = (site: string, email: string, more: Record<string, string> = {}) => redisOf({ REDIS_URL: 'redis://r:6379', ZULIP_SITE: site, ZULIP_EMAIL: email, ZULIP_API_KEY: 'k', ...more })!;
    const one = org('https://one.example.com', 'bot@one.example.com');
    expect(org('https://one.example.com/', 'BOT@one.example.com').keyPrefix).toBe(one.keyPrefix);
    expect(org('https://two.example.com', 'bot@one.example.com').keyPrefix).not.toBe(one.keyPrefix);
    expect(org('https://one.example.com', 'other-bot@one.example.com').keyPrefix).not.toBe(one.keyPrefix);
    expect(org('https://one.example.com', 'bot@one.example.com', { REDIS_KEY_PREFIX: 'same' }).keyPrefix).not.toBe(org('https://two.example.com', 'bot@two.example.com', { REDIS_KEY_PREFIX: 'same' }).keyPrefix);
    expect(org('https://one.example.com', 'bot@one.example.com', { REDIS_SHARED_SECRET: 'x'.repeat(32) }).sharedSecret).toBe('x'.repeat(32));
    expect(() => org('https://one.example.com', 'bot@one.example.com', { REDIS_SHARED_SECRET: 'short' })).toThrow(/REDIS_SHARED_SECRET/);
  });

  it('the lease lasts 3 to 60 s', () => {
    expect(loadSettings(env({ DIRECTORY_LEASE_SECONDS: '10' })).DIRECTORY_LEASE_SECONDS).toBe(10);
    expect(() => loadSettings(env({ DIRECTORY_LEASE_SECONDS: '1' }))).toThrow(/DIRECTORY_LEASE_SECONDS/);
    expect(() => loadSettings(env({ DIRECTORY_LEASE_SECONDS: '120' }))).toThrow(/DIRECTORY_LEASE_SECONDS/);
  });

  it('REDIS_URL with no Zulip configured refuses to start, rather than give each instance a demo server of its own', async () => {
    const app = createApp(testSettings({ REDIS_URL: 'redis://127.0.0.1:1' }));
    await expect(app.runtime()).rejects.toThrow(/several instances need one Zulip to share/);
    await app.close();
  });
});
