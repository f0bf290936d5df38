import { z } from 'zod';
import { ViewerSlots, wholeNumberSetting, type Slot } from '@/lib/access/viewer-slots';

// Limits on /api/presence/stream (README, "Who can see the directory"). A stream is a connection
// the server holds open and writes to, so: none lives longer than DIRECTORY_STREAM_MAX_SECONDS
// (the browser reconnects and resumes from its Last-Event-ID); the viewer is checked again every
// DIRECTORY_STREAM_HEARTBEAT_SECONDS; one viewer may hold DIRECTORY_STREAMS_PER_VIEWER (a few tabs)
// and the directory DIRECTORY_STREAMS_MAX in all, beyond which the answer is a 429 (and the page
// polls /api/presence instead). One instance counts in its memory (lib/access/viewer-slots.ts);
// several count together in Redis (lib/access/redis-stream-slots.ts).

export interface StreamSettings {
  maxSeconds: number;
  heartbeatSeconds: number;
  perViewer: number;
  total: number;
}

/** A stream whose reader has left this much unread is dropped (a slow or stalled client), not buffered for. */
export const MAX_PENDING_BYTES = 1024 * 1024;

const schema = z.object({
  maxSeconds: wholeNumberSetting('DIRECTORY_STREAM_MAX_SECONDS', 1, 86_400, 1800),
  heartbeatSeconds: wholeNumberSetting('DIRECTORY_STREAM_HEARTBEAT_SECONDS', 1, 60, 15),
  perViewer: wholeNumberSetting('DIRECTORY_STREAMS_PER_VIEWER', 1, 100, 5),
  total: wholeNumberSetting('DIRECTORY_STREAMS_MAX', 1, 100_000, 1000),
});

export function loadStreamSettings(env: Partial<NodeJS.ProcessEnv>): { ok: true; settings: StreamSettings } | { ok: false; message: string } {
  const parsed = schema.safeParse({
    maxSeconds: env.DIRECTORY_STREAM_MAX_SECONDS,
    heartbeatSeconds: env.DIRECTORY_STREAM_HEARTBEAT_SECONDS,
    perViewer: env.DIRECTORY_STREAMS_PER_VIEWER,
    total: env.DIRECTORY_STREAMS_MAX,
  });
  // Messages name the variable and the rule, never a value.
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid stream settings' };
}

/** Why a stream was refused: one viewer's limit, or the limit in all. */
export type StreamLimitCode = 'too_many_streams' | 'server_busy';

/**
 * Where open streams are counted: this process's memory (one instance: StreamSlots), or Redis,
 * so that the limits hold across instances (lib/access/redis-stream-slots.ts).
 */
export interface StreamSlotPool {
  /** Streams open on this instance. */
  readonly size: number;
  acquire(viewer: string | null, limits: { perViewer: number; total: number }): Promise<Slot<StreamLimitCode>>;
  close(): void;
}

/** Open streams, per viewer and in all, counted in this process. */
export class StreamSlots implements StreamSlotPool {
  private readonly slots = new ViewerSlots<'too_many_streams', 'server_busy'>({ perViewer: 'too_many_streams', total: 'server_busy' });

  get size(): number {
    return this.slots.size;
  }

  async acquire(viewer: string | null, limits: { perViewer: number; total: number }): Promise<Slot<StreamLimitCode>> {
    return this.slots.acquire(viewer, limits);
  }

  close(): void {}
}
