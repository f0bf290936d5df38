import { GRAVATAR_ORIGIN, httpOrigin } from '@/lib/http/avatar-origins';

// The headers every response carries (proxy.ts sets them; next.config.js repeats the static ones
// for files under /_next/static, which the proxy does not see).
//
// Pages get a strict, nonce-based Content-Security-Policy: scripts only from this app with the
// request's nonce ('strict-dynamic' lets Next's own loaders add chunks), no inline event
// handlers, no plugins, no <base>, forms only to this app, and no framing by any site. Images
// come only from this app, the Zulip server, Gravatar (where Zulip points avatars that were not
// uploaded) and the origins of the avatars the directory holds (an S3 bucket or CDN when Zulip
// stores uploads there; lib/http/avatar-origins.ts): never any other site, data:, blob: or
// javascript:. JSON and event-stream responses get a policy that allows nothing at all.
// Over https, every answer also says to keep to https (HSTS, a year, subdomains included).

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // Full URLs (which may name a person) stay inside the app; other sites see nothing, and
  // same-origin form posts still carry the Origin header the sign-in route checks.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * Sent with every answer that ends or refuses a viewer's access (signing out, a session revoked
 * or expired, a viewer Zulip no longer lets in): the browser's HTTP cache holds the people index
 * (private, revalidated: docs/architecture.md §17), and nothing of the directory may stay in a
 * browser whose viewer may no longer see it.
 */
export const FORGET_CACHED_DATA = { name: 'Clear-Site-Data', value: '"cache"' } as const;

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Sent only on answers served over https: a browser that saw it refuses plain http for a year. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The page policy. `avatarOrigins` are the origins of the avatars the directory holds; only
 * http(s) origins are used, each once, after this app, the Zulip server and Gravatar.
 */
export function pageCsp(nonce: string, options: { zulipOrigin: string | null; dev: boolean; avatarOrigins?: readonly string[] }): string {
  const images = ["'self'"];
  for (const candidate of [options.zulipOrigin, GRAVATAR_ORIGIN, ...(options.avatarOrigins ?? [])]) {
    const origin = candidate === null ? null : httpOrigin(candidate);
    if (origin && !images.includes(origin)) images.push(origin);
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React's style={{…}} props (sizes and colours computed by the app) are style attributes.
    "style-src-attr 'unsafe-inline'",
    `img-src ${images.join(' ')}`,
    "font-src 'self'",
    `connect-src 'self'${options.dev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
  ].join('; ');
}

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
