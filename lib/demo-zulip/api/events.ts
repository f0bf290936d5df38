// GET /events (long-poll) and DELETE /events (zerver/tornado/views.py, event_queue.py).
// Error messages and the order of checks are Zulip's; how a queue of another user is refused
// changed at FL 145 (docs/zulip-versions.md §6).
import { DEFAULT_EVENT_QUEUE_TIMEOUT_SECS, MAX_QUEUE_TIMEOUT_SECS, type EventQueue, type QueuedEvent } from '../core/event-queues';
import { FL } from '../core/versions';
import { ApiError, badEventQueueId, badRequest } from '../http/errors';
import type { ApiContext, ApiResult } from './types';

/**
 * The caller's queue `queueId`. From FL 145 (Zulip 6.0, `access_client_descriptor`) a queue of
 * someone else gets the same BAD_EVENT_QUEUE_ID as an unknown one, so queue ids leak nothing;
 * before, it was a plain BAD_REQUEST naming the refusal (`notYours`).
 */
function accessQueue(ctx: ApiContext, queueId: string, notYours: string): EventQueue {
  const queue = ctx.app.queues.get(queueId);
  if (!queue) throw badEventQueueId(queueId);
  if (queue.settings.userId === ctx.user.user_id) return queue;
  if (ctx.app.featureLevel >= FL.FOREIGN_QUEUE_IS_BAD_ID) throw badEventQueueId(queueId);
  throw badRequest(notYours);
}

export async function getEvents(ctx: ApiContext): Promise<ApiResult> {
  const { app, params, user } = ctx;
  params.str('user_client');
  const lastEventId = params.int('last_event_id');
  const queueId = params.str('queue_id');
  params.bool('apply_markdown', false);
  const clientGravatar = params.bool('client_gravatar', false);
  const slimPresence = params.bool('slim_presence', false);
  params.bool('all_public_streams', false);
  const eventTypes = params.stringList('event_types') ?? null;
  const dontBlock = params.bool('dont_block', false);
  params.accept('narrow');
  const lifespan = params.int('lifespan_secs') ?? 0;
  params.accept('bulk_message_deletion', 'stream_typing_notifications', 'user_settings_object', 'user_list_incomplete');

  let queue: EventQueue;
  if (queueId === undefined) {
    // Without a queue, dont_block=true registers one on the fly (an old client flow).
    if (!dontBlock) throw badRequest("Missing 'queue_id' argument");
    queue = app.queues.create({
      userId: user.user_id,
      eventTypes,
      slimPresence,
      simplifiedPresence: false,
      clientGravatar,
      lifespanSecs: lifespan <= 0 ? DEFAULT_EVENT_QUEUE_TIMEOUT_SECS : Math.min(lifespan, MAX_QUEUE_TIMEOUT_SECS),
    });
  } else {
    if (lastEventId === undefined) throw badRequest("Missing 'last_event_id' argument");
    const found = accessQueue(ctx, queueId, 'You are not authorized to get events from this queue');
    if (found.newestPrunedId !== null && lastEventId < found.newestPrunedId) {
      throw badRequest(`An event newer than ${lastEventId} has already been pruned!`);
    }
    found.prune(lastEventId);
    if (found.newestPrunedId !== null && lastEventId !== found.newestPrunedId) {
      throw badRequest(`Event ${lastEventId} was not in this queue`);
    }
    queue = found;
  }

  const now = app.now();
  if (queue.events.length > 0 || dontBlock) {
    queue.finishWaiter(now); // an older GET on this queue is answered first
    queue.lastUse = now;
    const data: Record<string, unknown> = { events: [...queue.events] };
    if (queueId === undefined) data.queue_id = queue.id;
    return { data };
  }

  // Nothing yet: wait for an event or the heartbeat. The answer names the queue.
  const events = await new Promise<QueuedEvent[]>((resolve, reject) => {
    const waiter = (outcome: { events: QueuedEvent[] } | { error: ApiError }) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.events);
    };
    const onAbort = () => {
      // The client hung up: the queue stays, and its expiry clock starts now.
      if (queue.waiter === waiter) queue.disconnect(app.now());
      resolve([]);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    app.queues.wait(queue, waiter);
  });
  return { data: { events, queue_id: queue.id }, reportIgnored: false };
}

export function deleteEvents(ctx: ApiContext): ApiResult {
  const queueId = ctx.params.str('queue_id', true);
  accessQueue(ctx, queueId, 'You are not authorized to access this queue');
  ctx.app.queues.delete(queueId);
  return { data: {} };
}
