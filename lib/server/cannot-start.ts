import 'server-only';

/**
 * The app's start failed on a setting only the start can judge (REDIS_URL with no Zulip, a
 * zuliprc that cannot be read): every request that needs the directory is refused with this
 * message, which names the setting, never a secret (lib/server/app.ts, docs/architecture.md §7).
 */
export class DirectoryCannotStart extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'DirectoryCannotStart';
  }
}
