// The `version={avatar_version}` of an avatar URL (docs/zulip.md §f): Zulip's own on Gravatar URLs
// (and on uploads before 10.0), put back by parse-users.ts where Zulip leaves it off, and read by
// the app wherever it names a picture by its version (lib/directory/domain/avatar-link.ts).

const VERSION = /[?&]version=(\d{1,9})(?:&|$)/;

/** The URL's `version`, or null when it has none. */
export function versionInUrl(url: string): number | null {
  const match = VERSION.exec(url);
  return match ? Number(match[1]) : null;
}

/** The URL with `version={version}`, unless it names one already. */
export function withVersion(url: string, version: number): string {
  return versionInUrl(url) !== null ? url : `${url}${url.includes('?') ? '&' : '?'}version=${version}`;
}
