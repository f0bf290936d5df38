import { describe, expect, it } from 'vitest';
import { accessConfig } from '../support/directory';

const SECRET = 'a-long-enough-secret-of-32-chars!!';
const REAL_ZULIP = { ZULIP_SITE: 'https://chat.example.com', ZULIP_EMAIL: 'bot@example.com', ZULIP_API_KEY: 'k'.repeat(32) };

describe('loadAccessConfig', () => {
  it('is open for the demo organization when no mode is set', () => {
    expect(accessConfig({})).toEqual({ mode: 'open' });
  });

  it('refuses everyone when a real Zulip is configured and no mode is set', () => {
    expect(accessConfig(REAL_ZULIP)).toEqual({ mode: 'unconfigured' });
    // A broken Zulip configuration is not the demo either: the settings are refused before access is read.
    expect(() => accessConfig({ ZULIP_SITE: 'https://chat.example.com' })).toThrow(/ZULIP_EMAIL/);
  });

  it('reads each mode', () => {
    expect(accessConfig({ ...REAL_ZULIP, DIRECTORY_ACCESS: 'open' })).toEqual({ mode: 'open' });
    expect(accessConfig({ DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET })).toEqual({
      mode: 'proxy',
      identityHeader: 'x-forwarded-email',
      secretHeader: 'x-directory-proxy-secret',
      secret: SECRET,
    });
    expect(accessConfig({ DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET, DIRECTORY_PROXY_HEADER: 'X-Auth-Request-Email' })).toMatchObject({
      identityHeader: 'x-auth-request-email',
    });
    expect(accessConfig({ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET })).toEqual({ mode: 'zulip', sessionSecret: SECRET, sessionSeconds: 12 * 3600 });
  });

  it('fails closed with one clear message naming the variable, never its value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DIRECTORY_ACCESS: 'everyone' }, /DIRECTORY_ACCESS must be "open", "proxy" or "zulip"/],
      [{ DIRECTORY_ACCESS: 'zulip' }, /DIRECTORY_SESSION_SECRET is required/],
      [{ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 'short-secret' }, /DIRECTORY_SESSION_SECRET must be at least 32 characters/],
      [{ DIRECTORY_ACCESS: 'proxy' }, /DIRECTORY_PROXY_SECRET is required/],
      [{ DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET, DIRECTORY_PROXY_HEADER: 'Bad Header:' }, /DIRECTORY_PROXY_HEADER must be an HTTP header name/],
      [{ DIRECTORY_ACCESS: 'proxy', DIRECTORY_PROXY_SECRET: SECRET, DIRECTORY_PROXY_HEADER: 'Cookie' }, /DIRECTORY_PROXY_HEADER cannot be that header/],
    ];
    for (const [env, message] of cases) {
      const config = accessConfig(env);
      expect(config.mode).toBe('invalid');
      if (config.mode !== 'invalid') continue;
      expect(config.message).toMatch(message);
      expect(config.message).not.toContain('short-secret');
    }
  });
});
