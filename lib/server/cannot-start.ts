import 'server-only';

/**
 * Marks the error process-wide: Next bundles server code into several chunks, each with its own
 * copy of this class, and the one app (lib/server/app-handle.ts) that throws it is shared by all,
 * so `instanceof` fails across chunks (as for ZulipError, lib/zulip/errors.ts).
 */
const BRAND = Symbol.for('zulip-directory.DirectoryCannotStart');

/**
 * The app's start failed on a setting only the start can judge (REDIS_URL with no Zulip to share):
 * every request that needs the directory is refused with this message, which names the setting,
 * never a secret (lib/server/app.ts, docs/architecture.md §7). Settings read before (a malformed
 * ZULIP_SITE, a zuliprc that cannot be read) stop the app in proxy.ts already.
 */
export class DirectoryCannotStart extends Error {
  override readonly name = 'DirectoryCannotStart';
  readonly [BRAND] = true;

  constructor(message: string) {
    super(message);
  }
}

export function isDirectoryCannotStart(error: unknown): error is DirectoryCannotStart {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** Why the app cannot start, in words that name a setting, never its value. */
export function cannotStartReason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The sentence every refused request, the log and stderr say. */
export function cannotStartMessage(error: unknown): string {
  return `The directory cannot start: ${cannotStartReason(error)}`;
}
