import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitUserPresence } from '@/lib/zulip/presence-shapes';
import { caught, clientFor, fixture, json, startServer, type TestServer } from './support';

// GET /users/{user_id_or_email}/presence in its three generations (zulip-api.md §a):
// before 7.0 one record per client + aggregated; 7.0–11.x website + aggregated (Zulip's own
// example); 12.0-dev (FL ~497) adds active_timestamp/idle_timestamp and a top-level
// server_timestamp, and aggregated.status may be "offline".

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
    expect(res.server_timestamp).toBeUndefined();
    const parts = splitUserPresence(res.presence);
    expect(Object.keys(parts.clients).sort()).toEqual(['ZulipMobile', 'ZulipTerminal', 'website']);
    expect(parts.clients.ZulipMobile).toEqual({ status: 'active', timestamp: 1532697622 });
    expect(parts.aggregated).toEqual({ status: 'active', timestamp: 1532697622 });
    expect(parts.active_timestamp).toBeUndefined();
  });

  it("7.0–11.x: Zulip's example, website + aggregated", async () => {
    const res = await presenceFrom(fixture('get-user-presence-200.json'));
    expect(res.presence.aggregated).toEqual({ timestamp: 1532697622, status: 'active' });
    expect(splitUserPresence(res.presence).clients).toEqual({ website: { timestamp: 1532697622, status: 'active' } });
    expect(server.requests.at(-1)?.url).toBe('/api/v1/users/10/presence');
  });

  it('12.0-dev: modern timestamps next to the legacy records, server_timestamp, offline aggregated', async () => {
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
    expect(res.server_timestamp).toBe(1781003000.25);
    const parts = splitUserPresence(res.presence);
    expect(parts).toEqual({
      clients: { website: { status: 'idle', timestamp: 1781000400 } },
      aggregated: { status: 'offline', timestamp: 1781000400 },
      active_timestamp: 1781000000,
      idle_timestamp: 1781000400,
    });
  });

  it('12.0-dev between #38597 and #39112: modern fields only', async () => {
    const res = await presenceFrom({ result: 'success', msg: '', presence: { active_timestamp: 1781000000, idle_timestamp: 1781000400 } });
    expect(splitUserPresence(res.presence)).toEqual({ clients: {}, active_timestamp: 1781000000, idle_timestamp: 1781000400 });
  });

  it('tolerates unknown scalar keys a newer server might add inside presence', async () => {
    const res = await presenceFrom({
      result: 'success',
      msg: '',
      presence: { website: { status: 'active', timestamp: 1 }, aggregated: { status: 'active', timestamp: 1 }, last_update_id: 12 },
      ignored_parameters_unsupported: ['foo'],
    });
    expect(Object.keys(splitUserPresence(res.presence).clients)).toEqual(['website']);
  });

  it.each([
    [{}, 'neither'],
    [{ aggregated: { status: 'bogus', timestamp: 1 } }, 'presence.aggregated.status'],
    [{ aggregated: { status: 'active', timestamp: 1 }, ZulipMobile: { status: 'active' } }, 'presence.ZulipMobile.timestamp'],
  ])('rejects %j naming the path', async (presence, where) => {
    const err = await caught(presenceFrom({ result: 'success', msg: '', presence }));
    expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'GET /users/{user_id_or_email}/presence' });
    expect((err as Error).message).toContain(where);
  });

  it('"No presence data" is a 400 BAD_REQUEST', async () => {
    server.handle((_, res) => json(res, 400, { result: 'error', msg: 'No presence data for 12', code: 'BAD_REQUEST' }));
    const err = await caught(clientFor(server).getUserPresence(12));
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'BAD_REQUEST', zulipMessage: 'No presence data for 12' });
  });
});
