import 'server-only';
import { servedOverHttps, type AccessSettings } from '@/lib/access/config';

// The origin of the absolute addresses a response carries (the profile links in an export, a
// vCard's URL and UID, a page's canonical and Open Graph addresses). A link in a file outlives the request, and is followed by whoever opens
// the file, so it must not be whatever the client wrote: X-Forwarded-Host is a header any client
// can send, and only a proxy of ours makes it true. So, in order (README, "Behind a TLS proxy"):
//
//   1. DIRECTORY_PUBLIC_URL, when set;
//   2. X-Forwarded-Host, only when DIRECTORY_TRUSTED_PROXY_HOPS says proxies of ours are in front
//      (its last value: the one the nearest of them set or appended);
//   3. the Host the request was made to (what the browser opened, when nothing is in between);
//   4. request.url, Next's own listening address, when neither is a plain host.

export function requestOrigin(request: Request, access: AccessSettings): string {
  return originFromHeaders(request.headers, access, request.url) ?? new URL(request.url).origin;
}

/** Steps 1 to 3 above, for what has only the request's headers (a page's metadata); null when they name no usable host. */
export function originFromHeaders(headers: Headers, access: AccessSettings, requestUrl?: string): string | null {
  if (access.publicUrl !== null) return access.publicUrl;
  const forwarded = access.clientAddress.kind === 'forwarded-for' ? headers.get('x-forwarded-host')?.split(',').at(-1)?.trim() : undefined;
  const host = forwarded || headers.get('host');
  return host ? originOf(`${servedOverHttps(headers, requestUrl, access) ? 'https' : 'http'}://${host}`) : null;
}

/** The origin of a scheme and host, or null when the host is not just a host (a path, a user name). */
function originOf(candidate: string): string | null {
  if (!URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  return url.pathname === '/' && !url.username && !url.password && !url.search && !url.hash && !candidate.endsWith('/') ? url.origin : null;
}
