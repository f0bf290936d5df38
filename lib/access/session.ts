import { z } from 'zod';

// The directory's own session for DIRECTORY_ACCESS=zulip: after a viewer proved membership with
// their Zulip credentials, a cookie holding {user id, email, issue time, expiry}, signed with
// HMAC-SHA-256 under DIRECTORY_SESSION_SECRET. Nothing secret is in it (no Zulip key or
// password). The only thing the server keeps is, per person who signed out, the time before
// which their sessions no longer count (lib/access/revocations.ts). Web Crypto, so the same code
// runs in proxy.ts and in route handlers.
//
// Over https the cookie is `__Host-directory_session` (the browser then insists on Secure,
// Path=/ and no Domain, so no other host or plain-http page can set or shadow it), and it is the
// only one read: a plain `directory_session` can be planted by a sibling subdomain (Domain=
// .example.com) or a plain-http page, and would survive the victim's sign-out. Over plain http
// (local use) the cookie is `directory_session`, the only name a browser keeps there.

export const SESSION_COOKIE = 'directory_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
const MAX_TOKEN_LENGTH = 1024;

const sessionSchema = z.object({
  v: z.literal(1),
  uid: z.number().int().positive(),
  email: z.string().max(254),
  /** Issued and expires at, Unix seconds. */
  iat: z.number().int(),
  exp: z.number().int(),
  /** The issue time to the millisecond (within `iat`'s second), so a sign-out and a new sign-in in the same second are told apart. */
  iatMs: z.number().int().optional(),
});
export type Session = Omit<z.infer<typeof sessionSchema>, 'v' | 'iatMs'> & {
  /** When it was issued, Unix milliseconds (what a revocation is compared with). */
  issuedAtMs: number;
};
/** What signSession needs: the issue time to the millisecond is taken from the clock when it falls in `iat`'s second. */
export type NewSession = Omit<Session, 'issuedAtMs'> & { issuedAtMs?: number };

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** A signed token for `session`: base64url(JSON) "." base64url(HMAC). */
export async function signSession(secret: string, session: NewSession): Promise<string> {
  const { uid, email, iat, exp } = session;
  const iatMs = withinSecond(iat, session.issuedAtMs ?? Date.now());
  const payload = toBase64Url(encoder.encode(JSON.stringify({ v: 1, uid, email, iat, exp, iatMs })));
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(payload)));
  return `${payload}.${toBase64Url(signature)}`;
}

/** The session in a token, or null when it is malformed, forged, or expired. */
export async function verifySession(secret: string, token: string | undefined, nowSeconds = Date.now() / 1000): Promise<Session | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return null;
  const sig = fromBase64Url(signature);
  if (!sig) return null;
  // crypto.subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify('HMAC', await hmacKey(secret), sig, encoder.encode(payload)))) return null;
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const parsed = sessionSchema.safeParse(json);
  if (!parsed.success || parsed.data.exp <= nowSeconds || parsed.data.iat > nowSeconds + 60) return null;
  const { uid, email, iat, exp, iatMs } = parsed.data;
  return { uid, email, iat, exp, issuedAtMs: withinSecond(iat, iatMs) };
}

/** `ms` when it lies in the second `iat` names, else the start of that second (the earliest it can have been issued). */
function withinSecond(iat: number, ms: number | undefined): number {
  return ms !== undefined && Math.floor(ms / 1000) === iat ? ms : iat * 1000;
}

/** One cookie's value from a Cookie header (the first, as browsers send the most specific first). */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether a Cookie header carries a session cookie at all, under either name (valid or not). */
export function carriesSessionCookie(header: string | null): boolean {
  return readCookie(header, SESSION_COOKIE) !== undefined || readCookie(header, SECURE_SESSION_COOKIE) !== undefined;
}

/** The session token a Cookie header carries under this scheme's name: over https only the `__Host-` one. */
export function sessionToken(header: string | null, secure: boolean): string | undefined {
  return readCookie(header, secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE) || undefined;
}

/**
 * Set-Cookie for a session: HttpOnly (no script can read it), SameSite=Lax, Path=/, no Domain;
 * over https Secure and the `__Host-` name.
 */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return [`${name}=${token}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/** Set-Cookie that removes the session (the cookie of this scheme's name). */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** Set-Cookies that remove every session cookie this scheme can hold: over https both names. */
export function clearedSessionCookies(secure: boolean): string[] {
  return secure ? [clearedSessionCookie(true), clearedSessionCookie(false)] : [clearedSessionCookie(false)];
}
