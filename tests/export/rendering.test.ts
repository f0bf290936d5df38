// An export file made once for every download of it, a chunk at a time between other work, and
// not finished for nobody (lib/export/rendering.ts, lib/export/rendering-cache.ts).
import { describe, expect, it } from 'vitest';
import { chunkTexts, Rendering } from '@/lib/export/rendering';
import { RenderingCache } from '@/lib/export/rendering-cache';

function* counted(n: number, seen: { count: number }) {
  for (let i = 0; i < n; i++) {
    seen.count++;
    yield i;
  }
}

const download = (rendering: Rendering, ended = new AbortController()) => {
  const log = { ends: 0 };
  const stream = rendering.download({ signal: ended.signal, onEnd: () => log.ends++ });
  return { stream, log, ended };
};

describe('chunkTexts', () => {
  it('is the head and every item, so many items to a text', () => {
    expect([...chunkTexts(['é', 'b', 'c'], (s) => `${s}\n`, 'H\n', 2)]).toEqual(['H\né\nb\n', 'c\n']);
    expect([...chunkTexts([], String, 'H')]).toEqual(['H']);
  });
});

describe('Rendering', () => {
  it('gives timers a turn between chunks, so other requests are answered while it is made', async () => {
    const seen = { count: 0 };
    const rendering = new Rendering(chunkTexts(counted(10_000, seen), (i) => `${i}\n`, '', 100));
    await new Promise((r) => setTimeout(r, 0));
    // A timer ran before the file was finished.
    expect(seen.count).toBeLessThan(10_000);
    expect(await rendering.settled()).toBe('done');
  });

  it('reads the same bytes to every download, and ends each once', async () => {
    const rendering = new Rendering(chunkTexts(counted(1000, { count: 0 }), (i) => `${i}\n`, 'head\n', 100));
    const [a, b] = [download(rendering), download(rendering)];
    const [ta, tb] = await Promise.all([new Response(a.stream).text(), new Response(b.stream).text()]);
    expect(ta).toBe(`head\n${Array.from({ length: 1000 }, (_, i) => `${i}\n`).join('')}`);
    expect(tb).toBe(ta);
    expect([a.log.ends, b.log.ends]).toEqual([1, 1]);
  });

  it('stops making the file when every download has gone before it is finished', async () => {
    const seen = { count: 0 };
    const rendering = new Rendering(chunkTexts(counted(1_000_000, seen), (i) => `${i}\n`, '', 100));
    const { stream, log } = download(rendering);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(log.ends).toBe(1);
    expect(await rendering.settled()).toBe('abandoned');
    expect(seen.count).toBeLessThan(10_000);
  });

  it('errors a download that is aborted (the client left, or took too long)', async () => {
    const rendering = new Rendering(chunkTexts(counted(1000, { count: 0 }), String, '', 10));
    const { stream, log, ended } = download(rendering);
    const reader = stream.getReader();
    await reader.read();
    ended.abort(new Error('too slow'));
    await expect(reader.read()).rejects.toThrow('too slow');
    expect(log.ends).toBe(1);
  });
});

describe('RenderingCache', () => {
  const make = (made: { count: number }, n = 100) => () => {
    made.count++;
    return { texts: chunkTexts(counted(n, { count: 0 }), (i) => `${i}\n`, '', 10), meta: null };
  };

  it('makes a file once for every download of the same key, and again for another key', async () => {
    const cache = new RenderingCache<null>({ maxBytes: 1e6, maxAgeMs: 60_000 });
    const made = { count: 0 };
    const first = cache.get('a', make(made));
    expect(cache.get('a', make(made)).rendering).toBe(first.rendering);
    await first.rendering.settled();
    expect(cache.get('a', make(made)).rendering).toBe(first.rendering);
    cache.get('b', make(made));
    expect(made.count).toBe(2);
  });

  it('makes the file again when the last one was abandoned', async () => {
    const cache = new RenderingCache<null>({ maxBytes: 1e6, maxAgeMs: 60_000 });
    const made = { count: 0 };
    const { rendering } = cache.get('a', make(made, 1_000_000));
    await download(rendering).stream.cancel();
    expect(cache.get('a', make(made)).rendering).not.toBe(rendering);
    expect(made.count).toBe(2);
  });

  it('keeps at most maxBytes of files, dropping the least recently asked for', async () => {
    const cache = new RenderingCache<null>({ maxBytes: 700, maxAgeMs: 60_000 });
    const made = { count: 0 };
    for (const key of ['a', 'b', 'c']) await cache.get(key, make(made)).rendering.settled(); // 290 bytes each
    expect(cache.size).toBe(2);
    cache.get('b', make(made));
    expect(made.count).toBe(3);
    cache.get('a', make(made));
    expect(made.count).toBe(4);
  });

  it('keeps no file longer than maxAgeMs', async () => {
    const cache = new RenderingCache<null>({ maxBytes: 1e6, maxAgeMs: 20 });
    await cache.get('a', make({ count: 0 })).rendering.settled();
    await new Promise((r) => setTimeout(r, 40));
    expect(cache.size).toBe(0);
  });
});
