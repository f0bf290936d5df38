// POST /fetch_api_key (zerver/views/auth.py:api_fetch_api_key at 10.2, docs/zulip.md §h): the
// password sign-in of Zulip's mobile and terminal apps. Checks, in Zulip's order: the user name
// must be an email (no LDAP here: validate_login_email), the `authenticate_by_username` rate
// limit (5 attempts per 30 minutes per user name, every attempt counted, a success clears it),
// then the account: unknown or wrong password is AUTHENTICATION_FAILED, a deactivated account is
// USER_DEACTIVATED whatever the password (common_get_active_user looks before the password).
import { timingSafeEqual } from 'node:crypto';
import { demoPassword } from '../core/passwords';
import { ApiError, badRequest, rateLimited } from '../http/errors';
import type { ApiContext, ApiResult } from './types';

/** FL 171 (7.0): fetch_api_key returns `user_id` too. */
const FETCH_API_KEY_USER_ID = 171;

// Django's EmailValidator, in the shape that matters here: local@domain.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const authenticationFailed = () => new ApiError(401, 'Your username or password is incorrect', 'AUTHENTICATION_FAILED');
const userDeactivated = () => new ApiError(401, 'Account is deactivated', 'USER_DEACTIVATED');

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function fetchApiKey(ctx: ApiContext): ApiResult {
  const username = ctx.params.str('username', true);
  const password = ctx.params.str('password', true);
  if (!EMAIL.test(username.trim())) throw badRequest('Enter a valid email address.');

  const limiter = ctx.app.authLimiter;
  const key = `authenticate_by_username:${username}`;
  const attempt = limiter.hit(key, ctx.app.now());
  if (!attempt.allowed) throw rateLimited(attempt.secsToFreedom);

  const state = ctx.app.state;
  const user = state.byRealEmail(username.trim());
  if (!user || state.isSystemBot(user.user_id)) throw authenticationFailed();
  if (!user.is_active) throw userDeactivated();
  const expected = demoPassword(state.org.seed, user);
  if (expected === null || !samePassword(password, expected)) throw authenticationFailed();

  limiter.clear(key);
  const data: Record<string, unknown> = { api_key: user.api_key, email: user.delivery_email };
  if (ctx.app.featureLevel >= FETCH_API_KEY_USER_ID) data.user_id = user.user_id;
  return { data };
}
