import { afterEach, describe, expect, it } from 'vitest';
import type { RegisterParams, ZulipClient } from '@/lib/zulip/client';
import { ZulipError } from '@/lib/zulip/errors';
import { runEventQueue } from '@/lib/zulip/event-queue';
import type { EventBatch, RegisterSnapshot, ZulipUpdate } from '@/lib/zulip/records';
import { readEvents, readRegister } from './records-support';
import { clientFor, fixture, json, startServer, type Recorded, type TestServer } from './support';

// The register → long-poll → acknowledge loop, first against a real HTTP server speaking
// Zulip's wire format, then against a scripted client for the failure paths (its answers are
// Zulip JSON read through lib/zulip's parsers, as the real client reads them).

const PARAMS: RegisterParams = { event_types: ['realm_user', 'user_status'], fetch_event_types: ['realm_user', 'user_status', 'realm'] };

function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not reached'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('runEventQueue against an HTTP server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('delivers events without heartbeats, acknowledges them, re-registers on BAD_EVENT_QUEUE_ID, deletes on abort', async () => {
    let queues = 0;
    let polls = 0;
    const handler = (req: Recorded, res: Parameters<Parameters<TestServer['handle']>[0]>[1]) => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'POST' && url.pathname === '/api/v1/register') {
        queues += 1;
        return json(res, 200, { ...fixture('register-200.json'), queue_id: `q${queues}`, event_queue_longpoll_timeout_seconds: 90 });
      }
      if (req.method === 'DELETE' && url.pathname === '/api/v1/events') return json(res, 200, { result: 'success', msg: '' });
      if (req.method === 'GET' && url.pathname === '/api/v1/events') {
        polls += 1;
        const queue = url.searchParams.get('queue_id')!;
        if (polls === 1) return json(res, 200, { result: 'success', msg: '', queue_id: queue, events: [{ type: 'heartbeat', id: 0 }] });
        if (polls === 2) {
          const add = { ...fixture('event-realm-user-add.json'), id: 1 };
          const status = { ...fixture('event-user-status.json'), id: 2 };
          return json(res, 200, { result: 'success', msg: '', queue_id: queue, events: [add, status] });
        }
        if (polls === 3) return json(res, 400, { ...fixture('error-bad-event-queue-id.json'), queue_id: queue });
        return; // poll 4 on the new queue: hang like a real long-poll until the loop is stopped
      }
      json(res, 404, { result: 'error', msg: 'nope' });
    };
    server = await startServer(handler);

    const registered: RegisterSnapshot[] = [];
    const delivered: ZulipUpdate[][] = [];
    const errors: unknown[] = [];
    const controller = new AbortController();
    const done = runEventQueue({
      client: clientFor(server),
      registerParams: PARAMS,
      onRegister: (state) => void registered.push(state),
      onEvents: (events) => void delivered.push(events),
      onError: (e) => errors.push(e),
      signal: controller.signal,
    });
    await until(() => polls === 4);
    controller.abort();
    await done;

    expect(registered.map((s) => s.queueId)).toEqual(['q1', 'q2']);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.map((u) => u.kind)).toEqual(['user_added', 'status_changed']);
    expect(errors).toHaveLength(1);
    expect(ZulipError.isBadEventQueue(errors[0])).toBe(true);

    const polled = server.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url, 'http://x').searchParams);
    expect(polled.map((p) => [p.get('queue_id'), p.get('last_event_id')])).toEqual([
      ['q1', '-1'],
      ['q1', '0'], // the heartbeat was acknowledged
      ['q1', '2'],
      ['q2', '-1'], // fresh queue after re-register
    ]);
    const registers = server.requests.filter((r) => r.method === 'POST');
    expect(new URLSearchParams(registers[0]!.body).get('event_types')).toBe('["realm_user","user_status"]');
    const deletes = server.requests.filter((r) => r.method === 'DELETE');
    // Only the live queue is deleted; the one the server forgot (q1) costs no extra request.
    expect(deletes.map((d) => d.body)).toEqual(['queue_id=q2']);
  });

  it('registers again when a restart event says the server now runs another feature level (send_restart_events; the queue outlives an upgrade)', async () => {
    let queues = 0;
    let polls = 0;
    const restart = (level: number, id: number) => ({ ...fixture('event-restart.json'), zulip_feature_level: level, id });
    server = await startServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'POST' && url.pathname === '/api/v1/register') {
        queues += 1;
        return json(res, 200, { ...fixture('register-200.json'), queue_id: `q${queues}`, zulip_feature_level: queues === 1 ? 185 : 222 });
      }
      if (req.method === 'DELETE' && url.pathname === '/api/v1/events') return json(res, 200, { result: 'success', msg: '' });
      if (req.method === 'GET' && url.pathname === '/api/v1/events') {
        polls += 1;
        const queue = url.searchParams.get('queue_id')!;
        // A restart at the same level keeps the queue; one at a new level does not.
        if (polls === 1) return json(res, 200, { result: 'success', msg: '', queue_id: queue, events: [restart(185, 0)] });
        if (polls === 2) return json(res, 200, { result: 'success', msg: '', queue_id: queue, events: [restart(222, 1)] });
        return; // the new queue's first poll hangs until the loop is stopped
      }
      json(res, 404, { result: 'error', msg: 'nope' });
    });
    const registered: RegisterSnapshot[] = [];
    const controller = new AbortController();
    const done = runEventQueue({ client: clientFor(server), registerParams: PARAMS, onRegister: (state) => void registered.push(state), onEvents: () => {}, signal: controller.signal });
    await until(() => polls === 3);
    controller.abort();
    await done;
    expect(registered.map((s) => [s.queueId, s.featureLevel])).toEqual([
      ['q1', 185],
      ['q2', 222],
    ]);
    const polled = server.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url, 'http://x').searchParams.get('queue_id'));
    expect(polled).toEqual(['q1', 'q1', 'q2']);
    // The old queue is given back; the new one when the loop stops.
    expect(server.requests.filter((r) => r.method === 'DELETE').map((d) => d.body)).toEqual(['queue_id=q1', 'queue_id=q2']);
  });
});

type Step = (call: { queueId: string; lastEventId: number; timeoutMs?: number }) => Promise<EventBatch>;

/** `register` adds fields to each register answer, as Zulip would send them. */
function scriptedClient(steps: Step[], register?: (n: number) => Record<string, unknown>) {
  let registers = 0;
  const log: string[] = [];
  const timeouts: (number | undefined)[] = [];
  const client: Pick<ZulipClient, 'register' | 'getEvents' | 'deleteQueue'> = {
    register: async () => {
      registers += 1;
      log.push(`register ${registers}`);
      return readRegister({
        result: 'success',
        msg: '',
        queue_id: `q${registers}`,
        last_event_id: -1,
        zulip_feature_level: 372,
        zulip_version: '10.2',
        ...register?.(registers),
      });
    },
    getEvents: async (params, opts) => {
      log.push(`poll ${params.queueId} ${params.lastEventId}`);
      timeouts.push(opts?.timeoutMs);
      const step = steps.shift();
      if (!step) {
        // Out of script: behave like an idle long-poll that ends on abort.
        return new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason)));
      }
      return step({ ...params, timeoutMs: opts?.timeoutMs });
    },
    deleteQueue: async (queueId) => {
      log.push(`delete ${queueId}`);
    },
  };
  return { client, log, timeouts, done: () => steps.length === 0 };
}

/** One answered poll carrying these events (Zulip JSON). */
const ok = (...events: Record<string, unknown>[]): Step => async () => readEvents(events);
const fail = (error: Error): Step => async () => {
  throw error;
};
const http = (status: number, code?: string) => new ZulipError({ kind: 'http', endpoint: 'GET /events', status, code });

async function run(scripted: ReturnType<typeof scriptedClient>, extra: Partial<Parameters<typeof runEventQueue>[0]> = {}) {
  const controller = new AbortController();
  const delivered: ZulipUpdate[] = [];
  const errors: unknown[] = [];
  const done = runEventQueue({
    client: scripted.client,
    registerParams: PARAMS,
    onRegister: () => {},
    onEvents: (events) => void delivered.push(...events),
    onError: (e) => errors.push(e),
    signal: controller.signal,
    backoff: { initialMs: 5, maxMs: 20 },
    ...extra,
  });
  await until(scripted.done);
  await new Promise((r) => setTimeout(r, 30));
  controller.abort();
  await done;
  return { delivered, errors };
}

describe('runEventQueue recovery', () => {
  it('uses event_queue_longpoll_timeout_seconds plus a margin, or 90 s when absent', async () => {
    const withValue = scriptedClient([ok()], () => ({ event_queue_longpoll_timeout_seconds: 20 }));
    await run(withValue);
    expect(withValue.timeouts[0]).toBe(30_000);
    const without = scriptedClient([ok()]);
    await run(without);
    expect(without.timeouts[0]).toBe(100_000);
  });

  it('backs off and polls the same queue again after network errors and 5xx', async () => {
    const s = scriptedClient([
      fail(new ZulipError({ kind: 'network', endpoint: 'GET /events' })),
      fail(http(502)),
      fail(new ZulipError({ kind: 'timeout', endpoint: 'GET /events' })),
      ok({ type: 'user_status', id: 5, user_id: 10, status_text: 'lunch' }),
    ]);
    const { delivered, errors } = await run(s);
    expect(errors).toHaveLength(3);
    expect(delivered).toEqual([{ kind: 'status_changed', userId: 10, status: { text: 'lunch' } }]);
    expect(s.log.slice(0, 6)).toEqual(['register 1', 'poll q1 -1', 'poll q1 -1', 'poll q1 -1', 'poll q1 -1', 'poll q1 5']);
  });

  it('re-registers after other 4xx errors (e.g. pruned events) and invalid responses', async () => {
    const s = scriptedClient([fail(http(400, 'BAD_REQUEST')), fail(new ZulipError({ kind: 'invalid_response', endpoint: 'GET /events' }))]);
    await run(s);
    expect(s.log).toEqual(['register 1', 'poll q1 -1', 'delete q1', 'register 2', 'poll q2 -1', 'delete q2', 'register 3', 'poll q3 -1', 'delete q3']);
  });

  it('waits out a rate limit before polling again', async () => {
    const s = scriptedClient([fail(new ZulipError({ kind: 'rate_limited', endpoint: 'GET /events', retryAfterSeconds: 0.2 })), ok()]);
    const started = Date.now();
    await run(s);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('keeps going (and acknowledges) when onEvents throws', async () => {
    const s = scriptedClient([ok({ type: 'heartbeat', id: 0 }, { type: 'restart', id: 1 }), ok()]);
    const errors: unknown[] = [];
    const controller = new AbortController();
    const done = runEventQueue({
      client: s.client,
      registerParams: PARAMS,
      onRegister: () => {},
      onEvents: () => {
        throw new Error('consumer bug');
      },
      onError: (e) => errors.push(e),
      signal: controller.signal,
    });
    await until(s.done);
    await until(() => s.log.length >= 4);
    controller.abort();
    await done;
    expect((errors[0] as Error).message).toBe('consumer bug');
    expect(s.log.slice(0, 4)).toEqual(['register 1', 'poll q1 -1', 'poll q1 1', 'poll q1 1']);
  });

  // Events that do not fit are now reported by the parser (tests/zulip/parse-records.test.ts) and
  // never reach the loop; what the loop owes them is the acknowledgement.
  it('acknowledges an answer whose events were all dropped, delivering nothing', async () => {
    const s = scriptedClient([ok({ type: 'message', id: 3, message: {} }, { type: 'heartbeat', id: 4 }), ok()]);
    const { delivered, errors } = await run(s);
    expect(delivered).toEqual([]);
    expect(errors).toEqual([]);
    expect(s.log.slice(0, 4)).toEqual(['register 1', 'poll q1 -1', 'poll q1 4', 'poll q1 4']);
  });

  it('stops promptly when aborted during a back-off wait', async () => {
    const s = scriptedClient([fail(http(503))]);
    const controller = new AbortController();
    const done = runEventQueue({
      client: s.client,
      registerParams: PARAMS,
      onRegister: () => {},
      onEvents: () => {},
      signal: controller.signal,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await until(s.done);
    const started = Date.now();
    controller.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(s.log.at(-1)).toBe('delete q1');
  });
});
