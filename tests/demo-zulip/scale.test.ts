// A 20,000-person organization starts quickly and serves the bulk endpoints quickly. Bounds are
// loose because test files run in parallel; bench/ measures the real numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers';

describe('20,000 people', () => {
  let server: TestServer;
  let startMs = 0;
  beforeAll(async () => {
    const started = Date.now();
    server = await startTestServer({ users: 20_000 });
    startMs = Date.now() - started;
  }, 20_000);
  afterAll(() => server?.close());

  it('starts in a few seconds', () => {
    expect(server.org.users.filter((u) => !u.is_bot).length).toBeGreaterThanOrEqual(20_000);
    expect(startMs).toBeLessThan(6_000);
  });

  it('serves GET /users and GET /realm/presence fast, from cache the second time', async () => {
    const timed = async (path: string) => {
      const started = Date.now();
      const res = await call(server, path);
      expect(res.status).toBe(200);
      return { ms: Date.now() - started, body: res.body };
    };
    const first = await timed('users');
    expect((first.body.members as unknown[]).length).toBe(server.org.users.length);
    const second = await timed('users');
    expect(second.ms).toBeLessThan(Math.max(1_500, first.ms));
    const presence = await timed('realm/presence');
    expect(Object.keys(presence.body.presences as object).length).toBeGreaterThan(10_000);
    expect(presence.ms).toBeLessThan(3_000);
  }, 20_000);
});
