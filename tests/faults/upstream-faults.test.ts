// Upstream faults (docs/architecture.md §3, the last point), one test each, injected with the demo server's
// /demo/faults: slow responses, 5xx, malformed JSON, dropped connections, 429 storms, expired
// event queues and revoked credentials. For each: no request to the app waits longer than the
// Zulip timeout, the last known data is served marked stale, /api/health names the state, the
// app recovers by itself within one refresh interval (plus one timeout for a call already in
// flight) after the fault clears, and no promise rejection goes unhandled.
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as healthRoute } from '@/app/api/health/route';
import { GET as peopleRoute } from '@/app/api/people/route';
import { GET as presenceDetailRoute } from '@/app/api/people/[ref]/presence/route';
import { connectedPeople, startTestDirectory, until, type TestDirectory } from '../support/directory';

const REFRESH_MS = 1_000;
const TIMEOUT_MS = 1_000;
/** Scheduling and local round trips; far below the fault latencies used. */
const SLACK_MS = 1_000;
/** How long each fault lasts at least. */
const HOLD_MS = 6 * REFRESH_MS;

let dir: TestDirectory;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let people: number[] = [];
let nextPerson = 0;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = await startTestDirectory({ demo: { users: 40, seed: 5 }, timeoutMs: TIMEOUT_MS, settings: { PRESENCE_REFRESH_SECONDS: REFRESH_MS / 1000 } });
  people = connectedPeople(dir);
}, 30_000);

afterAll(async () => {
  await dir?.close();
  process.off('unhandledRejection', onUnhandled);
});

beforeEach(async () => {
  await until(() => dir.runtime.health.state === 'ok', 'a healthy start');
});

afterEach(async () => {
  await dir.control('DELETE', '/demo/faults');
  // Let requests still sleeping inside the demo server finish before the next fault.
  await until(() => dir.runtime.health.state === 'ok', 'recovery after the test', 15_000);
  expect(unhandled).toEqual([]);
});

/** A person whose breakdown this file has not fetched yet. */
const freshPerson = () => people[nextPerson++ % people.length]!;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

async function health() {
  const res = await healthRoute(new Request('http://directory.test/api/health'));
  return { status: res.status, body: (await res.json()) as { status: string; upstream: { credentialsAccepted: boolean | null; lastError: unknown }; data: { stale: boolean; people: number } } };
}

async function peoplePage() {
  const res = await peopleRoute(new NextRequest('http://directory.test/api/people?limit=200'));
  return { status: res.status, body: (await res.json()) as { total: number; items: unknown[]; freshness: { stale: boolean; problem: string | null } } };
}

async function breakdown(id: number) {
  const res = await presenceDetailRoute(new Request(`http://directory.test/api/people/${id}/presence`), { params: Promise.resolve({ ref: String(id) }) });
  return { status: res.status, body: (await res.json()) as { stale?: boolean; available?: boolean; source?: string; error?: { code: string } } };
}

/**
 * The common story of a fault: before it, a breakdown is fetched (so there is a last known one);
 * during it, everything answers within the timeout, from the last known data, marked stale, and
 * health says `state`; after it clears, health is ok again within a refresh interval. A breakdown
 * never fetched fails with `uncached`'s error, or (rate-limited, on a server whose per-person
 * answer adds nothing to the snapshot: docs/architecture.md §5) comes from the snapshot, stale.
 */
async function underFault(options: {
  start: () => Promise<unknown>;
  stop: () => Promise<unknown>;
  state: string;
  uncached: { error: string } | { fromSnapshot: true };
  /** Extra time recovery may take (a Retry-After that must be honoured). */
  recoveryExtraMs?: number;
}) {
  const known = freshPerson();
  expect((await breakdown(known)).body.stale).toBe(false);
  const total = (await peoplePage()).body.total;
  expect(total).toBeGreaterThan(10);
  // Let the breakdown's cache entry expire so the next request has to ask Zulip again.
  await new Promise((r) => setTimeout(r, 1_100));

  await options.start();
  const started = Date.now();
  await until(() => dir.runtime.health.state === options.state, `health to report "${options.state}"`, REFRESH_MS + TIMEOUT_MS + 3_000);

  const h = await timed(health);
  expect(h.value.status).toBe(503);
  expect(h.value.body.status).toBe(options.state);
  expect(h.value.body.data.stale).toBe(true);
  expect(h.ms).toBeLessThan(SLACK_MS);

  const page = await timed(peoplePage);
  expect(page.value.status).toBe(200);
  expect(page.value.body.total).toBe(total);
  expect(page.value.body.freshness.stale).toBe(true);
  expect(page.value.body.freshness.problem).toBeTruthy();
  expect(page.ms).toBeLessThan(SLACK_MS);

  const cached = await timed(() => breakdown(known));
  expect(cached.value.status).toBe(200);
  expect(cached.value.body.stale).toBe(true);
  expect(cached.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

  const uncached = await timed(() => breakdown(freshPerson()));
  if ('error' in options.uncached) {
    expect(uncached.value.body.error?.code).toBe(options.uncached.error);
    expect(uncached.value.status).toBeGreaterThanOrEqual(502);
  } else {
    expect(uncached.value.status).toBe(200);
    expect(uncached.value.body).toMatchObject({ source: 'snapshot', stale: true });
  }
  expect(uncached.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

  // Keep the fault up for several refresh intervals: long enough for back-offs to grow, which
  // must still not delay recovery beyond one interval.
  await new Promise((r) => setTimeout(r, Math.max(0, HOLD_MS - (Date.now() - started))));
  await options.stop();
  const cleared = Date.now();
  await until(() => dir.runtime.health.state === 'ok', 'recovery', 15_000);
  expect(Date.now() - cleared).toBeLessThan(REFRESH_MS + TIMEOUT_MS + (options.recoveryExtraMs ?? 0) + SLACK_MS);
  expect((await peoplePage()).body.freshness.stale).toBe(false);
  expect((await health()).status).toBe(200);
}

const setFaults = (faults: Record<string, unknown>) => () => dir.control('POST', '/demo/faults', faults);
const clearFaults = () => dir.control('DELETE', '/demo/faults');

describe('upstream faults', () => {
  it('slow responses: nothing waits past the timeout; stale data; "unreachable"', async () => {
    await underFault({ start: setFaults({ latencyMs: 3 * TIMEOUT_MS }), stop: clearFaults, state: 'unreachable', uncached: { error: 'upstream_timeout' } });
  });

  it('5xx answers: stale data, "error", and viewers are told over the stream', async () => {
    const messages: string[] = [];
    const unsubscribe = dir.runtime.view.fanOut.subscribe((m) => messages.push(m));
    try {
      await underFault({ start: setFaults({ errorRate: 1, errorStatus: 502 }), stop: clearFaults, state: 'error', uncached: { error: 'upstream_error' } });
    } finally {
      unsubscribe();
    }
    const freshness = messages.map((m) => (JSON.parse(m.split('data: ')[1]!) as { freshness: { stale: boolean } }).freshness.stale);
    expect(freshness).toContain(true);
    expect(freshness.at(-1)).toBe(false);
  });

  it('malformed JSON: stale data, "error"', async () => {
    await underFault({ start: setFaults({ malformedJson: true }), stop: clearFaults, state: 'error', uncached: { error: 'upstream_error' } });
  });

  it('dropped connections: stale data, "unreachable"', async () => {
    await underFault({ start: setFaults({ dropConnections: true }), stop: clearFaults, state: 'unreachable', uncached: { error: 'upstream_unreachable' } });
  });

  it('a 429 storm: Retry-After honoured, interactive calls fail fast, "rate_limited"; breakdowns from the snapshot', async () => {
    // The demo imitates 10.2 (FL 372), whose per-person answer adds nothing to the snapshot.
    expect(dir.runtime.view.org.featureLevel).toBe(372);
    await underFault({
      start: setFaults({ force429: { retryAfter: 0.5 } }),
      stop: clearFaults,
      state: 'rate_limited',
      uncached: { fromSnapshot: true },
      recoveryExtraMs: 500,
    });
  });

  it('revoked credentials (401): "unauthorized", credentials reported refused, recovery when the key works again', async () => {
    const botId = dir.demo.org.directoryBotId;
    const key = dir.demo.bot.apiKey;
    await underFault({
      start: async () => {
        await dir.control('POST', `/demo/users/${botId}/api_key`);
      },
      stop: () => dir.control('POST', `/demo/users/${botId}/api_key`, { api_key: key }),
      state: 'unauthorized',
      uncached: { error: 'upstream_unauthorized' },
    });
  });

  it('revoked credentials: health says the credentials are refused', async () => {
    const botId = dir.demo.org.directoryBotId;
    await dir.control('POST', `/demo/users/${botId}/api_key`);
    try {
      await until(() => dir.runtime.health.state === 'unauthorized', 'unauthorized');
      const h = await health();
      expect(h.body.upstream.credentialsAccepted).toBe(false);
      expect(JSON.stringify(h.body)).not.toContain(dir.demo.bot.apiKey);
    } finally {
      await dir.control('POST', `/demo/users/${botId}/api_key`, { api_key: dir.demo.bot.apiKey });
    }
  });

  it('expired event queues: registers again at once, stays healthy, and keeps receiving events', async () => {
    const registersBefore = ((await dir.control('GET', '/demo/stats')).byEndpoint as Record<string, number>)['POST /api/v1/register'] ?? 0;
    const states = new Set<string>();
    const sampler = setInterval(() => states.add(dir.runtime.health.state), 10);
    try {
      await dir.control('POST', '/demo/faults', { expireQueues: true });
      await until(
        async () => (((await dir.control('GET', '/demo/stats')).byEndpoint as Record<string, number>)['POST /api/v1/register'] ?? 0) > registersBefore,
        'a new registration',
      );
      // The new queue delivers: a status set now reaches the directory.
      const person = dir.demo.org.users.find((u) => !u.is_bot && u.is_active)!;
      const res = await fetch(`${dir.demo.site}/api/v1/users/me/status`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${person.delivery_email}:${person.api_key}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ status_text: 'After the queue expired' }),
      });
      expect(res.status).toBe(200);
      await until(() => dir.runtime.view.people.get(person.user_id)?.status?.text === 'After the queue expired', 'the status event');
    } finally {
      clearInterval(sampler);
    }
    expect([...states]).toEqual(['ok']);
    expect((await peoplePage()).body.freshness.stale).toBe(false);
  });
});
