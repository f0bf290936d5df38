// The origins avatars are loaded from, for the Content-Security-Policy's img-src (proxy.ts):
// not "any https origin", only where the organization's avatars actually are. Zulip serves
// uploaded avatars itself (local storage) or from its S3 bucket or CDN, and points the others
// at Gravatar (docs/zulip.md §f), so the list is derived from the avatar URLs the directory
// holds: proxy.ts asks the app (lib/server/app.ts), whose runtime knows them.

/** Where Zulip points every avatar that was not uploaded (zerver/lib/avatar.py, docs/zulip.md §f). */
export const GRAVATAR_ORIGIN = 'https://secure.gravatar.com';
/** More distinct origins than an organization's avatars ever come from; the rest are left out. */
export const MAX_AVATAR_ORIGINS = 8;

/** The distinct http(s) origins among `values`, at most MAX_AVATAR_ORIGINS of them. */
export function avatarOrigins(values: Iterable<string>): string[] {
  const out: string[] = [];
  for (const value of values) {
    const origin = httpOrigin(value);
    if (origin && !out.includes(origin)) out.push(origin);
    if (out.length === MAX_AVATAR_ORIGINS) break;
  }
  return out;
}

/**
 * `https://host[:port]` for an http(s) URL or origin, else null (nothing else may enter the policy).
 * The URL parser lets `;`, `,` and quotes into a host name ("https://a;b.example"); in a policy
 * they would end the directive or start another, so only CSP's own host grammar is taken:
 * letters, digits, dots and dashes, or a bracketed IPv6 address.
 */
export function httpOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return CSP_HOST.test(url.host) ? url.origin : null;
  } catch {
    return null;
  }
}

const CSP_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d+)?$/i;
