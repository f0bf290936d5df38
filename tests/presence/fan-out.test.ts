import { describe, expect, it } from 'vitest';
import { PresenceFanOut, ViewerStream } from '@/lib/presence/fan-out';

const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };

describe('PresenceFanOut', () => {
  it('serializes and encodes a diff once: every viewer gets the very same bytes', () => {
    const fanOut = new PresenceFanOut();
    const got: Array<{ text: string; bytes: Uint8Array }> = [];
    const unsubscribe = [1, 2, 3].map(() => fanOut.subscribe((text, bytes) => got.push({ text, bytes })));
    const changes = Array.from({ length: 5_000 }, (_, id) => ({ id, presence: { state: 'active' as const, lastActiveAt: 1 } }));
    fanOut.publish({ version: 7, full: false, changes, freshness });
    expect(got).toHaveLength(3);
    expect(got[1]!.bytes).toBe(got[0]!.bytes);
    expect(got[2]!.bytes).toBe(got[0]!.bytes);
    expect(new TextDecoder().decode(got[0]!.bytes)).toBe(got[0]!.text);
    expect(got[0]!.text.startsWith('id: 7\nevent: presence\ndata: {')).toBe(true);
    expect(got[0]!.text.endsWith('}\n\n')).toBe(true);
    unsubscribe.forEach((u) => u());
    expect(fanOut.size).toBe(0);
  });
});

describe('PresenceFanOut listeners', () => {
  it('a listener that throws is dropped; the others still get every message', () => {
    const fanOut = new PresenceFanOut();
    const got: number[] = [];
    fanOut.subscribe(() => got.push(1));
    fanOut.subscribe(() => {
      throw new Error('broken viewer');
    });
    fanOut.subscribe(() => got.push(3));
    fanOut.publish({ version: 1, full: false, changes: [], freshness });
    fanOut.publish({ version: 2, full: false, changes: [], freshness });
    expect(got).toEqual([1, 3, 1, 3]);
    expect(fanOut.size).toBe(2);
  });
});

describe('PresenceFanOut: only what a page could show', () => {
  const active = (at: number) => ({ state: 'active' as const, lastActiveAt: at });
  const idle = (at: number) => ({ state: 'idle' as const, lastActiveAt: at });
  const offline = (at: number) => ({ state: 'offline' as const, lastActiveAt: at });
  const sent = (fanOut: PresenceFanOut) => {
    const got: Array<{ version: number; changes: Array<{ id: number }> }> = [];
    fanOut.subscribe((text) => got.push(JSON.parse(/^data: (.*)$/m.exec(text)![1]!)));
    return got;
  };

  it('leaves out a moved last active time of someone still active or idle; sends every other change', () => {
    const fanOut = new PresenceFanOut();
    const got = sent(fanOut);
    fanOut.publish({ version: 1, full: true, changes: [{ id: 1, presence: active(10) }, { id: 2, presence: idle(10) }, { id: 3, presence: offline(10) }], freshness });
    fanOut.publish({ version: 2, full: false, changes: [{ id: 1, presence: active(70) }, { id: 2, presence: idle(70) }, { id: 3, presence: offline(20) }], freshness });
    fanOut.publish({ version: 3, full: false, changes: [{ id: 1, presence: idle(70) }, { id: 2, presence: null }], freshness });
    expect(got.map((d) => [d.version, d.changes.map((c) => c.id)])).toEqual([
      [1, [1, 2, 3]],
      // "Active now" and "Idle" read the same; "Active 10 minutes ago" does not.
      [2, [3]],
      [3, [1, 2]],
    ]);
  });

  it('keeps up while no one listens, so a page that opened since (with everyone as they were then) misses no change', () => {
    const fanOut = new PresenceFanOut();
    fanOut.publish({ version: 1, full: true, changes: [{ id: 1, presence: active(10) }], freshness });
    // No stream open: the person goes offline, then a page opens with that state.
    fanOut.publish({ version: 2, full: false, changes: [{ id: 1, presence: offline(10) }], freshness });
    const got = sent(fanOut);
    fanOut.publish({ version: 3, full: false, changes: [{ id: 1, presence: active(90) }], freshness });
    expect(got.map((d) => d.changes.map((c) => c.id))).toEqual([[1]]);
  });
});

describe('ViewerStream', () => {
  const chunk = new Uint8Array(1_000);

  it('drops a reader that leaves more than its bound unread, and discards what was queued', async () => {
    const ends: string[] = [];
    const stream = new ViewerStream({ maxPendingBytes: 10_000, onEnd: (reason) => ends.push(reason) });
    let sent = 0;
    while (stream.send(chunk)) sent++;
    expect(sent).toBeLessThanOrEqual(11);
    expect(stream.pendingBytes).toBe(0);
    expect(stream.open).toBe(false);
    expect(stream.send(chunk)).toBe(false);
    expect(ends).toEqual(['slow_reader']);
    await expect(stream.readable.getReader().read()).rejects.toThrow(/slow/);
  });

  it('keeps a reader that keeps up, and ends gracefully once', async () => {
    const ends: string[] = [];
    const stream = new ViewerStream({ maxPendingBytes: 10_000, onEnd: (reason) => ends.push(reason) });
    const reader = stream.readable.getReader();
    let received = 0;
    for (let i = 0; i < 100; i++) {
      expect(stream.send(chunk)).toBe(true);
      received += (await reader.read()).value!.byteLength;
    }
    expect(received).toBe(100_000);
    stream.send(chunk);
    stream.end('lifetime');
    stream.end('access');
    expect(ends).toEqual(['lifetime']);
    // What was queued before the end is still delivered, then the stream is done.
    expect((await reader.read()).value!.byteLength).toBe(1_000);
    expect((await reader.read()).done).toBe(true);
  });

  it('tells when the reader goes away', async () => {
    const ends: string[] = [];
    const stream = new ViewerStream({ maxPendingBytes: 10_000, onEnd: (reason) => ends.push(reason) });
    await stream.readable.cancel();
    expect(ends).toEqual(['cancelled']);
    expect(stream.send(chunk)).toBe(false);
  });
});
