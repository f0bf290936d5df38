// Several "instances" against one real Redis (tests/support/redis-server.ts), each with its own
// connection, as separate processes would have; a log the test can read; and the demo Zulip's
// control surface. Never a mocked Redis (docs/architecture.md §10).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { openRedis, type SharedStore } from '@/lib/server/cluster/redis';
import { createLogger, type Logger } from '@/lib/server/log';
import type { DemoZulip } from '@/lib/demo-zulip/server';
import { sealer } from '@/lib/server/cluster/deployment';

export interface Instances {
  stores: SharedStore[];
  logger: Logger;
  /** Every line logged through `logger`, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** Resolves once every connection is ready again (after a restart of Redis). */
  ready(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** `count` connections sharing a key prefix of their own, so tests do not see each other's keys. */
export function instances(url: string, count: number): Instances {
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(sink, 'info');
  const prefix = `test-${randomUUID()}:`;
  const connections: Redis[] = Array.from({ length: count }, (_, i) => openRedis(url, `instance-${i}`, logger));
  return {
    stores: connections.map((redis) => ({ redis, prefix, sealer: sealer('test-deployment', null) })),
    logger,
    logLines,
    async ready(timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      while (connections.some((c) => c.status !== 'ready')) {
        if (Date.now() > deadline) throw new Error('Redis connections not ready again');
        await pause(25);
      }
    },
    close() {
      for (const c of connections) c.disconnect();
    },
  };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function events(lines: Array<Record<string, unknown>>, name: string): Array<Record<string, unknown>> {
  return lines.filter((line) => line.event === name);
}

export async function demoStats(demo: DemoZulip): Promise<{ total: number; rateLimited: number; byEndpoint: Record<string, number> }> {
  const response = await fetch(`${demo.site}/demo/stats`);
  return (await response.json()) as { total: number; rateLimited: number; byEndpoint: Record<string, number> };
}

export async function resetDemoStats(demo: DemoZulip): Promise<void> {
  await fetch(`${demo.site}/demo/stats`, { method: 'DELETE' });
}

/** The demo Zulip answers the next `count` API calls with a 429 and this Retry-After. */
export async function force429(demo: DemoZulip, retryAfter: number, count = 1): Promise<void> {
  const response = await fetch(`${demo.site}/demo/faults`, { method: 'POST', body: JSON.stringify({ force429: { retryAfter, count } }) });
  if (response.status !== 200) throw new Error(`faults: ${response.status} ${await response.text()}`);
}
