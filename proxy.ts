import { NextResponse, type NextRequest } from 'next/server';
import { authenticate, refusal } from '@/lib/access/authenticate';
import { errorPageHtml } from '@/lib/http/error-page';
import { ROUTES, matchRoute, readRouteInput } from '@/lib/http/routes';
import { API_CSP, FORGET_CACHED_DATA, HSTS, STATIC_SECURITY_HEADERS, newNonce, pageCsp } from '@/lib/http/security-headers';
import { isHttps } from '@/lib/access/auth-response';
import { carriesSessionCookie } from '@/lib/access/session';
import { cannotStartMessage } from '@/lib/server/cannot-start';
import { theApp } from '@/lib/server/app-handle';
import type { DirectoryApp } from '@/lib/server/app';

// Runs before every route (not for /_next/static files). In order:
//  1. a malformed address (bad percent-encoding) is a 400, never a 500 from deep inside Next;
//  2. page addresses are validated here, where a 400 page can be sent (a page cannot set it), by
//     the page's entry in lib/http/routes.ts (which the page reads its input through too);
//  3. anonymous requests are refused in the closed access modes: JSON for /api, a sign-in
//     redirect or an explanation page for pages (pages and routes check membership themselves);
//  4. security headers, with a fresh CSP nonce that Next puts on its own scripts, and HSTS on
//     every answer served over https (never over plain http, where it would mean nothing).

export async function proxy(request: NextRequest) {
  let app: DirectoryApp;
  try {
    app = theApp();
  } catch (error) {
    // A setting that stops the app from starting (it names the setting, never its value).
    const message = cannotStartMessage(error);
    return new NextResponse(message, { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...STATIC_SECURITY_HEADERS, 'Content-Security-Policy': API_CSP } });
  }
  const response = await answer(app, request);
  if (isHttps(request, app.settings.access)) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

async function answer(app: DirectoryApp, request: NextRequest) {
  const { pathname } = request.nextUrl;
  const api = pathname === '/api' || pathname.startsWith('/api/');
  const nonce = newNonce();
  const frame: Frame = { api, nonce, csp: api ? API_CSP : pageCsp(nonce, { zulipOrigin: app.zulipOrigin(), dev: app.settings.dev, avatarOrigins: app.avatarOrigins() }) };

  if (!wellFormed(pathname)) return refuse(400, 'bad_request', 'This address is not valid: it has a broken %-escape.', frame);

  const route = matchRoute(pathname);
  const spec = route && ROUTES[route.pattern];
  if (route && spec?.kind === 'page' && (request.method === 'GET' || request.method === 'HEAD')) {
    const input = readRouteInput(route.pattern, route.params, request.nextUrl.searchParams);
    if (!input.ok) return refuse(400, 'bad_request', spec.explain(input), frame, { href: '/', text: 'Open the directory' });
  }

  // Reachable without signing in: only what the table marks public (the sign-in page and its routes, the icon, the API’s description).
  if (spec?.access !== 'public') {
    const auth = await authenticate(request.headers, app.settings.access, app.revocations);
    if (auth.status !== 'open' && auth.status !== 'signed-in') {
      const refused = refusal(auth);
      let response: Response;
      if (!api && auth.status === 'anonymous' && auth.mode === 'zulip') {
        // On DIRECTORY_PUBLIC_URL when set: behind a proxy, request.url is the app's own address.
        const target = new URL('/sign-in', app.settings.access.publicUrl ?? request.url);
        if (pathname !== '/') target.searchParams.set('next', pathname + request.nextUrl.search);
        response = withHeaders(NextResponse.redirect(target, 303), frame);
      } else response = refuse(refused.status, refused.code, refused.message, frame);
      // A session revoked from another browser or expired, a proxy that no longer vouches: the
      // index this browser may hold goes too. Not for a browser that never signed in (a first
      // visit): Chromium can hold the answer while it empties the cache.
      if (auth.status === 'anonymous' && (auth.mode === 'proxy' || carriesSessionCookie(request.headers.get('cookie')))) {
        response.headers.set(FORGET_CACHED_DATA.name, FORGET_CACHED_DATA.value);
      }
      return response;
    }
  }

  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  if (!api) requestHeaders.set('Content-Security-Policy', frame.csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), frame);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};

/** What every answer of one request carries: whether it is the API's, and its Content-Security-Policy (with the page's nonce). */
type Frame = { api: boolean; nonce: string; csp: string };

function withHeaders<T extends Response>(response: T, frame: Frame): T {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', frame.csp);
  return response;
}

function refuse(status: number, code: string, message: string, frame: Frame, link?: { href: string; text: string }) {
  const { api, nonce } = frame;
  const response = api
    ? NextResponse.json({ error: { code, message } }, { status })
    : new NextResponse(errorPageHtml({ title: titleFor(status), message, nonce, link }), { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  response.headers.set('Cache-Control', 'no-store');
  if (status === 503) response.headers.set('Retry-After', '30');
  return withHeaders(response, frame);
}

function titleFor(status: number): string {
  if (status === 400) return 'This link isn’t valid';
  if (status === 401) return 'Sign in to see the directory';
  if (status === 403) return 'The directory isn’t open yet';
  return 'The directory is not available';
}

/** Every %-escape must decode, as UTF-8 (Next answers a bare 500 otherwise). */
function wellFormed(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
