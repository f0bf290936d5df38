// Security headers (docs/architecture.md §12) on everything proxy.ts answers or passes on: a strict,
// nonce-based CSP for pages (a fresh nonce each time), a deny-all CSP for the API, and
// nosniff, a referrer policy and no framing everywhere; images only from where the
// organization's avatars are (not every https origin), and HSTS only over https.
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { proxy } from '@/proxy';
import { avatarOrigins } from '@/lib/http/avatar-origins';
import { pageCsp } from '@/lib/http/security-headers';
import { withEnv } from '../support/directory';

const ORIGIN = 'http://directory.test';
const ask = (path: string, headers: Record<string, string> = {}) => proxy(new NextRequest(`${ORIGIN}${path}`, { headers }));

function expectCommon(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
}

function directives(csp: string): Map<string, string> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+(.*)/s) as [string, string]).map(([k, v]) => [k, v ?? '']));
}

describe('security headers', () => {
  it('pages: a strict CSP with a fresh nonce, also passed to Next for its scripts', async () => {
    await withEnv({ DIRECTORY_ACCESS: 'open', DEMO_ZULIP_PORT: '9992' }, async () => {
      const a = await ask('/');
      const b = await ask('/people/10');
      expectCommon(a, '/');
      const csp = directives(a.headers.get('content-security-policy')!);
      const nonce = /'nonce-([^']+)'/.exec(csp.get('script-src')!)![1]!;
      expect(nonce.length).toBeGreaterThanOrEqual(16);
      expect(b.headers.get('content-security-policy')).not.toContain(nonce);
      expect(csp.get('script-src')).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(csp.get('default-src')).toBe("'self'");
      expect(csp.get('object-src')).toBe("'none'");
      expect(csp.get('base-uri')).toBe("'none'");
      expect(csp.get('form-action')).toBe("'self'");
      // Avatars: this app, the (http) demo Zulip and Gravatar; not every https origin, never data:, blob: or javascript:.
      expect(csp.get('img-src')).toBe("'self' http://127.0.0.1:9992 https://secure.gravatar.com");
      for (const value of csp.values()) expect(value).not.toMatch(/unsafe-eval|data:|blob:|\*/);
      expect(csp.get('script-src')).not.toContain('unsafe-inline');
      // The request Next renders carries the same policy, so it can put the nonce on its scripts.
      expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(a.headers.get('content-security-policy'));
    });
  });

  it('API answers allow nothing to run; refusals and errors carry the headers too', async () => {
    await withEnv({ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 's'.repeat(40) }, async () => {
      for (const [path, status] of [['/api/people', 401], ['/', 303], ['/people/%E0%A4%A', 400], ['/api/people/%zz', 400], ['/?q=%00', 400], ['/sign-in', 200]] as const) {
        const res = await ask(path);
        expect(res.status === 200 ? res.headers.get('x-middleware-next') : res.status, path).toBe(status === 200 ? '1' : status);
        expectCommon(res, path);
        if (path.startsWith('/api/')) expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      }
    });
  });
});

describe('images come only from where the avatars are', () => {
  it('adds the origins of the avatars the directory holds (an S3 bucket, say), and nothing else', () => {
    // What proxy.ts puts in img-src: the app's avatar origins (lib/server/app.ts) filtered here.
    const origins = avatarOrigins(['https://acme-avatars.s3.amazonaws.com/a/1.png', 'https://secure.gravatar.com/avatar/x', 'http://127.0.0.1:9992/user_avatars/2.png', 'javascript:alert(1)', "https://x.example; script-src 'unsafe-inline'", 'https://a;script-src.example/1.png', "https://a'b,c.example/", 'http://[::1]:8080/a.png']);
    const img = directives(pageCsp('n0nce', { zulipOrigin: 'http://127.0.0.1:9992', dev: false, avatarOrigins: origins })).get('img-src')!;
    // A host the URL parser allows but a policy cannot hold (";" ends a directive) stays out.
    expect(img).toBe("'self' http://127.0.0.1:9992 https://secure.gravatar.com https://acme-avatars.s3.amazonaws.com http://[::1]:8080");
    expect(img.split(' ')).not.toContain('https:');
    expect(img).not.toContain('evil');
    expect(img).not.toContain('x.example');
  });

  it('a Zulip on https is named, not every https origin', async () => {
    await withEnv({ DIRECTORY_ACCESS: 'open', ZULIP_SITE: 'https://chat.acme.example', ZULIP_EMAIL: 'bot@acme.example', ZULIP_API_KEY: 'k'.repeat(32) }, async () => {
      const img = directives((await ask('/')).headers.get('content-security-policy')!).get('img-src')!;
      expect(img).toBe("'self' https://chat.acme.example https://secure.gravatar.com");
    });
  });
});

describe('Strict-Transport-Security', () => {
  const HSTS = 'max-age=31536000; includeSubDomains';

  it('is sent over https only (directly, or as the proxy in front says), on every kind of answer', async () => {
    await withEnv({ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 's'.repeat(40) }, async () => {
      for (const path of ['/sign-in', '/', '/api/people', '/people/%zz']) {
        expect((await ask(path)).headers.get('strict-transport-security'), `${path} over http`).toBeNull();
        expect((await ask(path, { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security'), `${path} behind https`).toBe(HSTS);
        const direct = await proxy(new NextRequest(`https://directory.test${path}`));
        expect(direct.headers.get('strict-transport-security'), `${path} over https`).toBe(HSTS);
      }
    });
  });
});
