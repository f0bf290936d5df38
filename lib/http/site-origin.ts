import 'server-only';
import { publicUrl } from '@/lib/access/config';

/**
 * The origin people open the directory at: DIRECTORY_PUBLIC_URL when set (README, "Behind a TLS
 * proxy"), else the host the request was made to (X-Forwarded-Host, else Host), on https when
 * `https` says so; null when the request names no usable host. Used for absolute links the app
 * writes out: profile addresses in exports, canonical links and Open Graph URLs.
 */
export function siteOrigin(headers: Headers, https: boolean): string | null {
  const configured = publicUrl();
  if (configured !== null) return configured;
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host');
  return host ? originOf(`${https ? 'https' : 'http'}://${host}`) : null;
}

/** The origin of a scheme and host, or null when the host is not just a host (a path, a user name). */
function originOf(candidate: string): string | null {
  if (!URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  return url.pathname === '/' && !url.username && !url.password && !url.search && !url.hash && !candidate.endsWith('/') ? url.origin : null;
}
