import 'server-only';
import { headers } from 'next/headers';
import { forbidden, unauthorized } from 'next/navigation';
import { cache } from 'react';
import { authenticate, refusal } from '@/lib/access/authenticate';
import type { Viewer } from '@/lib/access/viewer';
import type { RouteSpec } from '@/lib/http/routes';

export type { Viewer };
import { apiError } from '@/lib/server/api-response';
import { FORGET_CACHED_DATA } from '@/lib/http/security-headers';
import type { DirectoryApp } from '@/lib/server/app';

// The check every page and route runs before it reads any staff data: the request's identity
// (lib/access/authenticate.ts), and then that this identity is an active human member of the
// Zulip organization right now, looked up in the people store (so someone deactivated in Zulip
// loses access at the next request, whatever their session says). The presence stream runs it
// again at every heartbeat (app/api/presence/stream/route.ts).


export type ViewerCheck =
  /** `expiresAt`: when the viewer's proof runs out (a session's expiry, Unix seconds), or null. */
  | { ok: true; viewer: Viewer | null; expiresAt: number | null }
  | { ok: false; status: number; code: string; message: string };

export async function checkViewer(app: DirectoryApp, requestHeaders: Headers, beforeData: RouteSpec<unknown, unknown>['beforeData'] = 'refuse'): Promise<ViewerCheck> {
  const auth = await authenticate(requestHeaders, app.settings.access, app.revocations, app.clock.now() / 1000);
  if (auth.status !== 'open' && auth.status !== 'signed-in') return { ok: false, ...refusal(auth) };
  // Open, to a route that answers before the first data (the health report): nothing to wait for.
  if (auth.status === 'open' && beforeData === 'answer') return { ok: true, viewer: null, expiresAt: null };
  // Before its first data (Zulip has not answered yet, or a follower is catching up) the directory
  // can neither tell who is a member nor say who is in it: "try again", in every access mode,
  // never an empty list, a profile "not found" or an empty export (lib/http/routes.ts, beforeData).
  const runtime = await app.directory();
  if (!runtime.loaded) return { ok: false, status: 503, code: 'directory_unavailable', message: 'The directory has not reached Zulip yet; try again shortly.' };
  if (auth.status === 'open') return { ok: true, viewer: null, expiresAt: null };
  const { identity } = auth;
  // A proxy identity is an email (validated as one), never an id: a real address, even one hidden
  // from members (never Zulip's dummy user{id}@… API email: resolveMember). Guests are not in the people store (so not
  // members here) unless DIRECTORY_ALLOW_GUESTS is true; the second test says so outright.
  const person = identity.kind === 'session' ? runtime.view.people.get(identity.userId) : runtime.view.people.resolveMember(identity.email);
  if (!person || (person.isGuest && !runtime.settings.DIRECTORY_ALLOW_GUESTS)) return { ok: false, status: 403, code: 'not_a_member', message: 'Your account is not an active member of this Zulip organization.' };
  return { ok: true, viewer: { id: person.id, name: person.name, via: identity.kind }, expiresAt: identity.kind === 'session' ? identity.expiresAt : null };
}

/** The JSON answer for a failed check. */
export function refusedResponse(check: Extract<ViewerCheck, { ok: false }>): Response {
  // Not ready yet (503): ask again soon. A viewer refused (deactivated in Zulip, signed out):
  // what this browser keeps of the directory goes.
  const headers: Record<string, string> = check.status === 503 ? { 'Retry-After': '5' } : { [FORGET_CACHED_DATA.name]: FORGET_CACHED_DATA.value };
  return apiError(check.status, check.code, check.message, headers);
}

/** For route handlers: null when the request may proceed, else the JSON refusal to return. */
export async function refuseApiRequest(app: DirectoryApp, request: Request): Promise<Response | null> {
  const check = await checkViewer(app, request.headers);
  return check.ok ? null : refusedResponse(check);
}

/** The page request's check, memoized per request (generateMetadata and the page share it). */
export const checkPageViewer = cache(async (app: DirectoryApp): Promise<ViewerCheck> => checkViewer(app, await headers()));

/**
 * For pages: the viewer, or an interrupt that renders app/unauthorized.tsx (401) or
 * app/forbidden.tsx (403). generateMetadata should use checkPageViewer and return no staff data
 * instead, so that the page body (rendered on the server) is what answers.
 */
export async function requirePageViewer(app: DirectoryApp): Promise<Viewer | null> {
  const check = await checkPageViewer(app);
  if (check.ok) return check.viewer;
  if (check.status === 401) unauthorized();
  if (check.status === 403) forbidden();
  throw new Error(check.message);
}
