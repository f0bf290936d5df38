import 'server-only';
import { NextResponse } from 'next/server';
import { servedOverHttps, type AccessSettings } from '@/lib/access/config';

// Shared by the sign-in and sign-out routes: who is asking (a browser form or a program), the
// same-origin check that stops other sites from posting to them, whether cookies need Secure,
// and where redirects point. DIRECTORY_PUBLIC_URL, when set, is the app's address: it decides
// https and is the base of every redirect (lib/access/config.ts).

/** A program asked for JSON (or sent JSON); a browser form gets redirects instead. */
export function wantsJson(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  const accept = request.headers.get('accept') ?? '';
  return type.includes('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
}

/** False when a browser says the post comes from another site (login CSRF, forced sign-out). */
export function sameOrigin(request: Request, access: Pick<AccessSettings, 'publicUrl'>): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true; // not a browser form post from another site
  if (origin === access.publicUrl) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Whether people reach the app over https (lib/access/config.ts, servedOverHttps). */
export function isHttps(request: Request, access: Pick<AccessSettings, 'publicUrl'>): boolean {
  return servedOverHttps(request.headers, request.url, access);
}

/** An address of this app for `path`: absolute on DIRECTORY_PUBLIC_URL when it is set, else the path itself. */
export function appAddress(path: string, access: Pick<AccessSettings, 'publicUrl'>): string {
  const base = access.publicUrl;
  // Through the URL parser either way, so a path with letters beyond Latin-1 (a `next` of
  // /people/Łukasz) comes out %-escaped: a header holding them raw cannot be sent at all.
  const url = new URL(path, base ?? 'http://app.invalid');
  // A path that resolves to start with "//" would be another host to a browser: one slash, always.
  const pathname = url.pathname.replace(/^\/{2,}/, '/');
  return base === null ? `${pathname}${url.search}${url.hash}` : new URL(`${pathname}${url.search}${url.hash}`, base).toString();
}

/** 303 to a path of this app: absolute on DIRECTORY_PUBLIC_URL, else relative (so a proxy's host name is kept). */
export function seeOther(path: string, access: Pick<AccessSettings, 'publicUrl'>): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: appAddress(path, access), 'Cache-Control': 'no-store' } });
}
