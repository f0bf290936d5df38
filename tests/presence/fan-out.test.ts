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
