// GET and DELETE /events are served by Tornado, which rate-limits them in its own memory
// (docs/zulip-versions.md §5): Zulip 9.0 zerver/lib/rate_limiter.py RateLimitedUser picks
// TornadoInMemoryRateLimiterBackend for the domains in RATE_LIMITING_DOMAINS_FOR_TORNADO
// (zproject/computed_settings.py), and zerver/middleware.py RateLimitMiddleware reports that
// bucket in the X-RateLimit-* headers.
import { describe, expect, it, onTestFinished } from 'vitest';
import { TornadoRateLimiter } from '@/lib/demo-zulip/http/tornado-rate-limit';
import { call, startTestServer, type CallResult, type TestServer } from './helpers';

const limits = (res: CallResult) => ({
  limit: res.headers.get('x-ratelimit-limit'),
  remaining: res.headers.get('x-ratelimit-remaining'),
  reset: Number(res.headers.get('x-ratelimit-reset')),
});

async function start(requests = 200): Promise<TestServer> {
  const server = await startTestServer({ users: 10, rateLimit: { requests, windowSeconds: 60 } });
  onTestFinished(() => server.close());
  return server;
}

/** X-RateLimit-Reset is int(now + secs_to_freedom); float sums may land a hair below a whole second. */
function expectReset(res: CallResult, at: number): void {
  expect(Math.abs(limits(res).reset - Math.floor(at))).toBeLessThanOrEqual(1);
}

const poll = (server: TestServer, queueId: string) => call(server, 'events', { params: { queue_id: queueId, last_event_id: -1, dont_block: true } });

describe("Tornado's rate limit for /events", () => {
  it('has its own headers, and does not use up the main budget', async () => {
    const server = await start();
    const reg = await call(server, 'register', { method: 'POST' });
    expect(limits(reg).remaining).toBe('199');
    const queueId = reg.body.queue_id as string;
    const nowSec = server.nowMs() / 1000;
    const first = await poll(server, queueId);
    // TornadoInMemoryRateLimiterBackend.get_api_calls_left: one call fills 60/200 = 0.3 s of the bucket.
    expect(limits(first)).toMatchObject({ limit: '200', remaining: '199' });
    expectReset(first, nowSec + 0.3);
    for (let i = 0; i < 9; i++) await poll(server, queueId);
    const tenth = await poll(server, queueId);
    expect(limits(tenth).remaining).toBe('189');
    // Django's (Redis) count saw only the register call.
    const users = await call(server, 'users/me');
    expect(limits(users).remaining).toBe('198');
    expectReset(users, nowSec + 60);
  });

  it('refuses the call that overfills the bucket, with the time it takes to drain', async () => {
    const server = await start(3);
    const queueId = (await call(server, 'register', { method: 'POST' })).body.queue_id as string;
    for (let i = 0; i < 3; i++) expect((await poll(server, queueId)).status).toBe(200);
    const refused = await poll(server, queueId);
    expect(refused.status).toBe(429);
    // need_to_limit: the bucket would reach now + 80 s with a 60 s window, free in 20 s.
    expect(refused.body.code).toBe('RATE_LIMIT_HIT');
    expect(refused.body['retry-after']).toBeCloseTo(20, 6);
    expect(limits(refused)).toMatchObject({ limit: '3', remaining: '0' });
    expectReset(refused, server.nowMs() / 1000 + 20);
    // DELETE /events counts in the same bucket; every other endpoint is unaffected.
    expect((await call(server, 'events', { method: 'DELETE', params: { queue_id: queueId } })).status).toBe(429);
    expect((await call(server, 'users/me')).status).toBe(200);
    server.advance(20.5); // a little past the 20 s, away from float ties
    expect((await poll(server, queueId)).status).toBe(200);
  });

  it('drains at requests per window', () => {
    const bucket = new TornadoRateLimiter(200, 60);
    const t = 1_800_000_000;
    for (let i = 0; i < 200; i++) expect(bucket.hit('k', t).allowed).toBe(true);
    expect(bucket.hit('k', t)).toMatchObject({ allowed: false, remaining: 0 });
    expect(bucket.hit('k', t + 0.31).allowed).toBe(true);
    expect(bucket.hit('other', t)).toMatchObject({ allowed: true, remaining: 199 });
  });
});
