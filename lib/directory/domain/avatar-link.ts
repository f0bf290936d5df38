// Pictures of people answered from the browser's people index (docs/architecture.md §17). An
// avatar URL ends in a hash no compressor can shrink (Gravatar's MD5 of the address, Zulip's
// salted one of the upload): 400 kB of a 20,000-person index. The index carries each picture's
// version instead, and such rows name it by /api/people/{id}/avatar?v={version}: a redirect to
// the URL the server holds. The list asks for the URLs of all its rows' pictures at once
// (/api/people/avatars?ids=…) and shows them from there; the redirect serves any other asker.

import { versionInUrl } from '@/lib/zulip/avatar-version';

const LINK = /^\/api\/people\/(\d{1,9})\/avatar\?v=(\d{1,9})$/;

/** The `version` on every avatar URL the app holds (Zulip's, or put back by lib/zulip), which goes up with each new picture (docs/zulip.md §f); 0 when a URL has none. */
export function avatarVersion(url: string): number {
  return versionInUrl(url) ?? 0;
}

/** The app's own address for someone's picture: a new version is a new address, so a browser's cached redirect never shows an old face. */
export function avatarLink(id: number, version: number): string {
  return `/api/people/${id}/avatar?v=${version}`;
}

/** Whose picture an avatarLink names, and which version of it; null for any other address (a URL the server gave, which is the picture itself). */
export function readAvatarLink(url: string): { id: number; version: number } | null {
  const match = LINK.exec(url);
  return match ? { id: Number(match[1]), version: Number(match[2]) } : null;
}

/** Most people one /api/people/avatars request names: two pages of the list. */
export const AVATARS_PER_REQUEST = 100;

/** The address that answers the URLs of these people's pictures at once (at most AVATARS_PER_REQUEST, no repeats). */
export function avatarsLink(ids: readonly number[]): string {
  return `/api/people/avatars?ids=${ids.join(',')}`;
}
