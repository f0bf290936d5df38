import type { Timer } from '@/lib/clock';
import { ViewerStream } from '@/lib/presence/fan-out';
import { apiRoute } from '@/lib/server/api-route';
import { checkViewer } from '@/lib/server/viewer';
import { MAX_PENDING_BYTES } from '@/lib/access/stream-limits';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import { getPresenceSince } from '@/lib/server/directory-service';
import { apiError } from '@/lib/server/api-response';

/** How long a refused client is asked to wait before opening another stream (it polls meanwhile). */
const RETRY_AFTER_SECONDS = 30;
/** setTimeout's longest delay; a session's expiry further off than this is beyond any stream's lifetime anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What a stream hears when this instance stops (or a new one asks while it does): come back in a
 * moment, which the load balancer sends to another instance; the EventSource resumes there from
 * its Last-Event-ID (versions are the same on every instance: docs/architecture.md §10).
 */
const RECONNECT_ELSEWHERE = 'retry: 250\n\n';

const TOO_MANY = {
  too_many_streams: 'You have too many live presence streams open (close a tab or two); the page keeps updating by polling.',
  server_busy: 'The directory is serving as many live presence streams as it may; the page keeps updating by polling.',
} as const;

/**
 * GET /api/presence/stream[?since=version]: Server-Sent Events, one `presence` event per diff.
 * The first event catches the viewer up from `since`, or from the Last-Event-ID a reconnecting
 * EventSource sends (or sends everything); then every diff the one upstream poller produces is
 * written to every open stream.
 *
 * A stream does not outlive access: the viewer is checked again at every heartbeat, as a new
 * request would be (deactivated in Zulip, signed out, session expired), and it ends at the
 * session's expiry and after DIRECTORY_STREAM_MAX_SECONDS in any case; the browser reconnects
 * and resumes from its last event id. A viewer may hold DIRECTORY_STREAMS_PER_VIEWER streams and
 * the server DIRECTORY_STREAMS_MAX (429 beyond), and a client that does not read is dropped
 * rather than buffered for (lib/access/stream-limits.ts, lib/presence/fan-out.ts). When this
 * instance is told to stop, every stream is told to reconnect, and new ones too (they land on
 * another instance).
 */
export const GET = apiRoute('/api/presence/stream', async ({ request, query: since, viewer, expiresAt, app }) => {
  const loaded = app.settings.streams;
  if (!loaded.ok) return apiError(503, 'stream_misconfigured', `The live presence stream is turned off until its settings are fixed: ${loaded.message}.`);
  const settings = loaded.settings;

  if (app.draining.draining) {
    // Not a refusal the browser would give up on (an error status stops an EventSource for good): an empty stream that says when to come back.
    app.metrics.streamRefused('draining');
    return new Response(RECONNECT_ELSEWHERE, { headers: EVENT_STREAM_HEADERS });
  }
  // Next answers HEAD with this handler and never reads the body, nor says when the client left:
  // a stream opened for it would hold a slot until DIRECTORY_STREAM_MAX_SECONDS (a thousand HEADs
  // would shut everyone out). The headers alone, and no slot.
  if (request.method === 'HEAD') return new Response(null, { headers: EVENT_STREAM_HEADERS });
  const slot = await app.streamSlots.acquire(viewer ? `person:${viewer.id}` : null, settings);
  if (!slot.ok) {
    app.metrics.streamRefused(slot.code);
    return apiError(429, slot.code, TOO_MANY[slot.code], { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  }

  let initial: Awaited<ReturnType<typeof getPresenceSince>>;
  let runtime: DirectoryRuntime;
  try {
    runtime = await app.directory();
    initial = await getPresenceSince(app, lastEventId(request) ?? since);
  } catch (error) {
    // The wrapper answers with the one error shape; the slot is this handler's to give back.
    slot.release();
    throw error;
  }

  const encoder = new TextEncoder();
  const { clock } = app;
  const timers: Timer[] = [];
  let unsubscribe = () => {};
  let stopListening = () => {};
  const onAbort = () => stream.end('disconnected');
  const stream = new ViewerStream({
    maxPendingBytes: MAX_PENDING_BYTES,
    onEnd: () => {
      unsubscribe();
      stopListening();
      for (const timer of timers) clock.clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      slot.release();
    },
  });
  const send = (text: string) => stream.send(encoder.encode(text));

  send(`retry: 3000\nid: ${initial.version}\nevent: presence\ndata: ${JSON.stringify(initial)}\n\n`);
  // Every stream gets the same encoded bytes for a diff (encoded once, however many viewers).
  unsubscribe = runtime.view.fanOut.subscribe((_text, bytes) => stream.send(bytes));

  let checking = false;
  // The heartbeat says how fresh the data is: with no one's presence changing for minutes, no diff
  // goes out, yet each refresh that succeeded makes it fresh (an event the page can read, where a
  // comment would keep only the connection alive).
  const heartbeat = clock.setInterval(() => {
    if (!send(`event: freshness\ndata: ${JSON.stringify(runtime.freshness())}\n\n`) || checking) return;
    checking = true;
    checkViewer(app, request.headers)
      .then((again) => {
        if (!again.ok || again.viewer?.id !== viewer?.id) stream.end('access');
      })
      .catch(() => stream.end('access'))
      .finally(() => (checking = false));
  }, settings.heartbeatSeconds * 1000);
  timers.push(heartbeat);
  timers.push(clock.setTimeout(() => stream.end('lifetime'), settings.maxSeconds * 1000));
  if (expiresAt !== null) {
    const untilExpiry = expiresAt * 1000 - clock.now();
    if (untilExpiry < settings.maxSeconds * 1000) timers.push(clock.setTimeout(() => stream.end('expired'), Math.min(Math.max(0, untilExpiry), MAX_TIMER_MS)));
  }
  // Listening before the abort check: a client already gone ends the stream, and the end stops this.
  stopListening = app.draining.onDrain(() => {
    send(RECONNECT_ELSEWHERE);
    stream.end('draining');
  });
  if (request.signal.aborted) stream.end('disconnected');
  else request.signal.addEventListener('abort', onAbort);

  return new Response(stream.readable, { headers: EVENT_STREAM_HEADERS });
});

const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/**
 * The last event id an EventSource got before it reconnected (it resends the address it first
 * opened, so its ?since= is old). Only our own ids, plain numbers; anything else is ignored.
 */
function lastEventId(request: Request): number | null {
  const raw = request.headers.get('last-event-id')?.trim();
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
