import { describe, expect, it } from 'vitest';
import { clientAddress, SignInLimiter } from '@/lib/access/sign-in-limiter';

describe('SignInLimiter', () => {
  it('allows 5 failures per address + email in the window, then says how long to wait', () => {
    const limiter = new SignInLimiter({ perAccount: 5, perAddress: 100, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(limiter.check('1.2.3.4', 'ada@example.com', 1000 + i).allowed).toBe(true);
      limiter.failed('1.2.3.4', 'ada@example.com', 1000 + i);
    }
    expect(limiter.check('1.2.3.4', 'ADA@example.com ', 2000)).toEqual({ allowed: false, retryAfterSeconds: 59 });
    // Other people and other addresses are not affected; the window passes.
    expect(limiter.check('1.2.3.4', 'bob@example.com', 2000).allowed).toBe(true);
    expect(limiter.check('5.6.7.8', 'ada@example.com', 2000).allowed).toBe(true);
    expect(limiter.check('1.2.3.4', 'ada@example.com', 61_001).allowed).toBe(true);
  });

  it('limits one address trying many people, and a success clears that person', () => {
    const limiter = new SignInLimiter({ perAccount: 3, perAddress: 4, windowMs: 60_000 });
    for (let i = 0; i < 4; i++) limiter.failed('9.9.9.9', `user${i}@example.com`, 1000);
    expect(limiter.check('9.9.9.9', 'new@example.com', 1000).allowed).toBe(false);
    const other = new SignInLimiter({ perAccount: 2, perAddress: 100 });
    other.failed('a', 'x@example.com');
    other.failed('a', 'x@example.com');
    expect(other.check('a', 'x@example.com').allowed).toBe(false);
    other.succeeded('a', 'x@example.com');
    expect(other.check('a', 'x@example.com').allowed).toBe(true);
  });

  it('stays bounded in memory', () => {
    const limiter = new SignInLimiter({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.failed(`10.0.${i >> 8}.${i & 255}`, `u${i}@example.com`);
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(100);
  });

  it('reads the nearest proxy’s client address', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' }))).toBe('203.0.113.5');
    expect(clientAddress(new Headers())).toBe('unknown');
  });
});
