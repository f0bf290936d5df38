// GET /metrics (README, "Running it in production"): Prometheus's text format as promtool reads
// it, from a directory serving the demo organization; only with the token, and never a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/metrics/route';
import { GET as getPerson } from '@/app/api/people/[ref]/route';
import { startTestDirectory, withEnv, type TestDirectory } from '@/tests/support/directory';
import { promtoolCheck } from '@/tests/support/redis-binary';

const TOKEN = 'metrics-token-0123456789abcdef';
let dir: TestDirectory;

beforeAll(async () => {
  dir = await startTestDirectory({ env: { DIRECTORY_METRICS_TOKEN: TOKEN } });
}, 30_000);
afterAll(() => dir?.close());

const scrape = (authorization?: string) => GET(new Request('http://directory.test/metrics', { headers: authorization ? { authorization } : {} }));

describe('GET /metrics', () => {
  it('answers only requests bearing the token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is off without DIRECTORY_METRICS_TOKEN, whoever asks', async () => {
    await withEnv({}, async () => {
      expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
    });
    await withEnv({ DIRECTORY_METRICS_TOKEN: 'short' }, async () => {
      expect((await scrape('Bearer short')).status).toBe(503);
    });
  });

  it('passes promtool check metrics, and counts what an operator watches', async () => {
    const body = await (await scrape(`Bearer ${TOKEN}`)).text();
    const verdict = promtoolCheck(body);
    expect(verdict.output).toBe('');
    expect(verdict.status).toBe(0);
    expect(body).toMatch(/^directory_zulip_requests_total\{endpoint="POST \/register",outcome="ok"\} [1-9]/m);
    expect(body).toMatch(/^directory_people \d+$/m);
    expect(Number(/^directory_people (\d+)$/m.exec(body)?.[1])).toBe(dir.runtime.view.people.list().length);
    expect(body).toMatch(/^directory_leader 1$/m);
    expect(body).toMatch(/^directory_data_loaded 1$/m);
    expect(body).toMatch(/^directory_presence_age_seconds \d/m);
    expect(body).toMatch(/^directory_streams_open 0$/m);
    expect(body).toMatch(/^# TYPE directory_http_request_duration_seconds histogram$/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // No Redis here: no reachability to report.
    expect(body).not.toMatch(/directory_redis_reachable/);
  });

  it('times route handlers by their pattern, never the address asked for', async () => {
    const someone = dir.runtime.view.people.list()[0]!;
    const answer = await getPerson(new Request(`http://directory.test/api/people/${someone.id}`), { params: Promise.resolve({ ref: String(someone.id) }) });
    expect(answer.status).toBe(200);
    const body = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(body).toMatch(/^directory_http_request_duration_seconds_count\{route="\/api\/people\/\[ref\]",method="GET",status="200"\} 1$/m);
    expect(body).toMatch(/^directory_http_request_duration_seconds_count\{route="\/metrics",method="GET",status="200"\} [1-9]/m);
    expect(body).not.toContain(`/api/people/${someone.id}`);
  });

  it('counts people, never names them', async () => {
    const body = await (await scrape(`Bearer ${TOKEN}`)).text();
    for (const person of dir.runtime.view.people.list()) {
      expect(body).not.toContain(person.name);
      if (person.email) expect(body).not.toContain(person.email);
    }
  });
});
