// The directory's server side against a demo Zulip server over real HTTP, for the integration
// suites: a runtime wired as getRuntime wires it (skipped records reported to the runtime), a
// log the test can read, and the calls a Zulip user's own client would make.
import { Writable } from 'node:stream';
import { startDemoZulip, type DemoZulip, type DemoZulipOptions } from '@/lib/demo-zulip/server';
import type { DemoUser } from '@/lib/demo-zulip/types';
import { createZulipClient } from '@/lib/zulip/client';
import type { IssueSink } from '@/lib/zulip/record-issues';
import { DirectoryRuntime } from '@/lib/server/runtime';
import { createLogger } from '@/lib/server/log';
import type { Clock } from '@/lib/clock';
import { redisCoordination } from '@/lib/server/cluster/redis-coordination';
import type { RedisSettings } from '@/lib/server/cluster/redis';

export interface Harness {
  demo: DemoZulip;
  runtime: DirectoryRuntime;
  /** Every line the runtime logged, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** Moves Zulip's clock (not the app's) by this many seconds. */
  shiftZulipClock(seconds: number): void;
  close(): Promise<void>;
}

export interface HarnessOptions extends DemoZulipOptions {
  /** Zulip's clock minus the app's, in seconds, from the start. */
  zulipClockOffsetSeconds?: number;
  /** The site the app calls, when a test puts something between it and the demo server. */
  siteFor?: (demo: DemoZulip) => string | Promise<string>;
  /** The app's clock (the real one by default); a FakeClock moves only when the test moves it. */
  appClock?: Clock;
}

/** A logger whose lines the test can read, parsed. */
export function collectingLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(sink, 'info'), lines };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  let offsetMs = (opts.zulipClockOffsetSeconds ?? 0) * 1000;
  const demo = await startDemoZulip({ port: 0, users: 60, simulation: false, clock: () => Date.now() + offsetMs, ...opts });
  const { logger, lines: logLines } = collectingLogger();
  const config = { site: opts.siteFor ? await opts.siteFor(demo) : demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  let report: IssueSink = () => {};
  const runtime = new DirectoryRuntime(
    { client: createZulipClient(config, { onRecordIssue: (issue) => report(issue) }), config, demo: false },
    // 1 s polls keep the tests short; the real minimum is 5.
    { PRESENCE_REFRESH_SECONDS: 1, PRESENCE_DETAIL_CACHE_SECONDS: 1 },
    logger,
    undefined,
    opts.appClock,
  );
  report = (issue) => runtime.skipped.report(issue);
  runtime.start();
  await runtime.ready();
  return {
    demo,
    runtime,
    logLines,
    shiftZulipClock(seconds) {
      offsetMs += seconds * 1000;
    },
    async close() {
      runtime.close();
      await demo.close();
    },
  };
}

export function basic(email: string, key: string): string {
  return `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;
}

/** POST /users/me/presence as that person, from the web app (a browser's User-Agent is Zulip's `website` client). */
export async function reportPresence(demo: DemoZulip, user: DemoUser, status: 'active' | 'idle'): Promise<void> {
  const response = await fetch(`${demo.site}/api/v1/users/me/presence`, {
    method: 'POST',
    headers: {
      Authorization: basic(user.delivery_email, user.api_key),
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
    },
    body: new URLSearchParams({ status, ping_only: 'true' }),
  });
  if (response.status !== 200) throw new Error(`presence report: ${response.status} ${await response.text()}`);
}

/** A demo-only control call (/demo/…), JSON in and out. */
export async function control(demo: DemoZulip, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${demo.site}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function waitFor<T>(read: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Who the directory lists: active humans, guests left out (DIRECTORY_ALLOW_GUESTS is off by default). */
export const activeHumans = (demo: DemoZulip) => demo.org.users.filter((u) => !u.is_bot && u.is_active && u.role !== 600);

/**
 * One instance of a cluster on `demo`'s Zulip, coordinating through Redis with `settings`, with a
 * short lease and refresh so elections and feeds happen within a test; not started (the caller
 * may listen to it first).
 */
export function clusterRuntime(name: string, demo: DemoZulip, settings: RedisSettings, leaseSeconds: number): { runtime: DirectoryRuntime; log: Array<Record<string, unknown>> } {
  const { logger, lines: log } = collectingLogger();
  const config = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  const runtime = new DirectoryRuntime(
    { client: createZulipClient(config), config, demo: false },
    { PRESENCE_REFRESH_SECONDS: 1, PRESENCE_DETAIL_CACHE_SECONDS: 1, DIRECTORY_LEASE_SECONDS: leaseSeconds },
    logger,
    redisCoordination(settings, { instanceId: name, leaseMs: leaseSeconds * 1000, logger }),
  );
  return { runtime, log };
}
