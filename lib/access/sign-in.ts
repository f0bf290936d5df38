import 'server-only';
import type { AccessConfig } from '@/lib/access/config';
import { signSession } from '@/lib/access/session';
import { isSharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { signInKeys, type Reservation, type SignInAttempts } from '@/lib/access/sign-in-limiter';
import type { SignInError, SignInForm } from '@/lib/access/sign-in-input';
import type { PeopleStore } from '@/lib/directory/domain/people-store';
import { isZulipError } from '@/lib/zulip/errors';
import { createZulipSignIn, type ZulipAccount, type ZulipSignIn } from '@/lib/zulip/sign-in';

// DIRECTORY_ACCESS=zulip: a viewer proves they belong to the organization by having Zulip accept
// their email and password (POST /fetch_api_key) or their API key (GET /users/me), through a
// Zulip client of their own that never sees the bot's key; then they must be an active human in
// the people store. On success they get a signed session; their password or key is dropped here.

export type SignInOutcome =
  | { ok: true; token: string; maxAgeSeconds: number; viewer: { id: number; name: string } }
  | { ok: false; status: number; error: SignInError; message: string; retryAfterSeconds?: number };

const MESSAGES: Record<SignInError, string> = {
  invalid_input: 'Enter your Zulip email and your password or API key.',
  invalid_credentials: 'Zulip did not accept that email and password (or API key).',
  not_a_member: 'That Zulip account is not an active member of this organization.',
  rate_limited: 'Too many sign-in attempts. Wait a little and try again.',
  unavailable: 'Zulip could not be reached to check your sign-in. Try again shortly.',
  store_unavailable: 'Sign-in is unavailable for a moment: the directory’s shared store cannot be reached.',
  signed_out: 'You are signed out.',
  sign_out_incomplete:
    'You are signed out in this browser, but the directory’s shared store could not be reached: your other sessions may still work for now. Sign in and out again in a moment.',
};

export const signInMessage = (error: SignInError) => MESSAGES[error];

const fail = (status: number, error: SignInError, retryAfterSeconds?: number): SignInOutcome => ({
  ok: false,
  status,
  error,
  message: MESSAGES[error],
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});

/** What signing in needs of the directory: its access settings and sign-in limits, the Zulip site, and who is a member. */
export interface SignInDirectory {
  config: AccessConfig;
  attempts: SignInAttempts;
  site: string;
  timeoutMs: number;
  people: Pick<PeopleStore, 'get' | 'resolveMember'>;
  /** Whether the people store has heard from Zulip: before, no one could be found a member. */
  loaded: boolean;
  /** The app's clock (Unix ms): a session is issued at its time once Zulip has said yes. */
  now: () => number;
}

/**
 * Signs a viewer in. `address` is the client's address as a trusted proxy reports it
 * (lib/access/client-address.ts), used for the sign-in limits only.
 */
export async function signIn(form: SignInForm, address: string, directory: SignInDirectory): Promise<SignInOutcome> {
  const { config, attempts, people } = directory;
  if (config.mode !== 'zulip') return fail(404, 'invalid_input');
  // Before the directory has loaded, every member would be refused as "not a member", and the
  // refusal would count against them: no attempt is made, and none is counted.
  if (!directory.loaded) return fail(503, 'unavailable');
  const zulip = createZulipSignIn(directory.site, { timeoutMs: directory.timeoutMs });

  // The attempt is counted before Zulip is asked, so parallel guesses cannot all get through;
  // only a member signed in gives its place back (lib/access/sign-in-limiter.ts).
  let reservation: Reservation;
  try {
    reservation = await attempts.reserve(signInKeys(form.email, address));
  } catch (error) {
    // Shared limits that cannot be checked refuse the attempt (lib/access/redis-sign-in-attempts.ts).
    if (isSharedStoreUnavailable(error)) return fail(503, 'store_unavailable');
    throw error;
  }
  if (!reservation.allowed) return fail(429, 'rate_limited', reservation.retryAfterSeconds);
  let outcome: SignInOutcome | undefined;
  try {
    outcome = await checkWithZulip(form, people, zulip, config, directory.now);
    return outcome;
  } finally {
    // Anything but a member signed in (a wrong password, a non-member, a timeout, a thrown error) counts as a failure.
    if (outcome?.ok) await attempts.succeeded(reservation.attempt);
    else await attempts.failed(reservation.attempt);
  }
}

async function checkWithZulip(form: SignInForm, people: SignInDirectory['people'], zulip: ZulipSignIn, config: Extract<AccessConfig, { mode: 'zulip' }>, clockNow: () => number): Promise<SignInOutcome> {
  let account: ZulipAccount & { isBot?: boolean };
  try {
    account = form.method === 'password' ? await zulip.withPassword(form.email, form.secret) : await zulip.withApiKey(form.email, form.secret);
  } catch (error) {
    if (isZulipError(error) && error.kind === 'rate_limited') return fail(429, 'rate_limited', Math.ceil(error.retryAfterSeconds ?? 60));
    // Zulip's 4xx here all mean "not these credentials" (wrong password, unknown or deactivated
    // account, malformed key, not an email): one answer for all, so nothing is learnt about accounts.
    if (isZulipError(error) && error.kind === 'http' && error.status !== undefined && error.status >= 400 && error.status < 500) {
      return fail(401, 'invalid_credentials');
    }
    return fail(503, 'unavailable');
  }

  const person = account.userId !== null ? people.get(account.userId) : people.resolveMember(account.email);
  if (!person || account.isBot) return fail(403, 'not_a_member');
  const nowMs = clockNow();
  const now = Math.floor(nowMs / 1000);
  const token = await signSession(config.sessionSecret, { uid: person.id, email: account.email, iat: now, exp: now + config.sessionSeconds, issuedAtMs: nowMs });
  return { ok: true, token, maxAgeSeconds: config.sessionSeconds, viewer: { id: person.id, name: person.name } };
}
