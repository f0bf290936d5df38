import 'server-only';
import type { DirectoryApp } from '@/lib/server/app';
import { cannotStartReason } from '@/lib/server/cannot-start';

/** Ready for requests, or why not (GET /api/health/ready; docs/architecture.md §16). */
export async function readiness(app: DirectoryApp): Promise<{ ready: boolean; reason: string | null }> {
  if (app.draining.draining) return { ready: false, reason: 'shutting down' };
  // Every viewer would be refused: not ready, so a rolling deploy keeps the instances that work.
  if (app.settings.access.config.mode === 'invalid') return { ready: false, reason: `access is misconfigured: ${app.settings.access.config.message}` };
  let runtime;
  try {
    // Started here if nothing has started it yet, without waiting for its data.
    runtime = await app.runtime();
  } catch (error) {
    // The message names the setting, never its value (app.ts); it is in the log too.
    return { ready: false, reason: `cannot start: ${cannotStartReason(error)}` };
  }
  if (runtime.cluster().redis === 'foreign_deployment') return { ready: false, reason: 'another deployment\'s data is in Redis' };
  // A follower counts as loaded once it has read the leader's snapshot and caught up with its feed.
  if (!runtime.loaded) return { ready: false, reason: runtime.coordination.leadership.status().role === 'leader' ? 'loading from Zulip' : 'catching up with the leader' };
  return { ready: true, reason: null };
}
