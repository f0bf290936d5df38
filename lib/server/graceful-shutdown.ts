import 'server-only';
import type { DirectoryApp } from '@/lib/server/app';

// SIGTERM and SIGINT (docs/architecture.md §16). `next start` has handlers of its own: they stop
// the HTTP server from taking connections, wait for the requests in flight (a live stream lasts
// up to 30 minutes) and exit. Ours go first: the app drains (not ready, streams told to
// reconnect elsewhere, the lease given up so a follower leads at once, the Zulip event queue
// deleted), then Next's run, and whatever is still open after the deadline is cut off.

/** The longest a stop takes, from the signal to the exit, whatever is still in flight. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
/** The longest the drain may take before Next is let close the server anyway. */
const DRAIN_LIMIT_MS = 5_000;
const EXIT_CODES = { SIGTERM: 143, SIGINT: 130 } as const;
type Signal = keyof typeof EXIT_CODES;

/**
 * Takes over SIGTERM and SIGINT for `app()` (null when nothing has built the app yet: nothing to
 * drain). The handlers already installed (Next's) run after the drain; without any, the process
 * exits once drained.
 */
export function drainOnSignals(app: () => DirectoryApp | null): void {
  for (const signal of Object.keys(EXIT_CODES) as Signal[]) {
    const after = process.listeners(signal) as Array<(signal: Signal) => void>;
    process.removeAllListeners(signal);
    process.once(signal, () => void stop(signal, app(), after));
  }
}

async function stop(signal: Signal, app: DirectoryApp | null, after: Array<(signal: Signal) => void>): Promise<void> {
  const startedAt = Date.now();
  // Not unref'd: this is the promise that the process ends.
  setTimeout(() => {
    app?.logger.warn({ event: 'shutdown_deadline', signal }, `Still busy ${SHUTDOWN_DEADLINE_MS / 1000} s after ${signal}: exiting, cutting off what is left`);
    process.exit(EXIT_CODES[signal]);
  }, SHUTDOWN_DEADLINE_MS);
  if (app) {
    app.logger.info({ event: 'shutdown_started', signal, streams: app.streamSlots.size }, `${signal}: draining (no new streams, open ones sent elsewhere, lease given up)`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([app.drain().catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_LIMIT_MS)))]);
    clearTimeout(timer);
    app.logger.info({ event: 'shutdown_drained', signal, ms: Date.now() - startedAt }, `Drained in ${Date.now() - startedAt} ms; finishing the requests in flight`);
  }
  if (after.length === 0) process.exit(EXIT_CODES[signal]);
  for (const listener of after) listener(signal);
}
