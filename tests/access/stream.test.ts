// The live presence stream does not outlive access (docs/architecture.md §11): the viewer is checked
// again at every heartbeat, and the stream closes when the check fails (deactivated in Zulip,
// signed out) and at the session's expiry; no stream lives longer than
// DIRECTORY_STREAM_MAX_SECONDS; a viewer may hold 5 streams and the server
// DIRECTORY_STREAMS_MAX, beyond which the answer is a 429; a client that does not read is
// dropped instead of having every diff queued for it.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as streamRoute } from '@/app/api/presence/stream/route';
import { signSession } from '@/lib/access/session';
import type { PresenceDiff } from '@/lib/directory/domain/types';
import { startTestDirectory, until, withEnv, type TestDirectory } from '../support/directory';
import { theApp } from '@/lib/server/app-handle';

const SECRET = 'stream-test-secret-stream-test-secret-01';
const ORIGIN = 'http://directory.test';
const ZULIP_MODE = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: SECRET };

let dir: TestDirectory;
let members: Array<{ id: number; email: string }>;

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 30, seed: 13 } });
  const credentials = (await dir.control('GET', '/demo/credentials')) as { users: Array<{ user_id: number; delivery_email: string; is_bot: boolean; is_active: boolean }> };
  members = credentials.users.filter((u) => !u.is_bot && u.is_active && dir.runtime.view.people.get(u.user_id)).map((u) => ({ id: u.user_id, email: u.delivery_email }));
}, 30_000);

afterAll(() => dir?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The promise's value, or null if it takes longer than `ms`. */
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => null)]);

async function sessionCookie(member: { id: number; email: string }, lifetimeSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return `directory_session=${await signSession(SECRET, { uid: member.id, email: member.email, iat: now, exp: now + lifetimeSeconds })}`;
}

function openStream(headers: Record<string, string> = {}, query = ''): Promise<Response> {
  return streamRoute(new NextRequest(`${ORIGIN}/api/presence/stream${query}`, { headers }));
}

/** Reads a stream as a browser would; `ended` resolves (with the time) when the server ends or cuts it. */
function consume(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // cut by the server
    }
    return Date.now();
  })();
  return {
    text: () => text,
    ended,
    cancel: () => reader.cancel().catch(() => {}),
  };
}

const firstEvent = (text: string) => JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as PresenceDiff;

describe('the presence stream re-checks access', () => {
  it('closes a deactivated viewer’s open stream within one heartbeat, and keeps a member’s open', async () => {
    await withEnv({ ...ZULIP_MODE, DIRECTORY_STREAM_HEARTBEAT_SECONDS: '1' }, async () => {
      const [leaver, stayer] = [members[0]!, members[1]!];
      const gone = consume(await openStream({ cookie: await sessionCookie(leaver) }));
      const kept = consume(await openStream({ cookie: await sessionCookie(stayer) }));
      try {
        await until(() => gone.text().includes('event: presence') && kept.text().includes('event: presence'), 'the first events');
        await dir.control('PATCH', `/demo/users/${leaver.id}`, { is_active: false });
        await until(() => dir.runtime.view.people.get(leaver.id) === undefined, 'the deactivation event');
        const deactivatedAt = Date.now();
        const endedAt = await within(gone.ended, 4_000);
        expect(endedAt, 'the deactivated viewer’s stream is still open').not.toBeNull();
        expect(endedAt! - deactivatedAt).toBeLessThanOrEqual(1_000 + 500);
        // Several heartbeats later the member who is still active is still connected.
        expect(await within(kept.ended, 1_500)).toBeNull();
      } finally {
        await gone.cancel();
        await kept.cancel();
        await dir.control('PATCH', `/demo/users/${leaver.id}`, { is_active: true });
        await until(() => dir.runtime.view.people.get(leaver.id) !== undefined, 'the reactivation event');
      }
    });
  });

  it('closes the stream when the session expires, even between heartbeats', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + 2;
      const cookie = `directory_session=${await signSession(SECRET, { uid: members[2]!.id, email: members[2]!.email, iat: now, exp: expiresAt })}`;
      const res = await openStream({ cookie });
      expect(res.status).toBe(200);
      const stream = consume(res);
      try {
        const endedAt = await within(stream.ended, 4_000);
        expect(endedAt, 'the stream outlived the session').not.toBeNull();
        expect(endedAt!).toBeGreaterThanOrEqual(expiresAt * 1000 - 50);
        expect(endedAt!).toBeLessThan(expiresAt * 1000 + 1_000);
        // And the expired cookie opens no new one.
        expect((await openStream({ cookie })).status).toBe(401);
      } finally {
        await stream.cancel();
      }
    });
  });

  it('ends every stream after DIRECTORY_STREAM_MAX_SECONDS; the client resumes from its Last-Event-ID', async () => {
    await withEnv({ DIRECTORY_STREAM_MAX_SECONDS: '2' }, async () => {
      const openedAt = Date.now();
      const stream = consume(await openStream({}, '?since=0'));
      try {
        const endedAt = await within(stream.ended, 5_000);
        expect(endedAt, 'the stream outlived its maximum lifetime').not.toBeNull();
        expect(endedAt! - openedAt).toBeGreaterThanOrEqual(1_900);
        expect(endedAt! - openedAt).toBeLessThan(3_000);
      } finally {
        await stream.cancel();
      }
      // EventSource reconnects to the same address (?since= as first opened) with the last id it
      // received in Last-Event-ID: it gets what changed after that id, not everything again.
      const ids = [...stream.text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      const lastId = ids[ids.length - 1]!;
      expect(firstEvent(stream.text()).full).toBe(true);
      const resumed = consume(await openStream({ 'last-event-id': String(lastId) }, '?since=0'));
      try {
        await until(() => resumed.text().includes('\n\n'), 'the first event after reconnecting');
        const diff = firstEvent(resumed.text());
        expect(diff.full).toBe(false);
        expect(diff.version).toBeGreaterThanOrEqual(lastId);
      } finally {
        await resumed.cancel();
      }
      // A malformed Last-Event-ID is ignored (the query decides), never a 500.
      const odd = await openStream({ 'last-event-id': 'x'.repeat(50) }, '?since=0');
      expect(odd.status).toBe(200);
      await odd.body!.cancel();
    });
  });
});

describe('the presence stream is limited', () => {
  const expectTooMany = async (res: Response, code: string) => {
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
  };

  it('allows 5 streams per viewer: the sixth is a 429 until one closes; other viewers are not affected', async () => {
    await withEnv(ZULIP_MODE, async () => {
      const [a, b] = [await sessionCookie(members[3]!), await sessionCookie(members[4]!)];
      const open: Response[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          open.push(await openStream({ cookie: a }));
          expect(open[i]!.status, `stream ${i + 1}`).toBe(200);
        }
        await expectTooMany(await openStream({ cookie: a }), 'too_many_streams');
        // The same person with another session is the same viewer.
        await expectTooMany(await openStream({ cookie: await sessionCookie(members[3]!) }), 'too_many_streams');
        open.push(await openStream({ cookie: b }));
        expect(open[5]!.status).toBe(200);
        await open.shift()!.body!.cancel();
        open.push(await openStream({ cookie: a }));
        expect(open[open.length - 1]!.status).toBe(200);
      } finally {
        await Promise.all(open.map((r) => r.body?.cancel()));
      }
    });
  });

  it('allows DIRECTORY_STREAMS_MAX streams in all, then answers 429', async () => {
    await withEnv({ DIRECTORY_STREAMS_MAX: '3' }, async () => {
      const open: Response[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          open.push(await openStream());
          expect(open[i]!.status).toBe(200);
        }
        await expectTooMany(await openStream(), 'server_busy');
        await open.pop()!.body!.cancel();
        open.push(await openStream());
        expect(open[2]!.status).toBe(200);
      } finally {
        await Promise.all(open.map((r) => r.body?.cancel()));
      }
    });
  });

  it('answers HEAD with the stream\'s headers and takes no slot (Next never reads its body, nor says when the client left)', async () => {
    await withEnv({ DIRECTORY_STREAMS_MAX: '3' }, async () => {
      for (let i = 0; i < 4; i++) {
        const head = await streamRoute(new NextRequest(`${ORIGIN}/api/presence/stream`, { method: 'HEAD' }));
        expect(head.status).toBe(200);
        expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(head.body).toBeNull();
      }
      const open = await openStream();
      try {
        expect(open.status).toBe(200);
      } finally {
        await open.body?.cancel();
      }
    });
  });

  it('turns the stream off, naming the variable, when a stream setting is malformed', async () => {
    await withEnv({ DIRECTORY_STREAMS_MAX: 'lots' }, async () => {
      const res = await openStream();
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('stream_misconfigured');
      expect(body.error.message).toContain('DIRECTORY_STREAMS_MAX must be');
      expect(body.error.message).not.toContain('lots');
    });
  });

  // ~110 KB of JSON per diff, published straight into the fan-out; each moves 2,000 people between
  // active and idle, so every change is one a page shows (the fan-out leaves out the others).
  const bigDiff = (version: number): PresenceDiff => ({
    version,
    full: false,
    changes: Array.from({ length: 2_000 }, (_, id) => ({ id: id + 1, presence: { state: version % 2 === 0 ? ('active' as const) : ('idle' as const), lastActiveAt: 1_700_000_000 } })),
    freshness: dir.runtime.freshness(),
  });

  it('drops a client that never reads, having held a bounded number of bytes for it', async () => {
    await withEnv({}, async () => {
      const fanOut = dir.runtime.view.fanOut;
      const before = fanOut.size;
      const res = await openStream();
      expect(res.status).toBe(200);
      expect(fanOut.size).toBe(before + 1);
      const diffBytes = new TextEncoder().encode(JSON.stringify(bigDiff(0))).byteLength;
      let published = 0;
      try {
        // 20 MB if it were all kept.
        while (fanOut.size > before && published < 200) fanOut.publish(bigDiff(1_000_000 + published++));
        expect(fanOut.size, 'the stream is still subscribed').toBe(before);
        expect(published * diffBytes).toBeLessThanOrEqual(2 * 1024 * 1024 + diffBytes);
        // What it had queued is gone with it: the body is cut, not served from a backlog.
        const reader = res.body!.getReader();
        let read = 0;
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            read += value.byteLength;
          }
        } catch {
          // cut
        }
        expect(read).toBeLessThan(diffBytes);
      } finally {
        await res.body?.cancel().catch(() => {});
      }
    });
  });

  it('says at every heartbeat how fresh the data is, though no one’s presence changed', async () => {
    await withEnv({ DIRECTORY_STREAM_HEARTBEAT_SECONDS: '1' }, async () => {
      const stream = consume(await openStream());
      try {
        await until(() => stream.text().includes('event: freshness'), 'a heartbeat', 3_000);
        const block = stream.text().split('\n\n').find((b) => b.startsWith('event: freshness'))!;
        const said = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as PresenceDiff['freshness'];
        // What the server knows then (a refresh may have come since: no later than now).
        expect(said).toMatchObject({ stale: false, problem: null, presenceDisabled: false });
        expect(said.presenceUpdatedAt).toBeTypeOf('number');
        expect(said.presenceUpdatedAt!).toBeLessThanOrEqual(dir.runtime.freshness().presenceUpdatedAt!);
      } finally {
        await stream.cancel();
      }
    });
  });

  it('leaves nothing behind for a client gone before its stream began', async () => {
    const waiting = theApp().draining.waiting;
    for (let i = 0; i < 5; i++) {
      const gone = new AbortController();
      gone.abort();
      const res = await streamRoute(new NextRequest(`${ORIGIN}/api/presence/stream`, { signal: gone.signal }));
      expect(res.status).toBe(200);
      await res.body?.cancel().catch(() => {});
    }
    expect(theApp().draining.waiting).toBe(waiting);
  });

  it('keeps a client that reads as diffs arrive', async () => {
    await withEnv({}, async () => {
      const stream = consume(await openStream());
      try {
        for (let i = 0; i < 40; i++) {
          dir.runtime.view.fanOut.publish(bigDiff(2_000_000 + i));
          await sleep(1);
        }
        await until(() => stream.text().includes('id: 2000039\n'), 'the last diff');
        expect(await within(stream.ended, 100)).toBeNull();
      } finally {
        await stream.cancel();
      }
    });
  });
});

/** Every presence event in a stream's text so far. */
const presenceEvents = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.includes('event: presence'))
    .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as PresenceDiff);

describe('presence turned off by the organization', () => {
  it('the stream carries no one’s presence from then on, and a stream resuming from before answers no one’s', async () => {
    await withEnv({}, async () => {
      const stream = consume(await openStream());
      try {
        await until(() => presenceEvents(stream.text()).length > 0, 'the first event');
        const before = presenceEvents(stream.text())[0]!;
        expect(before.changes.length).toBeGreaterThan(0);
        await dir.control('POST', '/demo/realm', { presence_disabled: true });
        await until(() => presenceEvents(stream.text()).some((d) => d.freshness.presenceDisabled), 'the diff saying presence is off');
        const off = presenceEvents(stream.text()).filter((d) => d.freshness.presenceDisabled);
        expect(off.flatMap((d) => d.changes)).toEqual([]);
        const resumed = consume(await openStream({}, `?since=${before.version}`));
        try {
          await until(() => presenceEvents(resumed.text()).length > 0, 'the resumed stream’s first event');
          expect(presenceEvents(resumed.text())[0]).toMatchObject({ full: true, changes: [] });
        } finally {
          await resumed.cancel();
        }
      } finally {
        await stream.cancel();
        await dir.control('POST', '/demo/realm', { presence_disabled: false });
        await until(() => !dir.runtime.view.presenceDisabled, 'presence back on');
      }
    });
  });
});
