import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, readCookie, sessionCookie, signSession, verifySession } from '@/lib/access/session';

const SECRET = 'session-secret-for-tests-0123456789abcdef';
const NOW = 1_800_000_000;
const session = { uid: 42, email: 'ada@example.com', iat: NOW, exp: NOW + 3600 };

describe('session tokens', () => {
  it('round-trips and carries nothing secret', async () => {
    const token = await signSession(SECRET, session);
    expect(await verifySession(SECRET, token, NOW + 10)).toEqual({ ...session, issuedAtMs: NOW * 1000 });
    expect(token).not.toContain(SECRET);
  });

  it('refuses forged, altered, foreign, expired and malformed tokens', async () => {
    const token = await signSession(SECRET, session);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, ...session, uid: 1 })).toString('base64url');
    expect(await verifySession(SECRET, `${forged}.${signature}`, NOW)).toBeNull();
    expect(await verifySession(SECRET, `${payload}.${signature.slice(0, -2)}AA`, NOW)).toBeNull();
    expect(await verifySession('another-secret-another-secret-0000000', token, NOW)).toBeNull();
    expect(await verifySession(SECRET, token, NOW + 3600)).toBeNull();
    for (const junk of ['', '.', 'a.b.c', `${payload}.`, `${payload}.${signature}.x`, 'x'.repeat(5000), `${payload}.!!!`]) {
      expect(await verifySession(SECRET, junk, NOW)).toBeNull();
    }
    // A correctly signed payload that is not a session.
    const other = await signSession(SECRET, { ...session, uid: -5 } as typeof session);
    expect(await verifySession(SECRET, other, NOW)).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Lax cookie, Secure over https, and clears it', () => {
    expect(sessionCookie('t', 60, false)).toBe('directory_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
    expect(sessionCookie('t', 60, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
    expect(readCookie('a=1; directory_session=tok; b=2', 'directory_session')).toBe('tok');
    expect(readCookie(null, 'directory_session')).toBeUndefined();
  });
});
