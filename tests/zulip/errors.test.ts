import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZulipError, isZulipError } from '@/lib/zulip/errors';
import { RateBudget } from '@/lib/zulip/rate-budget';
import { API_KEY, assertNoSecret, caught, clientFor, configFor, fixture, json, startServer, type TestServer } from './support';
import { createZulipClient } from '@/lib/zulip/client';
import type { RecordIssue } from '@/lib/zulip/record-issues';

// Every failure mode of a call becomes one ZulipError with the right kind/status/code, and no
// rendering of it (message, String, JSON, stack, cause) contains the API key.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<ZulipError> {
  const err = await caught(promise);
  expect(isZulipError(err)).toBe(true);
  assertNoSecret(err);
  return err as ZulipError;
}

describe("Zulip's error examples", () => {
  it('BAD_EVENT_QUEUE_ID', async () => {
    server.handle((_, res) => json(res, 400, fixture('error-bad-event-queue-id.json')));
    const err = await failure(clientFor(server).getEvents({ queueId: 'fb67bf8a-c031-47cc-84cf-ed80accacda8', lastEventId: 1 }));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'BAD_EVENT_QUEUE_ID', endpoint: 'GET /events' });
    expect(ZulipError.isBadEventQueue(err)).toBe(true);
    expect(err.isAuth).toBe(false);
  });

  it.each([
    ['error-invalid-api-key.json', 'INVALID_API_KEY'],
    ['error-user-deactivated.json', 'USER_DEACTIVATED'],
    ['error-realm-deactivated.json', 'REALM_DEACTIVATED'],
  ])('%s at 401 is an auth error', async (file, code) => {
    server.handle((_, res) => json(res, 401, fixture(file), { 'WWW-Authenticate': 'Basic realm="zulip"' }));
    const err = await failure(clientFor(server).getUsers());
    expect(err).toMatchObject({ kind: 'http', status: 401, code });
    expect(err.isAuth).toBe(true);
    expect(ZulipError.isAuth(err)).toBe(true);
  });

  it('what real servers send for a wrong key (UNAUTHORIZED) is an auth error too', async () => {
    server.handle((_, res) => json(res, 401, { result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' }));
    const err = await failure(clientFor(server).getRealmPresence());
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED', zulipMessage: 'Invalid API key' });
    expect(err.isAuth).toBe(true);
  });

  it('REQUEST_VARIABLE_MISSING', async () => {
    server.handle((_, res) => json(res, 400, fixture('error-missing-argument.json')));
    const err = await failure(clientFor(server).register({}));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'REQUEST_VARIABLE_MISSING', zulipMessage: "Missing 'content' argument" });
  });

  it('a 405 without a code', async () => {
    server.handle((_, res) => json(res, 405, { result: 'error', msg: 'Method Not Allowed', allowed_methods: ['POST'] }));
    const err = await failure(clientFor(server).getUsers());
    expect(err).toMatchObject({ kind: 'http', status: 405, zulipMessage: 'Method Not Allowed' });
    expect(err.code).toBeUndefined();
  });
});

describe('429', () => {
  it('takes a fractional Retry-After header and then blocks interactive calls without a request', async () => {
    server.handle((_, res) => json(res, 429, fixture('error-rate-limited.json'), { 'Retry-After': '28.706807374954224' }));
    const client = clientFor(server);
    const err = await failure(client.getRealmPresence());
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, code: 'RATE_LIMIT_HIT', retryAfterSeconds: 28.706807374954224 });
    expect(client.rateLimit().blockedUntil).toBeGreaterThan(Date.now() + 28_000);

    const before = server.requests.length;
    const blocked = await failure(client.getUserPresence(10));
    expect(blocked.kind).toBe('rate_limited');
    expect(blocked.retryAfterSeconds).toBeGreaterThan(28);
    expect(server.requests.length).toBe(before);
  });

  it('falls back to the body\'s "retry-after" field', async () => {
    server.handle((_, res) => json(res, 429, fixture('error-rate-limited.json')));
    const err = await failure(clientFor(server).getUsers());
    expect(err.retryAfterSeconds).toBe(28.706807374954224);
  });

  it('a background call waits out a short Retry-After and then succeeds', async () => {
    let calls = 0;
    server.handle((_, res) => {
      calls += 1;
      if (calls === 1) json(res, 429, { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 0.3 }, { 'Retry-After': '0.3' });
      else json(res, 200, fixture('realm-presence-200.json'));
    });
    const client = clientFor(server);
    await failure(client.getRealmPresence());
    const started = Date.now();
    await client.getRealmPresence();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(calls).toBe(2);
  });
});

describe('transport failures', () => {
  it('malformed JSON in a 200 is invalid_response', async () => {
    server.handle((_, res) => json(res, 200, '{"result": "success", "members": ['));
    const err = await failure(clientFor(server).getUsers());
    expect(err).toMatchObject({ kind: 'invalid_response', status: 200 });
    expect(err.message).toContain('not JSON');
  });

  it('an HTML 502 from a proxy is an http error without a code', async () => {
    server.handle((_, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    const err = await failure(clientFor(server).getUsers());
    expect(err).toMatchObject({ kind: 'http', status: 502 });
    expect(err.code).toBeUndefined();
  });

  it('times out', async () => {
    server.handle(() => {
      // never answer
    });
    const started = Date.now();
    const err = await failure(clientFor(server, { timeoutMs: 200 }).getUsers());
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a per-call timeout overrides the default', async () => {
    server.handle(() => {});
    const err = await failure(clientFor(server).getUserPresence(10, { timeoutMs: 100 }));
    expect(err.kind).toBe('timeout');
  });

  it('a dropped connection is a network error', async () => {
    server.handle((_, res, raw) => raw.socket.destroy());
    const err = await failure(clientFor(server).getUsers());
    expect(err.kind).toBe('network');
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('a connection dropped mid-body is a network error', async () => {
    server.handle((_, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"result":"success",');
      setTimeout(() => raw.socket.destroy(), 20);
    });
    const err = await failure(clientFor(server).getUsers());
    expect(err.kind).toBe('network');
  });

  it('a refused connection is a network error', async () => {
    const closed = await startServer();
    const site = closed.site;
    await closed.close();
    const err = await failure(createZulipClient(configFor(site), { budget: new RateBudget() }).getUsers());
    expect(err.kind).toBe('network');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it("the caller's abort rejects with the abort reason, not a ZulipError", async () => {
    server.handle(() => {});
    const controller = new AbortController();
    const pending = clientFor(server).getUsers({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await caught(pending);
    expect(isZulipError(err)).toBe(false);
    expect((err as Error).name).toBe('AbortError');
  });

  it('a redirect is not followed (credentials stay with the configured site)', async () => {
    server.handle((_, res) => {
      res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    const err = await failure(clientFor(server).getUsers());
    expect(err).toMatchObject({ kind: 'http', status: 302 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('the API key never appears', () => {
  it('even when the server echoes it back in msg', async () => {
    server.handle((_, res) => json(res, 401, { result: 'error', msg: `Invalid API key ${API_KEY}`, code: 'UNAUTHORIZED' }));
    const err = await failure(clientFor(server).getUsers());
    expect(err.zulipMessage).toBe('Invalid API key [redacted]');
  });

  // Records that do not fit no longer fail the answer: they are skipped and reported through
  // onRecordIssue (and logged), with the id Zulip gave them. What the server sends there is
  // response content like any other and must be redacted the same way.
  it.each([
    ['GET /realm/presence', { presences: { [API_KEY]: 3 }, server_timestamp: 1 }, (c: ReturnType<typeof clientFor>) => c.getRealmPresence()],
    ['GET /users', { members: [{ user_id: API_KEY, full_name: 'x' }] }, (c: ReturnType<typeof clientFor>) => c.getUsers()],
    ['GET /events', { events: [{ id: API_KEY, type: 'presence' }] }, (c: ReturnType<typeof clientFor>) => c.getEvents({ queueId: 'q', lastEventId: -1 })],
  ])('nor in skipped-record reports built from response content (%s)', async (_endpoint, body, call) => {
    server.handle((_, res) => json(res, 200, { result: 'success', msg: '', ...body }));
    const issues: RecordIssue[] = [];
    await call(clientFor(server, { onRecordIssue: (issue) => issues.push(issue) }));
    expect(issues).toHaveLength(1);
    expect(JSON.stringify(issues)).not.toContain(API_KEY);
    expect(issues[0]?.id).toContain('[redacted]');
  });
});

describe('isZulipError across bundles', () => {
  it('recognises a ZulipError made by another copy of the class (Next bundles server code more than once)', () => {
    const foreign = Object.assign(new Error('Zulip GET /x: timed out'), { name: 'ZulipError', kind: 'timeout', endpoint: 'GET /x' });
    expect(isZulipError(foreign)).toBe(false);
    (foreign as unknown as Record<symbol, unknown>)[Symbol.for('zulip-directory.ZulipError')] = true;
    expect(isZulipError(foreign)).toBe(true);
  });
});
