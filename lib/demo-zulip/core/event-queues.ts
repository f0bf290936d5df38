// Zulip's event queues (zerver/tornado/event_queue.py, docs/zulip.md §e): one queue per
// registration, events with increasing ids, pruning by `last_event_id`, at most one long-poll
// waiting per queue, a heartbeat after 45–55 s of waiting, and garbage collection of queues
// idle for their lifespan (10 minutes by default) with no GET in flight.
import { randomUUID } from 'node:crypto';
import { ApiError, badEventQueueId } from '../http/errors';

export const DEFAULT_EVENT_QUEUE_TIMEOUT_SECS = 600;
export const MAX_QUEUE_TIMEOUT_SECS = 7 * 24 * 3600;

export type QueuedEvent = Record<string, unknown> & { id: number; type: string };
export type NewEvent = Record<string, unknown> & { type: string };

export interface QueueSettings {
  userId: number;
  /** null: every event type. */
  eventTypes: string[] | null;
  slimPresence: boolean;
  /** The `simplified_presence_events` capability, honoured from FL 419. */
  simplifiedPresence: boolean;
  clientGravatar: boolean;
  lifespanSecs: number;
  /** The `include_deactivated_groups` capability, honoured from FL 294 (core/user-groups.ts). */
  includeDeactivatedGroups?: boolean;
}

/** Completes a waiting GET /events: with the queue's events, or with an error (queue deleted). */
type Waiter = (outcome: { events: QueuedEvent[] } | { error: ApiError }) => void;

export class EventQueue {
  readonly id = randomUUID();
  readonly events: QueuedEvent[] = [];
  private nextEventId = 0;
  newestPrunedId: number | null = null;
  /** Last time a GET connected or finished (Unix seconds); expiry counts from here. */
  lastUse: number;
  waiter: Waiter | null = null;
  heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly settings: QueueSettings,
    now: number,
  ) {
    this.lastUse = now;
  }

  accepts(type: string): boolean {
    return type === 'heartbeat' || this.settings.eventTypes === null || this.settings.eventTypes.includes(type);
  }

  /** Appends an event with the next id and wakes the waiting GET, if any. */
  push(event: NewEvent, now: number): void {
    this.events.push({ ...event, id: this.nextEventId++ });
    this.finishWaiter(now);
  }

  /** Drops events up to and including `throughId` (they were acknowledged). */
  prune(throughId: number): void {
    while (this.events.length > 0 && this.events[0]!.id <= throughId) {
      this.newestPrunedId = this.events[0]!.id;
      this.events.shift();
    }
  }

  /** Answers the waiting GET with the current contents (possibly none). Returns whether one was waiting. */
  finishWaiter(now: number): boolean {
    const waiter = this.waiter;
    if (!waiter) return false;
    this.disconnect(now);
    waiter({ events: [...this.events] });
    return true;
  }

  /** Forgets the waiting GET (answered, replaced or gone). */
  disconnect(now: number): void {
    this.waiter = null;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.lastUse = now;
  }
}

export interface EventQueuesOptions {
  clock: () => number;
  /** Milliseconds a GET waits before a heartbeat is queued (Zulip: 45 s + 0–10 s jitter). */
  heartbeatMs: () => number;
}

export class EventQueues {
  private readonly queues = new Map<string, EventQueue>();

  constructor(private readonly opts: EventQueuesOptions) {}

  get size(): number {
    return this.queues.size;
  }

  create(settings: QueueSettings): EventQueue {
    const queue = new EventQueue(settings, this.opts.clock());
    this.queues.set(queue.id, queue);
    return queue;
  }

  get(id: string): EventQueue | undefined {
    return this.queues.get(id);
  }

  all(): IterableIterator<EventQueue> {
    return this.queues.values();
  }

  /** Deletes a queue; a GET waiting on it is answered with BAD_EVENT_QUEUE_ID, as after garbage collection. */
  delete(id: string): boolean {
    const queue = this.queues.get(id);
    if (!queue) return false;
    this.queues.delete(id);
    const waiter = queue.waiter;
    queue.disconnect(this.opts.clock());
    waiter?.({ error: badEventQueueId(id) });
    return true;
  }

  /**
   * Sends an event to the queues of the given users that accept its type. `build` may tailor the
   * event per queue (slim presence, per-viewer user objects) or return null to skip a queue.
   */
  send(type: string, isRecipient: (userId: number) => boolean, build: (queue: EventQueue) => NewEvent | null): void {
    const now = this.opts.clock();
    for (const queue of this.queues.values()) {
      if (!queue.accepts(type) || !isRecipient(queue.settings.userId)) continue;
      const event = build(queue);
      if (event) queue.push(event, now);
    }
  }

  /** Parks a GET on the queue until an event or the heartbeat arrives. */
  wait(queue: EventQueue, waiter: Waiter): void {
    const now = this.opts.clock();
    queue.finishWaiter(now); // a newer GET supersedes a waiting one (Zulip's "was connected")
    queue.waiter = waiter;
    queue.lastUse = now;
    queue.heartbeatTimer = setTimeout(() => {
      queue.heartbeatTimer = null;
      queue.push({ type: 'heartbeat' }, this.opts.clock());
    }, this.opts.heartbeatMs());
    queue.heartbeatTimer.unref();
  }

  /** Removes queues idle for longer than their lifespan with no GET waiting (run every 60 s). */
  collectGarbage(): number {
    const now = this.opts.clock();
    let removed = 0;
    for (const queue of [...this.queues.values()]) {
      if (queue.waiter === null && now - queue.lastUse >= queue.settings.lifespanSecs) {
        this.delete(queue.id);
        removed++;
      }
    }
    return removed;
  }

  /** Deletes every queue (fault injection "expireQueues", and shutdown). */
  deleteAll(): number {
    const ids = [...this.queues.keys()];
    for (const id of ids) this.delete(id);
    return ids.length;
  }
}
