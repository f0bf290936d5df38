import { apiError, apiJson } from '@/lib/server/api-response';
import { isHttps, sameOrigin, seeOther, wantsJson } from '@/lib/access/auth-response';
import { clearedSessionCookie } from '@/lib/access/session';

/** POST /api/auth/sign-out: removes the session cookie; a browser goes back to /sign-in. */
export async function POST(request: Request) {
  if (!sameOrigin(request)) return apiError(403, 'cross_site', 'Sign-out must be posted from this site.');
  const response = wantsJson(request) ? apiJson({ signedOut: true }) : seeOther('/sign-in?error=signed_out');
  response.headers.append('Set-Cookie', clearedSessionCookie(isHttps(request)));
  return response;
}
