import 'server-only';
import { NextResponse } from 'next/server';

// Shared by the sign-in and sign-out routes: who is asking (a browser form or a program), the
// same-origin check that stops other sites from posting to them, and whether cookies need Secure.

/** A program asked for JSON (or sent JSON); a browser form gets redirects instead. */
export function wantsJson(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  const accept = request.headers.get('accept') ?? '';
  return type.includes('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
}

/** False when a browser says the post comes from another site (login CSRF, forced sign-out). */
export function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true; // not a browser form post from another site
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function isHttps(request: Request): boolean {
  return request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' || new URL(request.url).protocol === 'https:';
}

/** 303 to a path of this app (relative Location, so a proxy's host name is kept). */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path, 'Cache-Control': 'no-store' } });
}
