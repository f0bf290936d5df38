// lib/access/sign-in-limiter.ts (the in-memory SignInAttempts) and lib/access/client-address.ts
// (which address a sign-in comes from), as units with a clock the test moves. The same limits
// through the real route and the demo Zulip server: tests/access/sign-in-limits.test.ts.
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, loadClientAddressSource, UNKNOWN_ADDRESS, type ClientAddressSource } from '@/lib/access/client-address';
import { MemorySignInAttempts, SIGN_IN_LIMITS, normalizeEmail, signInKeys, type MemorySignInAttemptsOptions, type SignInAttempt } from '@/lib/access/sign-in-limiter';
import { accessConfig } from '../support/directory';

const MINUTE = 60_000;

function limiter(options: Omit<MemorySignInAttemptsOptions, 'clock'> = {}) {
  let now = 1_000_000;
  const attempts = new MemorySignInAttempts({ ...options, clock: () => now });
  return {
    attempts,
    advance: (ms: number) => (now += ms),
    /** Reserves and expects it to be allowed. */
    async take(email: string, address = '192.0.2.1'): Promise<SignInAttempt> {
      const r = await attempts.reserve(signInKeys(email, address));
      if (!r.allowed) throw new Error(`refused by the ${r.limit} limit`);
      return r.attempt;
    },
    async fail(email: string, address = '192.0.2.1') {
      await attempts.failed(await this.take(email, address));
    },
    reserve: (email: string, address = '192.0.2.1') => attempts.reserve(signInKeys(email, address)),
  };
}

describe('MemorySignInAttempts', () => {
  it('has the documented defaults: 4 per email in 30 minutes, 30 per address in 15 minutes, 60 a minute in all', () => {
    expect(SIGN_IN_LIMITS).toEqual({
      email: { max: 4, windowMs: 30 * MINUTE },
      address: { max: 30, windowMs: 15 * MINUTE },
      global: { max: 60, windowMs: MINUTE },
    });
    // Under Zulip's own limit of 5 failures per 30 minutes per user name (authenticate_by_username):
    // fewer attempts, over a window at least as long, so the directory cannot lock anyone out of Zulip.
    expect(SIGN_IN_LIMITS.email.max).toBeLessThan(5);
    expect(SIGN_IN_LIMITS.email.windowMs).toBeGreaterThanOrEqual(30 * MINUTE);
  });

  it('limits an email to 4 failures in 30 minutes whatever the address, then says how long to wait', async () => {
    const l = limiter();
    for (let i = 0; i < 4; i++) {
      await l.fail('ada@example.com', `203.0.113.${i}`);
      l.advance(1000);
    }
    // Case, spaces and Unicode case variants (ſ upper-cases to S, as in Zulip's case-insensitive lookup) are one email.
    for (const variant of ['ada@example.com', ' ADA@Example.COM ']) {
      expect(await l.reserve(variant, '198.51.100.99')).toEqual({ allowed: false, limit: 'email', retryAfterSeconds: 30 * 60 - 4 });
    }
    expect(normalizeEmail('ſam@example.com')).toBe(normalizeEmail('SAM@example.com'));
    // Other people are not affected; the window passes.
    expect((await l.reserve('bob@example.com', '203.0.113.0')).allowed).toBe(true);
    // Still refused a second before the first failure is 30 minutes old (15 minutes are not enough)…
    l.advance(30 * MINUTE - 5000);
    expect(await l.reserve('ada@example.com', '203.0.113.0')).toEqual({ allowed: false, limit: 'email', retryAfterSeconds: 1 });
    // …and allowed once it is.
    l.advance(1000);
    expect((await l.reserve('ada@example.com', '203.0.113.0')).allowed).toBe(true);
  });

  it('counts an attempt when it is reserved, before its outcome: parallel attempts cannot all pass', async () => {
    const l = limiter();
    const inFlight = await Promise.all(Array.from({ length: 20 }, (_, i) => l.reserve('ada@example.com', `203.0.113.${i}`)));
    expect(inFlight.filter((r) => r.allowed)).toHaveLength(4);
    expect(inFlight.filter((r) => !r.allowed && r.limit === 'email')).toHaveLength(16);
  });

  it('a success clears that email’s failures and releases its own place; failures and attempts in flight keep theirs', async () => {
    // A small per-address limit (4, not 30) so that giving a place back at the address shows; the
    // per-email limit is the default 4, which Ada's four attempts below fill.
    const l = limiter({ limits: { address: { max: 4, windowMs: 15 * MINUTE } } });
    await l.fail('ada@example.com');
    await l.fail('ada@example.com');
    const pending = await l.take('ada@example.com');
    const good = await l.take('ada@example.com');
    expect(await l.reserve('bob@example.com')).toMatchObject({ allowed: false, limit: 'address' });
    await l.attempts.succeeded(good);
    // The success gave its place at the address back…
    const bob = await l.take('bob@example.com');
    expect(await l.reserve('carol@example.com')).toMatchObject({ allowed: false, limit: 'address' });
    // …and cleared Ada's two failures, but not her attempt still in flight: 3 more, not 4.
    for (let i = 0; i < 3; i++) await l.take('ada@example.com', `198.51.100.${i}`);
    expect(await l.reserve('ada@example.com', '198.51.100.9')).toMatchObject({ allowed: false, limit: 'email' });
    // Failures keep their places.
    await l.attempts.failed(pending);
    await l.attempts.failed(bob);
    expect(await l.reserve('carol@example.com')).toMatchObject({ allowed: false, limit: 'address' });
  });

  it('limits one address trying many people', async () => {
    const l = limiter();
    for (let i = 0; i < 30; i++) await l.fail(`user${i}@example.com`, '198.51.100.7');
    expect(await l.reserve('new@example.com', '198.51.100.7')).toEqual({ allowed: false, limit: 'address', retryAfterSeconds: 15 * 60 });
    expect((await l.reserve('new@example.com', '198.51.100.8')).allowed).toBe(true);
  });

  it('caps attempts across everyone, then says how long to wait', async () => {
    const l = limiter({ limits: { global: { max: 3, windowMs: MINUTE } } });
    for (let i = 0; i < 3; i++) {
      await l.fail(`user${i}@example.com`, `203.0.113.${i}`);
      l.advance(10_000);
    }
    expect(await l.reserve('other@example.com', '198.51.100.1')).toEqual({ allowed: false, limit: 'global', retryAfterSeconds: 30 });
    l.advance(30_000);
    expect((await l.reserve('other@example.com', '198.51.100.1')).allowed).toBe(true);
  });

  it('stays bounded with 100,000 distinct emails and addresses: the oldest keys are forgotten', async () => {
    // The global cap is set aside here (a 1 ms window) to reach the per-key caps.
    const l = limiter({ maxKeys: 1000, limits: { global: { max: 60, windowMs: 1 } } });
    for (let i = 0; i < 100_000; i++) {
      await l.fail(`u${i}@example.com`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      l.advance(1);
    }
    const size = l.attempts.size();
    expect(size.keys).toBeLessThanOrEqual(2 * 1000);
    // Each key holds at most its limit's number of times; the global list at most its own.
    expect(size.entries).toBeLessThanOrEqual(2 * 1000 + 60);
    // The newest are still counted: u99999 failed once above, so three more reach the limit of 4.
    for (let i = 0; i < 3; i++) await l.fail('u99999@example.com', '192.0.2.50');
    expect(await l.reserve('u99999@example.com', '192.0.2.50')).toMatchObject({ allowed: false, limit: 'email' });
  });

  it('stays bounded with 100,000 emails from one address, and with the default limits', async () => {
    const l = limiter();
    for (let i = 0; i < 100_000; i++) {
      const r = await l.reserve(`u${i}@example.com`, i % 2 ? '192.0.2.1' : `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      if (r.allowed) await l.attempts.failed(r.attempt);
      l.advance(250);
    }
    const size = l.attempts.size();
    expect(size.keys).toBeLessThanOrEqual(2 * 10_000);
    // The per-email max (4) places for every key, more than any email or one-off address holds here,
    // plus the shared address's 30 and the global 60.
    expect(size.entries).toBeLessThanOrEqual(2 * 10_000 * 4 + 30 + 60);
  });

  it('forgets keys whose attempts have all expired', async () => {
    const l = limiter();
    for (let i = 0; i < 50; i++) await l.fail(`u${i}@example.com`, `10.0.0.${i}`);
    // Past the longest window, the per-email 30 minutes (an address's 15 minutes would leave the emails).
    l.advance(31 * MINUTE);
    for (let i = 0; i < 10; i++) await l.fail(`later${i}@example.com`, '10.1.0.1');
    expect(l.attempts.size().keys).toBeLessThan(50);
  });
});

describe('clientAddress', () => {
  const NONE: ClientAddressSource = { kind: 'none' };
  const hops = (n: number): ClientAddressSource => ({ kind: 'forwarded-for', hops: n });
  const header: ClientAddressSource = { kind: 'header', header: 'x-real-ip' };
  const xff = (value: string) => new Headers({ 'x-forwarded-for': value });

  it('trusts no forwarded header by default', () => {
    expect(clientAddress(xff('203.0.113.5'), NONE)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers({ 'x-real-ip': '203.0.113.5' }), NONE)).toBe(UNKNOWN_ADDRESS);
  });

  it('with N trusted proxies, takes the Nth address from the right of X-Forwarded-For', () => {
    expect(clientAddress(xff('203.0.113.5'), hops(1))).toBe('203.0.113.5');
    expect(clientAddress(xff('1.1.1.1, 203.0.113.5'), hops(1))).toBe('203.0.113.5');
    expect(clientAddress(xff('1.1.1.1, 203.0.113.5, 10.0.0.1'), hops(2))).toBe('203.0.113.5');
    expect(clientAddress(xff('203.0.113.5,10.0.0.1'), hops(2))).toBe('203.0.113.5');
    // Two headers are one list, in order.
    const two = new Headers();
    two.append('x-forwarded-for', '1.1.1.1');
    two.append('x-forwarded-for', '203.0.113.5');
    expect(clientAddress(two, hops(1))).toBe('203.0.113.5');
    // Fewer entries than proxies: someone skipped a proxy.
    expect(clientAddress(xff('203.0.113.5'), hops(2))).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers(), hops(1))).toBe(UNKNOWN_ADDRESS);
  });

  it('accepts only an IP address, of bounded length; anything else is the unknown address', () => {
    for (const value of ['not-an-ip', '999.1.1.1', '01.2.3.4', '1.2.3.4:80', '[::1]', 'fe80::1%eth0', '', ' , ', `1.1.1.1,${' '.repeat(100)}1.2.3.4`, '9'.repeat(20_000), `1.1.1.1, ${'9'.repeat(5000)}`]) {
      expect(clientAddress(xff(value), hops(1)), JSON.stringify(value.slice(0, 40))).toBe(UNKNOWN_ADDRESS);
    }
    // A forged prefix does not matter when the proxy appended a real address, unless the whole header is absurdly long.
    expect(clientAddress(xff(`evil, 203.0.113.5`), hops(1))).toBe('203.0.113.5');
    expect(clientAddress(xff(`${'9'.repeat(5000)}, 203.0.113.5`), hops(1))).toBe(UNKNOWN_ADDRESS);
  });

  it('normalizes IPv6 and IPv4-mapped addresses', () => {
    expect(clientAddress(xff('2001:DB8::1'), hops(1))).toBe('2001:db8::1');
    expect(clientAddress(xff('::ffff:203.0.113.5'), hops(1))).toBe('203.0.113.5');
  });

  it('reads a configured header instead, as a single IP address', () => {
    expect(clientAddress(new Headers({ 'x-real-ip': ' 203.0.113.5 ', 'x-forwarded-for': '1.1.1.1' }), header)).toBe('203.0.113.5');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '1.1.1.1' }), header)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers({ 'x-real-ip': '203.0.113.5, 10.0.0.1' }), header)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(new Headers({ 'x-real-ip': 'x'.repeat(10_000) }), header)).toBe(UNKNOWN_ADDRESS);
  });

  it('limits IPv6 clients by their /64, which one subscriber usually holds whole', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey(UNKNOWN_ADDRESS)).toBe(UNKNOWN_ADDRESS);
  });
});

describe('client address settings', () => {
  it('reads DIRECTORY_TRUSTED_PROXY_HOPS or DIRECTORY_CLIENT_IP_HEADER', () => {
    expect(loadClientAddressSource({})).toEqual({ kind: 'none' });
    expect(loadClientAddressSource({ DIRECTORY_TRUSTED_PROXY_HOPS: '0' })).toEqual({ kind: 'none' });
    expect(loadClientAddressSource({ DIRECTORY_TRUSTED_PROXY_HOPS: ' 2 ' })).toEqual({ kind: 'forwarded-for', hops: 2 });
    expect(loadClientAddressSource({ DIRECTORY_CLIENT_IP_HEADER: 'X-Real-IP' })).toEqual({ kind: 'header', header: 'x-real-ip' });
  });

  it('refuses wrong values with a message naming the variable, and every mode then refuses everyone', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DIRECTORY_TRUSTED_PROXY_HOPS: 'one' }, /DIRECTORY_TRUSTED_PROXY_HOPS must be a whole number from 0 to 10/],
      [{ DIRECTORY_TRUSTED_PROXY_HOPS: '-1' }, /DIRECTORY_TRUSTED_PROXY_HOPS/],
      [{ DIRECTORY_TRUSTED_PROXY_HOPS: '11' }, /DIRECTORY_TRUSTED_PROXY_HOPS/],
      [{ DIRECTORY_CLIENT_IP_HEADER: 'Bad Header:' }, /DIRECTORY_CLIENT_IP_HEADER must be an HTTP header name/],
      [{ DIRECTORY_CLIENT_IP_HEADER: 'X-Forwarded-For' }, /DIRECTORY_TRUSTED_PROXY_HOPS/],
      [{ DIRECTORY_CLIENT_IP_HEADER: 'Cookie' }, /DIRECTORY_CLIENT_IP_HEADER cannot be that header/],
      [{ DIRECTORY_CLIENT_IP_HEADER: 'X-Real-IP', DIRECTORY_TRUSTED_PROXY_HOPS: '1' }, /not both/],
    ];
    for (const [env, message] of cases) {
      const source = loadClientAddressSource(env);
      expect('error' in source && source.error, JSON.stringify(env)).toMatch(message);
      const config = accessConfig({ DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 'a-long-enough-secret-of-32-chars!!', ...env });
      expect(config).toEqual({ mode: 'invalid', message: expect.stringMatching(message) as unknown as string });
    }
    // The other modes too: the hops also decide which host export links name (request-origin.ts).
    expect(accessConfig({ DIRECTORY_ACCESS: 'open', DIRECTORY_TRUSTED_PROXY_HOPS: 'one' })).toEqual({ mode: 'invalid', message: expect.stringMatching(/DIRECTORY_TRUSTED_PROXY_HOPS/) as unknown as string });
  });
});
