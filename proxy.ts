import { NextResponse, type NextRequest } from 'next/server';
import { authenticate, refusal } from '@/lib/access/authenticate';
import { parseSignInPageParams } from '@/lib/access/sign-in-input';
import { parsePeopleQuery } from '@/lib/directory/people-query';
import { parseOrgPageQuery } from '@/lib/directory/org-query';
import { parsePersonRef } from '@/lib/directory/person-ref';
import { parseTeamId } from '@/lib/directory/teams-id';
import { parseTeamPageQuery } from '@/lib/directory/teams-page-query';
import { errorPageHtml } from '@/lib/http/error-page';
import { API_CSP, HSTS, STATIC_SECURITY_HEADERS, newNonce, pageCsp } from '@/lib/http/security-headers';
import { isHttps } from '@/lib/access/auth-response';
import { theApp } from '@/lib/server/app-handle';
import type { DirectoryApp } from '@/lib/server/app';

// Runs before every route (not for /_next/static files). In order:
//  1. a malformed address (bad percent-encoding) is a 400, never a 500 from deep inside Next;
//  2. page addresses are validated here, where a 400 page can be sent (a page cannot set it);
//  3. anonymous requests are refused in the closed access modes: JSON for /api, a sign-in
//     redirect or an explanation page for pages (pages and routes check membership themselves);
//  4. security headers, with a fresh CSP nonce that Next puts on its own scripts, and HSTS on
//     every answer served over https (never over plain http, where it would mean nothing).

/**
 * Reachable without signing in: the sign-in page and its routes, the icon, the probes (they say
 * only live or ready) and /metrics (its own token is its access check).
 */
const PUBLIC = new Set(['/sign-in', '/api/auth/sign-in', '/api/auth/sign-out', '/icon.svg', '/api/health/live', '/api/health/ready', '/metrics']);
/** Next adds this to client-side navigations; it is not one of the page's parameters. */
const NEXT_PARAMS = new Set(['_rsc']);

export async function proxy(request: NextRequest) {
  let app: DirectoryApp;
  try {
    app = theApp();
  } catch (error) {
    // A setting that stops the app from starting (it names the setting, never its value).
    const message = `The directory cannot start: ${error instanceof Error ? error.message : String(error)}`;
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

  if (!api && (request.method === 'GET' || request.method === 'HEAD')) {
    const problem = pageInputProblem(pathname, request.nextUrl.searchParams);
    if (problem) return refuse(400, 'bad_request', problem, frame, { href: '/', text: 'Open the directory' });
  }

  if (!PUBLIC.has(pathname)) {
    const auth = await authenticate(request.headers, app.settings.access, app.revocations);
    if (auth.status !== 'open' && auth.status !== 'signed-in') {
      const refused = refusal(auth);
      if (!api && auth.status === 'anonymous' && auth.mode === 'zulip') {
        // On DIRECTORY_PUBLIC_URL when set: behind a proxy, request.url is the app's own address.
        const target = new URL('/sign-in', app.settings.access.publicUrl ?? request.url);
        if (pathname !== '/') target.searchParams.set('next', pathname + request.nextUrl.search);
        return withHeaders(NextResponse.redirect(target, 303), frame);
      }
      return refuse(refused.status, refused.code, refused.message, frame);
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

/** Why a page address cannot be served (its parameters are wrong), or null. */
function pageInputProblem(pathname: string, search: URLSearchParams): string | null {
  const params = new URLSearchParams([...search].filter(([key]) => !NEXT_PARAMS.has(key)));
  if (pathname === '/') {
    const parsed = parsePeopleQuery(params);
    return parsed.ok ? null : `The directory could not read this link’s filters: ${parsed.error}.`;
  }
  if (pathname === '/org') {
    const parsed = parseOrgPageQuery(params);
    return parsed.ok ? null : `The org chart could not read this link: ${parsed.error}.`;
  }
  if (pathname === '/sign-in') {
    const parsed = parseSignInPageParams(params);
    return parsed.ok ? null : `The sign-in page could not read this link: ${parsed.error}.`;
  }
  const team = /^\/groups\/([^/]+)$/.exec(pathname);
  if (team) {
    const id = parseTeamId(team[1]!);
    if (!id.ok) return `${id.error}.`;
    const parsed = parseTeamPageQuery(params);
    return parsed.ok ? null : `The team page could not read this link’s filters: ${parsed.error}.`;
  }
  const person = /^\/people\/([^/]+)$/.exec(pathname);
  if (person) {
    const parsed = parsePersonRef(person[1]!);
    if (!parsed.ok) return `${parsed.error}.`;
    if ([...params.keys()].length > 0) return 'A profile address takes no parameters.';
  }
  return null;
}
