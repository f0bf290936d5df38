// The headers every response carries (proxy.ts sets them; next.config.js repeats the static ones
// for files under /_next/static, which the proxy does not see).
//
// Pages get a strict, nonce-based Content-Security-Policy: scripts only from this app with the
// request's nonce ('strict-dynamic' lets Next's own loaders add chunks), no inline event
// handlers, no plugins, no <base>, forms only to this app, and no framing by any site. Images are
// this app's, any https origin (Zulip uploads on S3, Gravatar), and the Zulip server itself when
// it is plain http (a demo or an intranet server): never data:, blob: or javascript:.
// JSON and event-stream responses get a policy that allows nothing at all.

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // Full URLs (which may name a person) stay inside the app; other sites see nothing, and
  // same-origin form posts still carry the Origin header the sign-in route checks.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function pageCsp(nonce: string, options: { zulipOrigin: string | null; dev: boolean }): string {
  const httpZulip = options.zulipOrigin?.startsWith('http:') ? ` ${options.zulipOrigin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React's style={{…}} props (sizes and colours computed by the app) are style attributes.
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' https:${httpZulip}`,
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
