// An in-process directory for route-level tests: a demo Zulip server on a free port and an app
// built for it by the composition root (lib/server/app.ts) with the test's own settings, installed
// as the process's app so the real route handlers (app/api/**/route.ts) and proxy.ts serve from it.
import { startDemoZulip, type DemoZulip, type DemoZulipOptions } from '@/lib/demo-zulip/server';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import type { AccessConfig } from '@/lib/access/config';
import type { DirectorySettings } from '@/lib/server/settings';
import { createApp, type DirectoryApp } from '@/lib/server/app';
import { readSettings } from '@/lib/server/app-settings';
import { createLogger } from '@/lib/server/log';
import { createZulipClient } from '@/lib/zulip/client';
import { RateBudget } from '@/lib/zulip/rate-budget';
import type { Clock } from '@/lib/clock';

const APP_KEY = Symbol.for('zulip-directory.app');

export interface TestDirectory {
  demo: DemoZulip;
  app: DirectoryApp;
  runtime: DirectoryRuntime;
  /** The demo's /demo/ control surface. */
  control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A home directory with no ~/.zuliprc in it: what a test reads never depends on the machine's. */
const TEST_HOME = '/nonexistent-home-for-tests';

/** Settings as the app reads them from its environment: only `vars`, never the test process's own (no ~/.zuliprc either). */
export function testSettings(vars: Record<string, string | undefined> = {}) {
  const env = Object.fromEntries(Object.entries({ LOG_LEVEL: 'silent', ...vars }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  return readSettings(env, { home: TEST_HOME });
}

/** Access as a test app with these settings would have it. */
export function accessConfig(vars: Record<string, string | undefined>): AccessConfig {
  return testSettings(vars).access.config;
}

/** The directory the current test file started (withEnv builds its apps around its runtime). */
let current: TestDirectory | null = null;

/** Makes `app` the one route handlers and proxy.ts find; returns how to put the previous one back. */
export function install(app: DirectoryApp | undefined): () => void {
  const g = globalThis as Record<symbol, unknown>;
  const previous = g[APP_KEY] as DirectoryApp | undefined;
  if (app) g[APP_KEY] = app;
  else delete g[APP_KEY];
  return () => {
    if (previous) g[APP_KEY] = previous;
    else delete g[APP_KEY];
  };
}

export async function startTestDirectory(
  options: {
    demo?: DemoZulipOptions;
    settings?: Partial<DirectorySettings>;
    timeoutMs?: number;
    env?: Record<string, string | undefined>;
    /** The site the app calls instead of the demo's (one where nothing answers, say). */
    zulipSite?: string;
  } = {},
): Promise<TestDirectory> {
  const demo = await startDemoZulip({ port: 0, users: 40, simulation: false, heartbeatSeconds: 2, ...options.demo });
  const config = { site: options.zulipSite ?? demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  const timeoutMs = options.timeoutMs ?? 1000;
  const base = testSettings(options.env);
  const settings = { ...base, directory: { ...base.directory, PRESENCE_REFRESH_SECONDS: 1, PRESENCE_DETAIL_CACHE_SECONDS: 1, ZULIP_TIMEOUT_SECONDS: timeoutMs / 1000, ...options.settings } };
  const app = createApp(settings, {
    logger: createLogger(undefined, 'silent'),
    // The demo as a configured Zulip would be, with a budget that waits as long as the tests allow.
    connection: async ({ onRecordIssue, onCall }) => ({ client: createZulipClient(config, { timeoutMs, onRecordIssue, onCall, budget: new RateBudget({ maxBackgroundWaitMs: 5_000 }) }), config, demo: true }),
  });
  const runtime = await app.directory();
  const restore = install(app);
  const dir: TestDirectory = {
    demo,
    app,
    runtime,
    async control(method, path, body) {
      const res = await fetch(`${demo.site}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    },
    async close() {
      restore();
      if (current === dir) current = null;
      await app.close();
      await demo.close();
    },
  };
  current = dir;
  return dir;
}

/** A listed member who can sign in with a password. */
export interface SignInMember {
  id: number;
  email: string;
  password: string;
}

/** Every listed, active human of the demo organization who has a password (from /demo/credentials). */
export async function signInMembers(dir: TestDirectory): Promise<SignInMember[]> {
  const credentials = (await dir.control('GET', '/demo/credentials')) as {
    users: Array<{ user_id: number; delivery_email: string; password: string | null; is_bot: boolean; is_active: boolean }>;
  };
  return credentials.users
    .filter((u) => !u.is_bot && u.is_active && u.password !== null && dir.runtime.view.people.get(u.user_id))
    .map((u) => ({ id: u.user_id, email: u.delivery_email, password: u.password! }));
}

/** The listed people with a presence row (connected at least once), so a breakdown is data rather than "never connected". */
export function connectedPeople(dir: TestDirectory): number[] {
  const connected = new Set(dir.demo.org.users.filter((u) => u.work !== null && u.presence_enabled).map((u) => u.user_id));
  return dir.runtime.view.people.list().map((p) => p.id).filter((id) => connected.has(id));
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs `fn` against an app built with these settings (as if they were its environment) around the
 * current test directory's runtime: the same organization seen through other access settings. The
 * test process's own environment is never read or changed.
 */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: (app: DirectoryApp) => Promise<T>, options: { clock?: Clock } = {}): Promise<T> {
  const app = createApp(testSettings(vars), { logger: createLogger(undefined, 'silent'), ...(current ? { runtime: current.runtime } : {}), ...options });
  const restore = install(app);
  try {
    return await fn(app);
  } finally {
    restore();
    await app.close();
  }
}
