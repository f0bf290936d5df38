import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, clientFor, fixture, json, startServer, type TestServer } from './support';

// GET /users/{user_id_or_email}/presence in its four generations (docs/zulip.md §a):
// before 7.0 one record per client + aggregated; 7.0 to FL 486 website + aggregated (Zulip's own
// example); FL 487–496 only active_timestamp/idle_timestamp; from FL 497 both, with a top-level
// server_timestamp, and aggregated.status may be "offline". The client reads each into one
// UserPresenceDetail: the client records, `aggregated`, the modern pair, Zulip's clock.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function presenceFrom(body: unknown) {
  server.handle((_, res) => json(res, 200, body));
  return clientFor(server).getUserPresence(10);
}

describe('GET /users/{user_id_or_email}/presence', () => {
  it('before 7.0: one record per client plus aggregated', async () => {
    const res = await presenceFrom({
      result: 'success',
      msg: '',
      presence: {
        website: { status: 'idle', timestamp: 1532697000 },
        ZulipMobile: { status: 'active', timestamp: 1532697622 },
        ZulipTerminal: { status: 'idle', timestamp: 1532600000 },
        aggregated: { status: 'active', timestamp: 1532697622 },
      },
    });
    expect(res.serverTimestamp).toBeNull();
    expect(res.clients.map((c) => c.client).sort()).toEqual(['ZulipMobile', 'ZulipTerminal', 'website']);
    expect(res.clients.find((c) => c.client === 'ZulipMobile')).toEqual({ client: 'ZulipMobile', status: 'active', timestamp: 1532697622 });
    expect(res.aggregated).toEqual({ client: 'aggregated', status: 'active', timestamp: 1532697622 });
    expect(res.modern).toBeNull();
    // The person's whole state, folded as Zulip's web app folds it: the newest active and idle records.
    expect(res.record).toEqual({ activeTimestamp: 1532697622, idleTimestamp: 1532697000 });
  });

  it("7.0 to FL 486: Zulip's example, website + aggregated", async () => {
    const res = await presenceFrom(fixture('get-user-presence-200.json'));
    expect(res.aggregated).toEqual({ client: 'aggregated', timestamp: 1532697622, status: 'active' });
    expect(res.clients).toEqual([{ client: 'website', timestamp: 1532697622, status: 'active' }]);
    expect(res.modern).toBeNull();
    expect(res.record).toEqual({ activeTimestamp: 1532697622, idleTimestamp: 0 });
    expect(server.requests.at(-1)?.url).toBe('/api/v1/users/10/presence');
  });

  it('FL 497+: modern timestamps next to the legacy records, server_timestamp, offline aggregated', async () => {
    const res = await presenceFrom({
      result: 'success',
      msg: '',
      presence: {
        active_timestamp: 1781000000,
        idle_timestamp: 1781000400,
        website: { status: 'idle', timestamp: 1781000400 },
        aggregated: { status: 'offline', timestamp: 1781000400 },
      },
      server_timestamp: 1781003000.25,
    });
    expect(res).toEqual({
      clients: [{ client: 'website', status: 'idle', timestamp: 1781000400 }],
      aggregated: { client: 'aggregated', status: 'offline', timestamp: 1781000400 },
      modern: { activeTimestamp: 1781000000, idleTimestamp: 1781000400 },
      // The modern pair wins over the legacy records whenever it is sent.
      record: { activeTimestamp: 1781000000, idleTimestamp: 1781000400 },
      serverTimestamp: 1781003000.25,
    });
  });

  it('FL 487–496: modern fields only, no server_timestamp', async () => {
    const res = await presenceFrom({ result: 'success', msg: '', presence: { active_timestamp: 1781000000, idle_timestamp: 1781000400 } });
    expect(res).toEqual({
      clients: [],
      aggregated: null,
      modern: { activeTimestamp: 1781000000, idleTimestamp: 1781000400 },
      record: { activeTimestamp: 1781000000, idleTimestamp: 1781000400 },
      serverTimestamp: null,
    });
  });

  it('tolerates unknown scalar keys a newer server might add inside presence', async () => {
    const res = await presenceFrom({
      result: 'success',
      msg: '',
      presence: { website: { status: 'active', timestamp: 1 }, aggregated: { status: 'active', timestamp: 1 }, last_update_id: 12 },
      ignored_parameters_unsupported: ['foo'],
    });
    expect(res.clients.map((c) => c.client)).toEqual(['website']);
    expect(res.aggregated?.status).toBe('active');
  });

  // The answer is one person's presence: with no readable record in it, the answer is unreadable.
  it.each([
    [{}, 'presence: has neither client records nor active_timestamp'],
    [{ aggregated: { status: 'bogus', timestamp: 1 } }, 'presence: has neither client records nor active_timestamp'],
    [{ active_timestamp: 'x', website: { status: 'active', timestamp: 1 } }, 'presence: active_timestamp is not a number'],
  ])('rejects %j saying why', async (presence, why) => {
    const err = await caught(presenceFrom({ result: 'success', msg: '', presence }));
    expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'GET /users/{user_id_or_email}/presence' });
    expect((err as Error).message).toContain(why);
  });

  // One unreadable client record among readable ones is left out; it used to fail the answer.
  it('leaves out an unreadable client record and keeps the rest', async () => {
    const res = await presenceFrom({ result: 'success', msg: '', presence: { aggregated: { status: 'active', timestamp: 1 }, ZulipMobile: { status: 'active' } } });
    expect(res).toEqual({
      clients: [],
      aggregated: { client: 'aggregated', status: 'active', timestamp: 1 },
      modern: null,
      record: { activeTimestamp: 1, idleTimestamp: 0 },
      serverTimestamp: null,
    });
  });

  it('"No presence data" is a 400 BAD_REQUEST', async () => {
    server.handle((_, res) => json(res, 400, { result: 'error', msg: 'No presence data for 12', code: 'BAD_REQUEST' }));
    const err = await caught(clientFor(server).getUserPresence(12));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'BAD_REQUEST', zulipMessage: 'No presence data for 12' });
  });
});
