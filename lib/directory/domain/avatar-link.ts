// Pictures of people answered from the browser's people index (docs/architecture.md §17). An
// avatar URL ends in a hash no compressor can shrink (Gravatar's MD5 of the address, Zulip's
// salted one of the upload): 400 kB of a 20,000-person index. The index carries each picture's
// version instead, and such rows show it through /api/people/{id}/avatar?v={version}, which
// redirects to the URL the server holds.

const VERSION = /[?&]version=(\d{1,9})(?:&|$)/;

/** The `version` Zulip puts on every avatar URL it sends, which goes up with each new picture (docs/zulip.md §f); 0 when a URL has none. */
export function avatarVersion(url: string): number {
  const match = VERSION.exec(url);
  return match ? Number(match[1]) : 0;
}

/** The app's own address for someone's picture: a new version is a new address, so a browser's cached redirect never shows an old face. */
export function avatarLink(id: number, version: number): string {
  return `/api/people/${id}/avatar?v=${version}`;
}
