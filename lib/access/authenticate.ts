import { servedOverHttps, type AccessSettings } from '@/lib/access/config';
import { readProxyIdentity } from '@/lib/access/proxy-identity';
import type { SessionRevocations } from '@/lib/access/revocations';
import { sessionToken, verifySession, type Session } from '@/lib/access/session';

// Who is asking, as far as the request itself can tell: the open mode, a valid session cookie
// that was not signed out, or a proxy-asserted email with the proxy's secret. Headers in,
// verdict out (the one thing it looks up is the sign-out times, lib/access/revocations.ts), and
// used twice: by proxy.ts, which turns anonymous requests away before any route runs, and by
// every page and route (lib/server/viewer.ts), which also checks that the person is an active
// member. The presence stream runs the same check again at every heartbeat.

export type Identity =
  | { kind: 'session'; userId: number; email: string; /** Unix seconds. */ expiresAt: number }
  | { kind: 'proxy'; email: string };

export type Authentication =
  | { status: 'open' }
  | { status: 'signed-in'; identity: Identity }
  | { status: 'anonymous'; mode: 'proxy' | 'zulip' }
  | { status: 'not-configured' }
  | { status: 'misconfigured'; message: string };

export async function authenticate(headers: Headers, access: AccessSettings, revocations: SessionRevocations, nowSeconds = Date.now() / 1000): Promise<Authentication> {
  const { config } = access;
  switch (config.mode) {
    case 'open':
      return { status: 'open' };
    case 'unconfigured':
      return { status: 'not-configured' };
    case 'invalid':
      return { status: 'misconfigured', message: config.message };
    case 'proxy': {
      const identity = readProxyIdentity(headers, config);
      return identity.ok ? { status: 'signed-in', identity: { kind: 'proxy', email: identity.email } } : { status: 'anonymous', mode: 'proxy' };
    }
    case 'zulip': {
      const session = await currentSession(headers, { ...access, config }, revocations, nowSeconds);
      return session
        ? { status: 'signed-in', identity: { kind: 'session', userId: session.uid, email: session.email, expiresAt: session.exp } }
        : { status: 'anonymous', mode: 'zulip' };
    }
  }
}

/** The request's session when it is genuine, unexpired and not signed out, else null; over https only the `__Host-` cookie counts (session.ts). */
export async function currentSession(
  headers: Headers,
  access: Pick<AccessSettings, 'publicUrl'> & { config: { sessionSecret: string } },
  revocations: SessionRevocations,
  nowSeconds = Date.now() / 1000,
): Promise<Session | null> {
  const session = await verifySession(access.config.sessionSecret, sessionToken(headers.get('cookie'), servedOverHttps(headers, undefined, access)), nowSeconds);
  return session && !(await revocations.isRevoked(session.uid, session.issuedAtMs)) ? session : null;
}

/** What a refused request is told; the same words in proxy.ts, API routes and pages. */
export function refusal(auth: Exclude<Authentication, { status: 'open' | 'signed-in' }>): { status: number; code: string; message: string } {
  switch (auth.status) {
    case 'anonymous':
      return auth.mode === 'zulip'
        ? { status: 401, code: 'sign_in_required', message: 'Sign in with your Zulip account to see the directory.' }
        : { status: 401, code: 'sign_in_required', message: 'Sign in through your organization’s sign-in page to see the directory.' };
    case 'not-configured':
      return {
        status: 403,
        code: 'access_not_configured',
        message: 'This directory is connected to a Zulip organization but no one may see it yet: its administrator must set DIRECTORY_ACCESS (open, proxy or zulip).',
      };
    case 'misconfigured':
      return { status: 503, code: 'access_misconfigured', message: `The directory’s access settings are incomplete: ${auth.message}.` };
  }
}
