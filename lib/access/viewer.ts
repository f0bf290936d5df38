import 'server-only';
import { headers } from 'next/headers';
import { forbidden, unauthorized } from 'next/navigation';
import { cache } from 'react';
import { authenticate, refusal } from '@/lib/access/authenticate';
import { accessConfig } from '@/lib/access/config';
import { apiError } from '@/lib/server/api-response';
import { getDirectory } from '@/lib/server/runtime';

// The check every page and route runs before it reads any staff data: the request's identity
// (lib/access/authenticate.ts), and then that this identity is an active human member of the
// Zulip organization right now, looked up in the people store (so someone deactivated in Zulip
// loses access at the next request, whatever their session says).

export interface Viewer {
  id: number;
  name: string;
  via: 'session' | 'proxy';
}

export type ViewerCheck = { ok: true; viewer: Viewer | null } | { ok: false; status: number; code: string; message: string };

export async function checkViewer(requestHeaders: Headers): Promise<ViewerCheck> {
  const auth = await authenticate(requestHeaders, accessConfig());
  if (auth.status === 'open') return { ok: true, viewer: null };
  if (auth.status !== 'signed-in') return { ok: false, ...refusal(auth) };
  const runtime = await getDirectory();
  if (!runtime.loaded) {
    return { ok: false, status: 503, code: 'directory_unavailable', message: 'The directory cannot check who you are until it has reached Zulip; try again shortly.' };
  }
  const { identity } = auth;
  // A proxy identity is an email (validated as one), never an id.
  const person = identity.kind === 'session' ? runtime.people.get(identity.userId) : runtime.people.resolve(identity.email);
  if (!person) return { ok: false, status: 403, code: 'not_a_member', message: 'Your account is not an active member of this Zulip organization.' };
  return { ok: true, viewer: { id: person.id, name: person.name, via: identity.kind } };
}

/** For route handlers: null when the request may proceed, else the JSON refusal to return. */
export async function refuseApiRequest(request: Request): Promise<Response | null> {
  const check = await checkViewer(request.headers);
  if (check.ok) return null;
  return apiError(check.status, check.code, check.message, check.status === 503 ? { 'Retry-After': '5' } : undefined);
}

/** The page request's check, memoized per request (generateMetadata and the page share it). */
export const checkPageViewer = cache(async (): Promise<ViewerCheck> => checkViewer(await headers()));

/**
 * For pages: the viewer, or an interrupt that renders app/unauthorized.tsx (401) or
 * app/forbidden.tsx (403). generateMetadata should use checkPageViewer and return no staff data
 * instead, so that the page body (rendered on the server) is what answers.
 */
export async function requirePageViewer(): Promise<Viewer | null> {
  const check = await checkPageViewer();
  if (check.ok) return check.viewer;
  if (check.status === 401) unauthorized();
  if (check.status === 403) forbidden();
  throw new Error(check.message);
}
