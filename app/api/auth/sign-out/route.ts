import { apiError, apiJson } from '@/lib/server/api-response';
import { apiRoute } from '@/lib/server/api-route';
import { currentSession } from '@/lib/access/authenticate';
import { isHttps, sameOrigin, seeOther, wantsJson } from '@/lib/access/auth-response';
import { isSharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { signInMessage } from '@/lib/access/sign-in';
import { clearedSessionCookies } from '@/lib/access/session';
import { FORGET_CACHED_DATA } from '@/lib/http/security-headers';

/**
 * POST /api/auth/sign-out: ends the session on the server, not only in this browser: every
 * session of that person issued until now is refused from now on (a copied cookie, their other
 * devices, their open presence streams at the next heartbeat). Then removes the cookie and empties
 * the browser's cache of this site; a browser goes back to /sign-in. When the other instances
 * cannot be told (Redis unreachable), the cookie still goes and the answer says so: a 503
 * `sign_out_incomplete`.
 */
export const POST = apiRoute('/api/auth/sign-out', async ({ request, app }) => {
  const { access } = app.settings;
  if (!sameOrigin(request, access)) return apiError(403, 'cross_site', 'Sign-out must be posted from this site.');
  const { config } = access;
  let incomplete = false;
  if (config.mode === 'zulip') {
    // Only a session that still counts may sign its person out: an old copy, already signed
    // out, cannot be replayed to end the sessions they started since.
    const session = await currentSession(request.headers, { ...access, config }, app.revocations, app.clock.now() / 1000);
    if (session) {
      const now = app.clock.now();
      try {
        await app.revocations.revokeBefore(session.uid, now, now + config.sessionSeconds * 1000);
      } catch (error) {
        // It counts on this instance, not yet on the others (lib/access/redis-revocations.ts):
        // the cookie still goes, and the person is told the truth.
        if (!isSharedStoreUnavailable(error)) throw error;
        incomplete = true;
      }
    }
  }
  const json = wantsJson(request);
  let response: Response;
  if (incomplete) response = json ? apiError(503, 'sign_out_incomplete', signInMessage('sign_out_incomplete')) : seeOther('/sign-in?error=sign_out_incomplete', access);
  else response = json ? apiJson({ signedOut: true }) : seeOther('/sign-in?error=signed_out', access);
  for (const cookie of clearedSessionCookies(isHttps(request, access))) response.headers.append('Set-Cookie', cookie);
  // On a shared computer nothing of the directory may stay behind the one who signed out.
  response.headers.set(FORGET_CACHED_DATA.name, FORGET_CACHED_DATA.value);
  return response;
});
