import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZulipError } from '@/lib/zulip/errors';
import { RateBudget } from '@/lib/zulip/rate-budget';
import { caught, clientFor, fixture, json, startServer, type TestServer } from './support';
import { sleep, systemClock, type Clock } from '@/lib/clock';
import { parseRetryAfter } from '@/lib/zulip/http';

const T0 = 1_750_000_000_000;

/** The real clock's timers, with time moved by hand. */
function clock(start = T0) {
  let now = start;
  return { ...systemClock, now: () => now, advance: (ms: number) => (now += ms) };
}

function headers(limit: number, remaining: number, resetUnix: number, date?: number): Headers {
  const h = new Headers({
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-Reset': String(resetUnix),
  });
  if (date !== undefined) h.set('Date', new Date(date).toUTCString());
  return h;
}

describe('RateBudget', () => {
  it('allows everything before the server has said anything', async () => {
    const budget = new RateBudget();
    await budget.acquire('GET /users', 'interactive');
    expect(budget.snapshot()).toMatchObject({ limit: null, remaining: null, interactiveAvailable: true });
  });

  it('refuses detail (interactive) calls before list (background) calls as the budget runs low', async () => {
    const c = clock();
    // 200/min advertised; we use 80% = 160; a quarter of that (40) is kept for background work.
    const budget = new RateBudget({ clock: c, share: 0.8, backgroundReserve: 0.25 });
    budget.update(headers(200, 81, T0 / 1000 + 30));
    await budget.acquire('GET /users/{user_id_or_email}/presence', 'interactive'); // headroom 41 > 40
    const refused = await caught(budget.acquire('GET /users/{user_id_or_email}/presence', 'interactive'));
    expect(refused).toBeInstanceOf(ZulipError);
    expect(refused).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 30 });

    // Background calls still go: 80 → 41 remaining.
    for (let i = 0; i < 39; i += 1) await budget.acquire('GET /realm/presence', 'background');
    expect(budget.snapshot()).toMatchObject({ remaining: 41, interactiveAvailable: false, backgroundAvailable: true });
    await budget.acquire('GET /realm/presence', 'background');
    expect(budget.snapshot().backgroundAvailable).toBe(false);
  });

  it('background calls wait for the window to reset, at most maxBackgroundWaitMs', async () => {
    const budget = new RateBudget({ maxBackgroundWaitMs: 1_000 });
    budget.update(headers(10, 2, Date.now() / 1000 + 0.2)); // allowance 8: nothing left
    const started = Date.now();
    await budget.acquire('GET /realm/presence', 'background');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(budget.snapshot().remaining).toBe(9);

    budget.update(headers(10, 0, Date.now() / 1000 + 60));
    expect(await caught(budget.acquire('GET /realm/presence', 'background'))).toMatchObject({ kind: 'rate_limited' });
  });

  it('a 429 blocks every call until Retry-After (fractional) has passed', async () => {
    const c = clock();
    const budget = new RateBudget({ clock: c, maxBackgroundWaitMs: 0 });
    budget.block(1.5);
    expect(budget.snapshot().blockedUntil).toBe(T0 + 1500);
    const err = await caught(budget.acquire('GET /users', 'interactive'));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 1.5 });
    c.advance(1500);
    await budget.acquire('GET /users', 'interactive');
    expect(budget.snapshot().blockedUntil).toBeNull();
  });

  it('takes a Retry-After of weeks (a proxy\'s or a clock\'s mistake) as an hour, the longest reset it believes', async () => {
    expect(parseRetryAfter('28.706807374954224')).toBeCloseTo(28.7068, 3);
    expect(parseRetryAfter('3000000')).toBe(3600);
    expect(parseRetryAfter(new Date(Date.now() + 40 * 86_400_000).toUTCString())).toBe(3600);
    expect(parseRetryAfter('-5')).toBe(0);
    // The same from the body, where Zulip also puts it: an hour, and Zulip is asked again after it.
    const server = await startServer((_, res) => json(res, 429, { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 3_000_000 }));
    try {
      const c = clock();
      const budget = new RateBudget({ clock: c });
      const err = await caught(clientFor(server, { budget }).getRealmPresence());
      expect(err).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 3600 });
      expect(budget.snapshot().blockedUntil).toBe(T0 + 3_600_000);
    } finally {
      await server.close();
    }
  });

  it('a wait longer than a timer can hold waits the longest it can, not 1 ms (Node fires such a timer at once)', async () => {
    let asked = -1;
    const held: Clock = { ...systemClock, setTimeout: (callback, ms) => ((asked = ms), systemClock.setTimeout(callback, 0)) };
    await sleep(40 * 86_400_000, undefined, held);
    expect(asked).toBe(2 ** 31 - 1);
  });

  it('measures X-RateLimit-Reset against the server Date header, not the local clock', () => {
    const c = clock();
    const budget = new RateBudget({ clock: c });
    const serverNow = T0 + 3_600_000; // server clock an hour ahead
    budget.update(headers(200, 150, serverNow / 1000 + 20, serverNow));
    expect(budget.snapshot().resetAt).toBe(T0 + 20_000);
  });

  it('assumes a full window after the reset time', () => {
    const c = clock();
    const budget = new RateBudget({ clock: c });
    budget.update(headers(200, 0, T0 / 1000 + 10));
    expect(budget.snapshot().backgroundAvailable).toBe(false);
    c.advance(10_000);
    expect(budget.snapshot()).toMatchObject({ remaining: 200, resetAt: null, backgroundAvailable: true });
  });

  it('ignores responses without rate-limit headers', () => {
    const budget = new RateBudget();
    budget.update(new Headers({ 'Content-Type': 'application/json' }));
    expect(budget.snapshot().limit).toBeNull();
  });
});

describe('the client feeds the budget', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_, res) =>
      json(res, 200, fixture('realm-presence-200.json'), {
        'X-RateLimit-Limit': '200',
        'X-RateLimit-Remaining': '50',
        'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 40),
      }),
    );
  });
  afterAll(() => server.close());

  it('reads X-RateLimit-* from every response and refuses interactive calls when low', async () => {
    const client = clientFor(server);
    await client.getRealmPresence();
    expect(client.rateLimit()).toMatchObject({ limit: 200, remaining: 50, allowance: 160, interactiveAvailable: false, backgroundAvailable: true });
    const before = server.requests.length;
    expect(await caught(client.getUserPresence(10))).toMatchObject({ kind: 'rate_limited' });
    expect(server.requests.length).toBe(before);
    // The caller can mark a detail fetch as background work to let it through.
    await expect(client.getRealmPresence({ priority: 'background' })).resolves.toBeDefined();
  });
});

describe('calls still on their way', () => {
  // A sliding-window server like Zulip's (and the demo's): it counts a call when it arrives and
  // reports what is left as of then. Many detail fetches start at once; their answers come back
  // one by one, each reporting a count that does not include the calls still on their way.
  it('a burst answered one by one never takes the process past its share of the limit', async () => {
    const c = clock();
    const budget = new RateBudget({ clock: c, share: 0.8, backgroundReserve: 0.25 });
    const LIMIT = 200;
    const reset = () => T0 / 1000 + 60;
    budget.update(headers(LIMIT, LIMIT - 1, reset())); // the first call (register) has been answered
    let counted = 1; // calls the server has seen in its window
    const waiting: number[] = []; // what the server will report to each call still on its way

    // Viewers keep opening breakdowns: every moment, try to start a few; answer one call per moment.
    for (let moment = 0; moment < 400; moment++) {
      for (let i = 0; i < 5; i++) {
        try {
          await budget.acquire('GET /users/{user_id_or_email}/presence', 'interactive');
        } catch {
          continue; // refused locally ("busy, try again"): nothing sent
        }
        counted++;
        waiting.push(LIMIT - counted);
      }
      const answer = waiting.shift();
      if (answer !== undefined) budget.update(headers(LIMIT, Math.max(0, answer), reset()));
      c.advance(10);
    }
    // All within one window: the server must never have seen more than our share (160), let
    // alone its limit; interactive calls keep a quarter of it for the list refresh.
    expect(counted).toBeLessThanOrEqual(160 - 40 + 1);
    expect(counted).toBeGreaterThan(100);
  });

  it('a call that failed without an answer stops counting as on its way', async () => {
    const budget = new RateBudget({ share: 1, backgroundReserve: 0 });
    budget.update(headers(10, 10, Date.now() / 1000 + 60));
    await budget.acquire('GET /realm/presence', 'background'); // fails: no answer
    budget.settle();
    await budget.acquire('GET /realm/presence', 'background'); // answered
    budget.update(headers(10, 8, Date.now() / 1000 + 60));
    expect(budget.snapshot().remaining).toBe(8);
  });
});
