// A demo server whose clock is off (docs/zulip-versions.md §7): everything it reports is shifted
// by the offset, as on a Zulip server with a wrong clock (Zulip stamps with timezone_now() and
// time.time(): zerver/lib/presence.py get_presence_response `server_timestamp`,
// zerver/actions/presence.py do_update_user_presence `log_time`, zerver/middleware.py
// RateLimitMiddleware `X-RateLimit-Reset`), while simulated people keep the true time.
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseArgs } from '@/lib/demo-zulip/cli-args';
import { call, control, newPerson, startTestServer, UA, type TestServer } from './helpers';

const HOUR = 3600;

async function start(opts: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer({ users: 30, ...opts });
  onTestFinished(() => server.close());
  return server;
}

describe('clockOffsetSeconds', () => {
  it('shifts server_timestamp, presence timestamps, date_joined, Date and X-RateLimit-Reset', async () => {
    const server = await start({ clockOffsetSeconds: HOUR });
    const serverNow = server.nowMs() / 1000 + HOUR;
    const reg = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['presence', 'realm'], event_types: ['presence'], slim_presence: true } });
    expect(reg.body.server_timestamp).toBeCloseTo(serverNow, 3);
    expect(Number(reg.headers.get('x-ratelimit-reset'))).toBe(Math.floor(serverNow + 60));
    expect(Date.parse(reg.headers.get('date')!) / 1000).toBe(Math.floor(serverNow));

    const person = await newPerson(server);
    const user = server.org.users.find((u) => u.user_id === person.user_id)!;
    expect(user.date_joined).toBe(`${new Date(serverNow * 1000).toISOString().slice(0, 16)}+00:00`);
    await call(server, 'users/me/presence', { method: 'POST', auth: person.creds, headers: { 'user-agent': UA.browser }, params: { status: 'active', ping_only: true } });
    const slim = (await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['presence'], slim_presence: true } })).body.presences as Record<string, unknown>;
    expect(slim[String(person.user_id)]).toEqual({ active_timestamp: Math.floor(serverNow), idle_timestamp: Math.floor(serverNow) });
    const events = (await call(server, 'events', { params: { queue_id: reg.body.queue_id as string, last_event_id: -1, dont_block: true } })).body.events as Array<Record<string, unknown>>;
    expect(events[0]!.server_timestamp).toBeCloseTo(serverNow, 3);
    expect((await control(server, 'GET', '/demo/realm')).body.realm).toMatchObject({ clock_offset_seconds: HOUR });
  });

  it('stamps the same history with the server clock: seeded and simulated presence move by the offset', async () => {
    // A Wednesday morning in Lisbon: people are at work.
    const wednesday = Date.UTC(2026, 10, 25, 10, 30);
    let joined = new Map<string, number>();
    const slimAt = async (offset: number) => {
      const server = await start({ users: 80, clock: () => wednesday, clockOffsetSeconds: offset });
      joined = new Map(server.org.users.map((u) => [String(u.user_id), Math.floor(Date.parse(u.date_joined) / 1000)]));
      await control(server, 'POST', '/demo/simulation', { action: 'tick' });
      const body = (await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['presence'], slim_presence: true } })).body;
      return body.presences as Record<string, { active_timestamp: number; idle_timestamp: number }>;
    };
    const plain = await slimAt(0);
    const skewed = await slimAt(HOUR);
    expect(Object.keys(skewed).sort()).toEqual(Object.keys(plain).sort());
    for (const [id, entry] of Object.entries(plain)) {
      // Someone never seen active shows date_joined, a fixed date the clock does not move.
      const neverActive = entry.active_timestamp === joined.get(id);
      expect(skewed[id], id).toEqual({ active_timestamp: entry.active_timestamp + (neverActive ? 0 : HOUR), idle_timestamp: entry.idle_timestamp + HOUR });
    }
  });
});

describe('clock offset options', () => {
  it('come from --clock-offset-seconds or DEMO_ZULIP_CLOCK_OFFSET_SECONDS', () => {
    expect(parseArgs(['--clock-offset-seconds', '3600'], {}).options.clockOffsetSeconds).toBe(3600);
    expect(parseArgs(['--clock-offset-seconds', '-90'], {}).options.clockOffsetSeconds).toBe(-90);
    expect(parseArgs(['--clock-offset-seconds=1.5'], {}).options.clockOffsetSeconds).toBe(1.5);
    expect(parseArgs([], { DEMO_ZULIP_CLOCK_OFFSET_SECONDS: '3600' }).options.clockOffsetSeconds).toBe(3600);
    expect(parseArgs(['--clock-offset-seconds', '60'], { DEMO_ZULIP_CLOCK_OFFSET_SECONDS: '3600' }).options.clockOffsetSeconds).toBe(60);
    expect(() => parseArgs(['--clock-offset-seconds', 'an hour'], {})).toThrow(/--clock-offset-seconds must be a number of seconds/);
    expect(() => parseArgs([], { DEMO_ZULIP_CLOCK_OFFSET_SECONDS: '1e12' })).toThrow(/DEMO_ZULIP_CLOCK_OFFSET_SECONDS must be a number/);
  });
});
