// The export body is made as it is read (lib/export/text-stream.ts): a slow reader holds back
// rendering, and a reader that goes away stops it.
import { describe, expect, it } from 'vitest';
import { textStream } from '@/lib/export/text-stream';

function* counted(n: number, seen: { count: number; closed: boolean }) {
  try {
    for (let i = 0; i < n; i++) {
      seen.count++;
      yield i;
    }
  } finally {
    seen.closed = true;
  }
}

describe('textStream', () => {
  it('writes the head, then every item, as UTF-8', async () => {
    const text = await new Response(textStream(['é', 'b', 'c'], (s) => `${s}\n`, { head: 'H\n', itemsPerChunk: 2 })).text();
    expect(text).toBe('H\né\nb\nc\n');
  });

  it('renders only as far as the reader has read, one chunk ahead at most', async () => {
    const seen = { count: 0, closed: false };
    const stream = textStream(counted(100_000, seen), (i) => `${i}\n`, { itemsPerChunk: 100 });
    const reader = stream.getReader();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.count).toBeLessThanOrEqual(100);
    await reader.read();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    // Two chunks read, one waiting in the queue: nothing of the other 99,700 rendered.
    expect(seen.count).toBeLessThanOrEqual(300);
    await reader.cancel();
    expect(seen.closed).toBe(true);
  });

  it('sends chunks of a bounded size', async () => {
    const sizes: number[] = [];
    const reader = textStream(Array.from({ length: 10_000 }, (_, i) => i), (i) => `row ${i}\r\n`, { itemsPerChunk: 250 }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.byteLength);
    }
    expect(sizes.length).toBe(40);
    expect(Math.max(...sizes)).toBeLessThan(4_000);
  });
});
