import { describe, expect, it } from 'vitest';
import { constantTimeEqual, readProxyIdentity } from '@/lib/access/proxy-identity';

const config = { identityHeader: 'x-forwarded-email', secretHeader: 'x-directory-proxy-secret', secret: 'proxy-secret-proxy-secret-0123456789' };
const headers = (h: Record<string, string>) => new Headers(h);

describe('readProxyIdentity', () => {
  it('trusts the identity header only together with the proxy secret', () => {
    expect(readProxyIdentity(headers({ 'x-forwarded-email': 'Ada@Example.com' }), config)).toEqual({ ok: false, reason: 'no_secret' });
    expect(readProxyIdentity(headers({ 'x-forwarded-email': 'ada@example.com', 'x-directory-proxy-secret': 'guess' }), config)).toEqual({ ok: false, reason: 'wrong_secret' });
    expect(readProxyIdentity(headers({ 'x-directory-proxy-secret': config.secret }), config)).toEqual({ ok: false, reason: 'no_identity' });
    expect(readProxyIdentity(headers({ 'x-directory-proxy-secret': config.secret, 'x-forwarded-email': '12' }), config)).toEqual({ ok: false, reason: 'bad_identity' });
    expect(readProxyIdentity(headers({ 'x-directory-proxy-secret': config.secret, 'x-forwarded-email': 'a@b, c@d' }), config)).toEqual({ ok: false, reason: 'bad_identity' });
    expect(readProxyIdentity(headers({ 'x-directory-proxy-secret': config.secret, 'x-forwarded-email': ' Ada@Example.com ' }), config)).toEqual({ ok: true, email: 'ada@example.com' });
  });

  it('compares secrets without caring where they differ', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
