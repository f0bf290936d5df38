// The origins avatars are loaded from, for the Content-Security-Policy's img-src (proxy.ts):
// not "any https origin", only where the organization's avatars actually are. Zulip serves
// uploaded avatars itself (local storage) or from its S3 bucket or CDN, and points the others
// at Gravatar (docs/zulip.md §f), so the list is derived from the avatar URLs the directory
// holds. The runtime (lib/server/runtime.ts) provides them; proxy.ts runs in the same process
// (Next.js loads a Node.js proxy with require), so the provider lives on globalThis.

/** Where Zulip points every avatar that was not uploaded (zerver/lib/avatar.py, docs/zulip.md §f). */
export const GRAVATAR_ORIGIN = 'https://secure.gravatar.com';
/** More distinct origins than an organization's avatars ever come from; the rest are left out. */
export const MAX_AVATAR_ORIGINS = 8;

type Source = () => readonly string[];
const KEY = Symbol.for('zulip-directory.avatar-origins');
type GlobalWithSource = typeof globalThis & { [KEY]?: Source };

/** Makes `source` the process's avatar origins; returns the function that withdraws it. */
export function provideAvatarOrigins(source: Source): () => void {
  const g = globalThis as GlobalWithSource;
  g[KEY] = source;
  return () => {
    if (g[KEY] === source) delete g[KEY];
  };
}

/** The http(s) origins of the avatars the directory holds now ([] before its first snapshot). */
export function avatarOrigins(): string[] {
  const source = (globalThis as GlobalWithSource)[KEY];
  if (!source) return [];
  const out: string[] = [];
  for (const value of source()) {
    const origin = httpOrigin(value);
    if (origin && !out.includes(origin)) out.push(origin);
    if (out.length === MAX_AVATAR_ORIGINS) break;
  }
  return out;
}

/** `https://host[:port]` for an http(s) URL or origin, else null (nothing else may enter the policy). */
export function httpOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}
