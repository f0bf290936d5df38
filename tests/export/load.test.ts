// Exports under load at 20,000 people (docs/architecture.md §15): while many exports run, the
// rest of the directory keeps answering. In-process against a demo Zulip server of 20,000 people
// over HTTP, so the exports and a health probe share one event loop, as they do in `next start`:
// a probe that waits is a page that waits.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { GET as vcfRoute } from '@/app/export/people.vcf/route';
import { getExportSource } from '@/lib/server/directory-service';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { startTestDirectory, withEnv, type TestDirectory } from '../support/directory';
import { theApp } from '@/lib/server/app-handle';

const OPEN = { DIRECTORY_ACCESS: 'open' };

let dir: TestDirectory;

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 20_400, seed: 3 }, settings: { PRESENCE_REFRESH_SECONDS: 600 }, timeoutMs: 20_000 });
  await withEnv(OPEN, async () => (await getExportSource(theApp())).match(DEFAULT_PEOPLE_QUERY)); // builds the search index, which is not the exports' cost
}, 120_000);

afterAll(() => dir?.close());

const vcf = (search: string) => vcfRoute(new NextRequest(`http://directory.test/export/people.vcf${search}`));

/** Reads a whole answer, as a client that keeps up would. */
async function drain(res: Response): Promise<number> {
  const reader = res.body!.getReader();
  let bytes = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
  return bytes;
}

/** Asks /api/health every `everyMs` until `done` settles; the slowest answer, in ms (a probe that cannot even start counts from when it should have). */
/** Probes /api/health every `everyMs` until `done` settles, and at least `atLeast` times. */
async function probeHealth(done: Promise<unknown>, { everyMs = 50, atLeast = 1 } = {}): Promise<{ probes: number; worstMs: number }> {
  let finished = false;
  void done.finally(() => (finished = true));
  let worstMs = 0;
  let probes = 0;
  while (!finished || probes < atLeast) {
    const due = performance.now() + everyMs;
    await new Promise((r) => setTimeout(r, everyMs));
    const res = await health(new Request('http://directory.test/api/health'));
    await res.arrayBuffer();
    worstMs = Math.max(worstMs, performance.now() - due);
    probes++;
  }
  return { probes, worstMs: Math.round(worstMs) };
}

describe('exports at 20,000 people', () => {
  it('one vCard export of everyone: the CPU it takes', async () => {
    await withEnv(OPEN, async () => {
      const before = process.cpuUsage();
      const started = performance.now();
      const bytes = await drain(await vcf('?sort=name'));
      const cpu = process.cpuUsage(before);
      console.log('one vCard export at 20,000 people:', JSON.stringify({ MB: +(bytes / 2 ** 20).toFixed(2), cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: Math.round(performance.now() - started) }));
      expect(bytes).toBeGreaterThan(1_000_000);
    });
  }, 60_000);

  it('50 vCard exports at once, of five views: /api/health keeps answering within a second, and those beyond the cap are told to retry', async () => {
    await withEnv(OPEN, async () => {
      const views = ['', '?q=e', '?q=n&sort=name', '?q=r', '?q=i&sort=name'];
      const started = performance.now();
      const exports = Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const res = await vcf(views[i % views.length]!);
          const bytes = res.status === 200 ? await drain(res) : 0;
          const body = res.status === 200 ? null : ((await res.json()) as { error: { code: string } });
          return { status: res.status, bytes, retryAfter: res.headers.get('retry-after'), code: body?.error.code };
        }),
      );
      const probe = probeHealth(exports);
      const results = await exports;
      const { probes, worstMs } = await probe;
      const served = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status !== 200);
      console.log('50 parallel vCard exports at 20,000 people:', JSON.stringify({ served: served.length, refused: refused.length, totalMs: Math.round(performance.now() - started), healthProbes: probes, worstHealthMs: worstMs }));
      expect(served.length).toBeGreaterThan(0);
      for (const r of served) expect(r.bytes).toBeGreaterThan(100_000);
      for (const r of refused) {
        expect(r.status).toBe(429);
        expect(r.code).toBe('server_busy');
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
      }
      expect(probes).toBeGreaterThan(0);
      expect(worstMs).toBeLessThan(1000);
    });
  }, 180_000);

  it('300 clients that ask and never read: /api/health keeps answering, and they hold no more than the cap', async () => {
    await withEnv(OPEN, async () => {
      const started = performance.now();
      const asked = Promise.all(Array.from({ length: 300 }, (_, i) => vcf(`?q=${'aeiou'[i % 5]}${i % 2 ? '&sort=name' : ''}`)));
      // Until every client has its answer, then on while the served ones hold their downloads unread.
      const { probes, worstMs } = await probeHealth(asked, { atLeast: 20 });
      const answers = await asked;
      const served = answers.filter((r) => r.status === 200);
      console.log('300 vCard exports never read at 20,000 people:', JSON.stringify({ served: served.length, refused: answers.length - served.length, totalMs: Math.round(performance.now() - started), healthProbes: probes, worstHealthMs: worstMs }));
      expect(served.length).toBeLessThanOrEqual(8);
      expect(theApp().exportSlots.size).toBe(served.length);
      expect(worstMs).toBeLessThan(1000);
      await Promise.all(served.map((res) => res.body!.cancel()));
      expect(theApp().exportSlots.size).toBe(0);
    });
  }, 180_000);
});
