// Which client a request comes from, the way Zulip names it (zerver/lib/user_agent.py and
// zerver/middleware.py:parse_client): the product name before the first "/".

const PATTERN = /^(?<name>[^/ ]*[^0-9/(]*)(\/(?<version>[^/ ]*))?([ /].*)?$/s;

/** Names browsers put first in their User-Agent; the web app's presence reports count as `website`. */
const BROWSERS = new Set(['Mozilla', 'Opera']);

/**
 * The client name for a request: an explicit `client` parameter wins; otherwise the User-Agent's
 * product name (`ZulipMobile/27.2 (Android 14)` is `ZulipMobile`); a browser is `website`; no
 * User-Agent at all is Zulip's `Unspecified`.
 */
export function clientName(userAgent: string | undefined, clientParam?: string): string {
  if (clientParam !== undefined) return clientParam;
  if (userAgent === undefined) return 'Unspecified';
  const name = PATTERN.exec(userAgent)?.groups?.name ?? userAgent;
  if (BROWSERS.has(name)) return 'website';
  return name;
}

/** Zulip's `consolidate_client`: the desktop app's reports are stored as `website`. */
export function consolidateClient(name: string): string {
  return name === 'ZulipDesktop' ? 'website' : name;
}
