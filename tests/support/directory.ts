// An in-process directory for route-level tests: a demo Zulip server on a free port, a
// DirectoryRuntime against it (own request budget, short timeouts), installed as the process's
// runtime so the real route handlers (app/api/**/route.ts) serve from it.
import { startDemoZulip, type DemoZulip, type DemoZulipOptions } from '@/lib/demo-zulip/server';
import { DirectoryRuntime } from '@/lib/server/runtime';
import type { DirectorySettings } from '@/lib/server/settings';
import { createZulipClient } from '@/lib/zulip/client';
import { RateBudget } from '@/lib/zulip/rate-budget';

const RUNTIME_KEY = Symbol.for('zulip-directory.runtime');
const DETAIL_CACHE_KEY = Symbol.for('zulip-directory.presence-detail-cache');
const LIMITER_KEY = Symbol.for('zulip-directory.sign-in-limiter');

export interface TestDirectory {
  demo: DemoZulip;
  runtime: DirectoryRuntime;
  /** The demo's /demo/ control surface. */
  control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestDirectory(
  options: { demo?: DemoZulipOptions; settings?: Partial<DirectorySettings>; timeoutMs?: number } = {},
): Promise<TestDirectory> {
  const demo = await startDemoZulip({ port: 0, users: 40, simulation: false, heartbeatSeconds: 2, ...options.demo });
  const config = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  const settings: DirectorySettings = { PRESENCE_REFRESH_SECONDS: 1, PRESENCE_DETAIL_CACHE_SECONDS: 1, ZULIP_TIMEOUT_SECONDS: (options.timeoutMs ?? 1000) / 1000, ...options.settings };
  const client = createZulipClient(config, { timeoutMs: options.timeoutMs ?? 1000, budget: new RateBudget({ maxBackgroundWaitMs: 5_000 }) });
  const runtime = new DirectoryRuntime({ client, config, demo: true }, settings);
  runtime.start();
  await runtime.ready();
  const g = globalThis as Record<symbol, unknown>;
  g[RUNTIME_KEY] = Promise.resolve(runtime);
  delete g[DETAIL_CACHE_KEY];
  delete g[LIMITER_KEY];
  return {
    demo,
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
      runtime.close();
      delete g[RUNTIME_KEY];
      delete g[DETAIL_CACHE_KEY];
      delete g[LIMITER_KEY];
      await demo.close();
    },
  };
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

/** Runs `fn` with environment variables set, restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}
