import 'server-only';
import type { RegisterParams, ZulipClient } from './client';
import { ZulipError, isZulipError } from './errors';
import type { RegisterSnapshot, ZulipUpdate } from './records';
import { sleep, systemClock, type Clock } from '@/lib/clock';

// Zulip's real-time protocol: POST /register returns a snapshot and a queue; GET /events
// long-polls that queue, and passing last_event_id acknowledges what we have applied. Heartbeats
// (every ~50 s) only keep the connection alive. A queue that was garbage-collected answers
// BAD_EVENT_QUEUE_ID: the only fix is a new register and replacing all state with its snapshot.

export type RunEventQueueOptions = {
  client: Pick<ZulipClient, 'register' | 'getEvents' | 'deleteQueue'>;
  registerParams: RegisterParams;
  /** Called with every new snapshot: at start and after each re-register. Replace all state. */
  onRegister(state: RegisterSnapshot): void | Promise<void>;
  /** Updates in order (heartbeats and unused events dropped). Acknowledged even if this throws (no poison loops). */
  onEvents(updates: ZulipUpdate[]): void | Promise<void>;
  /** Every failure, including recovered ones. Informational. */
  onError?(error: unknown): void;
  /** Every answered poll, heartbeats and empty answers included: the queue is working. */
  onPoll?(): void;
  /** Aborting stops the loop; the promise then resolves and the queue is deleted best-effort. */
  signal: AbortSignal;
  backoff?: { initialMs?: number; maxMs?: number };
  random?: () => number;
  /** What the back-off waits on (the real clock by default). */
  clock?: Clock;
};

/** Zulip's default event_queue_longpoll_timeout_seconds, for servers that do not send it (< FL 74). */
const LONGPOLL_FALLBACK_SECONDS = 90;
/** Room for the response to arrive after the server's own long-poll timeout. */
const LONGPOLL_MARGIN_MS = 10_000;
const DELETE_TIMEOUT_MS = 3_000;

type Queue = { id: string; lastEventId: number; timeoutMs: number; featureLevel: number };

export async function runEventQueue(options: RunEventQueueOptions): Promise<void> {
  const { client, signal } = options;
  const initialMs = options.backoff?.initialMs ?? 1_000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // A failing error reporter must not stop the loop.
    }
  };

  let queue: Queue | null = null;
  let failures = 0;
  // After a failure, the next poll does not block: its answer confirms at once that Zulip is
  // back, instead of after a long-poll of up to 90 s.
  let confirm = false;
  try {
    while (!signal.aborted) {
      try {
        if (queue === null) {
          queue = await register(options);
          failures = 0;
          continue;
        }
        const { updates, lastEventId } = await client.getEvents(
          { queueId: queue.id, lastEventId: queue.lastEventId, ...(confirm ? { dontBlock: true } : {}) },
          { signal, timeoutMs: queue.timeoutMs, priority: 'background' },
        );
        failures = 0;
        confirm = false;
        try {
          options.onPoll?.();
        } catch (error) {
          report(error);
        }
        if (updates.length > 0) {
          try {
            await options.onEvents(updates);
          } catch (error) {
            report(error);
          }
        }
        if (lastEventId !== null) queue.lastEventId = Math.max(queue.lastEventId, lastEventId);
        if (upgraded(queue, updates)) {
          // The queue was made for the old level (its capabilities, its event formats): a new
          // register brings the new level's snapshot (docs/zulip.md §e).
          void deleteQuietly(client, queue.id);
          queue = null;
        }
      } catch (error) {
        if (signal.aborted) break;
        report(error);
        failures += 1;
        confirm = true;
        const plan = recovery(error);
        if (plan.dropQueue && queue !== null) {
          // A queue the server no longer knows needs no DELETE (it would only cost budget).
          if (!ZulipError.isBadEventQueue(error)) void deleteQuietly(client, queue.id);
          queue = null;
        }
        const backoff = Math.min(maxMs, initialMs * 2 ** (failures - 1)) * (0.5 + random() * 0.5);
        // A lost queue is normal (server restart, long sleep): re-register at once the first time.
        const delay = plan.waitMs ?? (plan.immediateFirst && failures === 1 ? 0 : backoff);
        if (delay > 0) await sleep(delay, signal, options.clock ?? systemClock);
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    if (queue !== null) await deleteQuietly(client, queue.id);
  }
}

async function register(options: RunEventQueueOptions): Promise<Queue> {
  const state = await options.client.register(options.registerParams, { signal: options.signal, priority: 'background' });
  const seconds = state.realm.longpollTimeoutSeconds ?? LONGPOLL_FALLBACK_SECONDS;
  const queue = { id: state.queueId, lastEventId: state.lastEventId, timeoutMs: seconds * 1000 + LONGPOLL_MARGIN_MS, featureLevel: state.featureLevel };
  try {
    await options.onRegister(state);
  } catch (error) {
    // The consumer could not take the snapshot: drop this queue and register afresh later.
    void deleteQuietly(options.client, queue.id);
    throw error;
  }
  return queue;
}

/** Whether a `restart` event says the server now runs another feature level than the queue's. */
function upgraded(queue: Queue, updates: ZulipUpdate[]): boolean {
  return updates.some((u) => u.kind === 'restart' && u.featureLevel !== null && u.featureLevel !== queue.featureLevel);
}

type Recovery = { dropQueue: boolean; immediateFirst?: boolean; waitMs?: number };

function recovery(error: unknown): Recovery {
  if (!isZulipError(error)) return { dropQueue: false };
  if (error.code === 'BAD_EVENT_QUEUE_ID') return { dropQueue: true, immediateFirst: true };
  // Keep the queue; the budget has recorded Retry-After, so wait at least that long.
  if (error.kind === 'rate_limited') {
    return { dropQueue: false, waitMs: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000 };
  }
  // Transient: the queue survives (for 10 minutes without a poll), so poll it again.
  if (error.kind === 'network' || error.kind === 'timeout') return { dropQueue: false };
  if (error.kind === 'http' && error.status !== undefined && error.status >= 500) return { dropQueue: false };
  // 4xx such as "An event newer than N has already been pruned!", a response we cannot read,
  // or refused credentials: the queue cannot be trusted any more; start over (with back-off).
  return { dropQueue: true };
}

async function deleteQuietly(client: RunEventQueueOptions['client'], queueId: string): Promise<void> {
  try {
    // 'interactive' so that a low budget refuses at once instead of delaying shutdown.
    await client.deleteQueue(queueId, { timeoutMs: DELETE_TIMEOUT_MS, priority: 'interactive' });
  } catch {
    // Best effort: Zulip garbage-collects an unpolled queue after 10 minutes anyway.
  }
}
