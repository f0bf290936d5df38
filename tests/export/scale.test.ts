// 20,000 people exported: the CSV route streams them in small chunks, and the file of a view is
// made and held once however many download it at once (docs/architecture.md §15), never once per
// download, and never as rows. Measured in-process against a demo
// Zulip server of 20,000 people over HTTP, with garbage collected before every sample so that
// the figures are what is live, not what is waiting to be collected.
import v8 from 'node:v8';
import vm from 'node:vm';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as csvRoute } from '@/app/export/people.csv/route';
import { GET as vcfRoute } from '@/app/export/people.vcf/route';
import { getExportSource } from '@/lib/server/directory-service';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { startTestDirectory, withEnv, type TestDirectory } from '../support/directory';
import { theApp } from '@/lib/server/app-handle';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const OPEN = { DIRECTORY_ACCESS: 'open' };
const MB = 1024 * 1024;

/** Live memory the export can hold: the JS heap and array buffers (the encoded chunks). */
function live(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

let dir: TestDirectory;

beforeAll(async () => {
  // 20,400 accounts make 20,000+ listed people (guests, bots and deactivated accounts are not);
  // a long refresh keeps the directory's own background work out of the samples.
  dir = await startTestDirectory({ demo: { users: 20_400, seed: 3 }, settings: { PRESENCE_REFRESH_SECONDS: 600 }, timeoutMs: 20_000 });
}, 120_000);

afterAll(() => dir?.close());

describe('exporting 20,000 people', () => {
  it('streams the CSV in small chunks, holding one file for eight downloads of a view, never one each nor the rows', async () => {
    await withEnv(OPEN, async () => {
      const people = dir.runtime.view.people.list().length;
      expect(people).toBeGreaterThanOrEqual(20_000);

      // The first query builds the directory's search index (kept for every later query): not the export's.
      const source = await getExportSource(theApp());
      source.match(DEFAULT_PEOPLE_QUERY);
      expect(source.match(DEFAULT_PEOPLE_QUERY).ids.length).toBe(people);

      // As fast as the reader can go: the time.
      const request = (search: string) => csvRoute(new NextRequest(`http://directory.test/export/people.csv${search}`));
      let started = performance.now();
      const fast = (await request('?sort=name')).body!.getReader();
      let firstByteMs = 0;
      for (let first = true; ; first = false) {
        const { done } = await fast.read();
        if (first) firstByteMs = performance.now() - started;
        if (done) break;
      }
      const totalMs = performance.now() - started;

      // Eight slow readers of another view at once, one of them looking at what is live every
      // 10th chunk: the memory.
      const baseline = live();
      started = performance.now();
      const answers = await Promise.all(Array.from({ length: 8 }, () => request('')));
      for (const res of answers) expect(res.status).toBe(200);
      const readers = answers.map((res) => res.body!.getReader());
      let bytes = 0;
      let chunks = 0;
      let largest = 0;
      let peak = 0;
      for (;;) {
        const { done, value } = (await Promise.all(readers.map((reader) => reader.read())))[0]!;
        if (done) break;
        chunks++;
        bytes += value.byteLength;
        largest = Math.max(largest, value.byteLength);
        if (chunks % 10 === 1) {
          await new Promise((r) => setTimeout(r, 5));
          peak = Math.max(peak, live() - baseline);
        }
      }
      const figures = {
        people,
        fileMB: +(bytes / MB).toFixed(2),
        chunks,
        largestChunkKB: +(largest / 1024).toFixed(1),
        firstByteMs: Math.round(firstByteMs),
        totalMs: Math.round(totalMs),
        peakLiveGrowthMB: +(peak / MB).toFixed(2),
      };
      console.log('export 20,000 people (CSV, eight downloads at once):', JSON.stringify(figures));

      expect(chunks).toBeGreaterThan(50);
      expect(largest).toBeLessThan(128 * 1024);
      // One file for the eight downloads (and the view's ids while it is made), not eight.
      expect(peak).toBeLessThan(bytes * 1.5);
      // Bounds are loose (test files run in parallel); the figures above are the measurement.
      expect(totalMs).toBeLessThan(10_000);
    });
  }, 60_000);

  it('streams the vCards of everyone too', async () => {
    await withEnv(OPEN, async () => {
      const started = performance.now();
      const res = await vcfRoute(new NextRequest('http://directory.test/export/people.vcf'));
      const text = await res.text();
      const cards = text.match(/^BEGIN:VCARD\r$/gm)?.length;
      console.log('export 20,000 people (vCard):', JSON.stringify({ cards, fileMB: +(Buffer.byteLength(text) / MB).toFixed(2), totalMs: Math.round(performance.now() - started) }));
      expect(cards).toBe(dir.runtime.view.people.list().length);
    });
  }, 60_000);
});
