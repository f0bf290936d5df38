import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadZulipConfig, normalizeSite } from '@/lib/zulip/config';
import { ZulipConfigError } from '@/lib/zulip/errors';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const emptyHome = () => mkdtempSync(path.join(os.tmpdir(), 'zulip-home-'));

function configError(fn: () => unknown): ZulipConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZulipConfigError);
    const err = e as ZulipConfigError;
    expect(String(err)).not.toContain(KEY);
    expect(JSON.stringify(err)).not.toContain(KEY);
    return err;
  }
  throw new Error('expected a ZulipConfigError');
}

function writeRc(content: string, dir = emptyHome(), name = 'zuliprc'): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('loadZulipConfig from the environment', () => {
  it('reads the three variables and normalizes the site', () => {
    const result = loadZulipConfig(
      { ZULIP_SITE: 'chat.example.com/', ZULIP_EMAIL: 'bot@chat.example.com', ZULIP_API_KEY: KEY },
      emptyHome(),
    );
    expect(result).toEqual({
      mode: 'zulip',
      source: 'env',
      config: { site: 'https://chat.example.com', email: 'bot@chat.example.com', apiKey: KEY },
    });
  });

  it('names the one missing variable and the ones that are set', () => {
    const err = configError(() => loadZulipConfig({ ZULIP_SITE: 'https://z.example.com', ZULIP_EMAIL: 'b@z.example.com' }, emptyHome()));
    expect(err.message).toBe('ZULIP_API_KEY is not set (ZULIP_SITE and ZULIP_EMAIL are)');
  });

  it('names several missing variables', () => {
    const err = configError(() => loadZulipConfig({ ZULIP_API_KEY: KEY }, emptyHome()));
    expect(err.message).toBe('ZULIP_SITE and ZULIP_EMAIL are not set (ZULIP_API_KEY is)');
  });

  it.each([
    [{ ZULIP_SITE: 'ftp://z.example.com' }, 'ZULIP_SITE is not an http(s) URL'],
    [{ ZULIP_SITE: 'https://exa mple.com' }, 'ZULIP_SITE is not a URL'],
    [{ ZULIP_SITE: 'https://user:pw@z.example.com' }, 'ZULIP_SITE must not contain a user name or password'],
    [{ ZULIP_EMAIL: 'not-an-email' }, 'ZULIP_EMAIL is not an email address'],
    [{ ZULIP_API_KEY: `${KEY} extra` }, 'ZULIP_API_KEY is malformed'],
  ])('rejects an invalid value %j', (override, message) => {
    const env = { ZULIP_SITE: 'https://z.example.com', ZULIP_EMAIL: 'b@z.example.com', ZULIP_API_KEY: KEY, ...override };
    const err = configError(() => loadZulipConfig(env, emptyHome()));
    expect(err.message).toContain(message);
  });

  it('treats empty variables as unset, so nothing configured means demo mode', () => {
    expect(loadZulipConfig({ ZULIP_SITE: '', ZULIP_EMAIL: ' ', ZULIP_API_KEY: '' }, emptyHome())).toEqual({ mode: 'demo' });
    expect(loadZulipConfig({}, emptyHome())).toEqual({ mode: 'demo' });
  });

  it('refuses ZULIPRC together with the variables', () => {
    const err = configError(() => loadZulipConfig({ ZULIPRC: '/tmp/x', ZULIP_SITE: 'https://z.example.com' }, emptyHome()));
    expect(err.message).toContain('ZULIPRC');
    expect(err.message).toContain('ZULIP_SITE');
  });
});

describe('loadZulipConfig from a zuliprc file', () => {
  it('reads [api] from the file named by ZULIPRC (comments, spacing and ":" allowed)', () => {
    const file = writeRc(`# downloaded from Zulip\n[api]\nemail = bot@z.example.com\nkey: ${KEY}\nsite=https://z.example.com/\n\n[other]\nsite=ignored\n`);
    expect(loadZulipConfig({ ZULIPRC: file }, emptyHome())).toEqual({
      mode: 'zulip',
      source: 'zuliprc',
      config: { site: 'https://z.example.com', email: 'bot@z.example.com', apiKey: KEY },
    });
  });

  it('falls back to ~/.zuliprc only when ZULIPRC is unset and the file exists', () => {
    const home = emptyHome();
    writeRc(`[api]\nemail=bot@z.example.com\nkey=${KEY}\nsite=localhost:9991\n`, home, '.zuliprc');
    const result = loadZulipConfig({}, home);
    expect(result).toMatchObject({ mode: 'zulip', source: 'zuliprc', config: { site: 'http://localhost:9991' } });
    // Environment variables win over the home file.
    const env = { ZULIP_SITE: 'https://e.example.com', ZULIP_EMAIL: 'e@e.example.com', ZULIP_API_KEY: KEY };
    expect(loadZulipConfig(env, home)).toMatchObject({ source: 'env', config: { site: 'https://e.example.com' } });
  });

  it('expands ~ in ZULIPRC', () => {
    const home = emptyHome();
    mkdirSync(path.join(home, 'conf'));
    writeRc(`[api]\nemail=bot@z.example.com\nkey=${KEY}\nsite=https://z.example.com\n`, path.join(home, 'conf'));
    expect(loadZulipConfig({ ZULIPRC: '~/conf/zuliprc' }, home)).toMatchObject({ mode: 'zulip', source: 'zuliprc' });
  });

  it('names the file and the missing key', () => {
    const file = writeRc(`[api]\nemail=bot@z.example.com\nsite=https://z.example.com\n`);
    expect(configError(() => loadZulipConfig({ ZULIPRC: file }, emptyHome())).message).toBe(`zuliprc ${file}: [api] key is missing`);
  });

  it('names the file and the invalid key', () => {
    const file = writeRc(`[api]\nemail=bot@z.example.com\nkey=${KEY}\nsite=not a url\n`);
    expect(configError(() => loadZulipConfig({ ZULIPRC: file }, emptyHome())).message).toBe(`zuliprc ${file}: [api] site is not a URL`);
  });

  it('never echoes a malformed key from the file', () => {
    const file = writeRc(`[api]\nemail=bot@z.example.com\nkey=${KEY}:oops\nsite=https://z.example.com\n`);
    const err = configError(() => loadZulipConfig({ ZULIPRC: file }, emptyHome()));
    expect(err.message).toBe(`zuliprc ${file}: [api] key is malformed (it must not contain spaces or ":")`);
  });

  it('reports a file without an [api] section', () => {
    const file = writeRc(`email=bot@z.example.com\n`);
    expect(configError(() => loadZulipConfig({ ZULIPRC: file }, emptyHome())).message).toBe(`zuliprc ${file}: no [api] section`);
  });

  it('reports a ZULIPRC that points nowhere', () => {
    const missing = path.join(emptyHome(), 'nope');
    expect(configError(() => loadZulipConfig({ ZULIPRC: missing }, emptyHome())).message).toBe(
      `ZULIPRC is set to ${missing}, which does not exist`,
    );
  });
});

describe('normalizeSite', () => {
  it.each([
    ['chat.example.com', 'https://chat.example.com'],
    ['https://chat.example.com///', 'https://chat.example.com'],
    ['HTTPS://Chat.Example.com:443/', 'https://chat.example.com'],
    ['localhost:9991', 'http://localhost:9991'],
    ['http://127.0.0.1:9991/api/v1/', 'http://127.0.0.1:9991'],
    ['https://example.com/zulip/api', 'https://example.com/zulip'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSite(input)).toEqual({ ok: true, site: expected });
  });
});
