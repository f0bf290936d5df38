import { apiError, apiJson } from '@/lib/server/api-response';
import { apiRoute } from '@/lib/server/api-route';
import { clientAddress } from '@/lib/access/client-address';
import { isHttps, sameOrigin, seeOther, wantsJson } from '@/lib/access/auth-response';
import { sessionCookie } from '@/lib/access/session';
import { signIn, signInMessage } from '@/lib/access/sign-in';
import { signInFormSchema, type SignInError } from '@/lib/access/sign-in-input';
import { zulipTimeoutMs } from '@/lib/server/settings';

/**
 * POST /api/auth/sign-in (DIRECTORY_ACCESS=zulip): email + password, or email + API key
 * (method=api_key), form-encoded or JSON. A browser form is redirected to `next` (or back to
 * /sign-in with the error); a program gets JSON. Sets the HttpOnly session cookie. Attempts are
 * limited per email, per client address (as a trusted proxy reports it) and in all: 429 with
 * Retry-After (lib/access/sign-in-limiter.ts).
 */
export const POST = apiRoute('/api/auth/sign-in', async ({ request, app }) => {
  const { access } = app.settings;
  const json = wantsJson(request);
  if (access.config.mode !== 'zulip') return apiError(404, 'not_found', 'This directory does not use sign-in.');
  if (!sameOrigin(request, access)) return apiError(403, 'cross_site', 'Sign-in forms must be posted from this site.');
  const form = signInFormSchema.safeParse(await readBody(request));
  const next = form.success ? form.data.next : '/';
  const back = (error: SignInError, retry?: number) =>
    seeOther(`/sign-in?${new URLSearchParams({ error, ...(next !== '/' ? { next } : {}), ...(retry ? { retry: String(retry) } : {}) })}`, access);

  if (!form.success) return json ? apiError(400, 'invalid_input', signInMessage('invalid_input')) : back('invalid_input');
  const runtime = await app.directory();
  const directory = { config: access.config, attempts: app.signInAttempts, site: runtime.connection.config.site, timeoutMs: zulipTimeoutMs(app.settings.directory), people: runtime.view.people, loaded: runtime.loaded, now: () => app.clock.now() };
  const outcome = await signIn(form.data, clientAddress(request.headers, access.clientAddress), directory);
  if (!outcome.ok) {
    if (!json) return back(outcome.error, outcome.retryAfterSeconds);
    const retry = outcome.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(outcome.retryAfterSeconds) };
    return apiError(outcome.status, outcome.error, outcome.message, retry);
  }
  const response = json ? apiJson({ viewer: outcome.viewer }) : seeOther(next, access);
  response.headers.append('Set-Cookie', sessionCookie(outcome.token, outcome.maxAgeSeconds, isHttps(request, access)));
  return response;
});

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.includes('application/json')) return await request.json();
    if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      return Object.fromEntries([...(await request.formData())].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    }
  } catch {
    // An unreadable body is the same as a wrong one.
  }
  return null;
}
