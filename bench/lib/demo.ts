// The demo Zulip server as a child process (what the app talks to, over real HTTP), and its
// /demo/ control surface: request statistics, the request log, faults and the simulation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch, sleep, startChild, type Child } from './proc';
import type { DemoCredentials } from '../../lib/demo-zulip/types';

export type DemoAccount = DemoCredentials;

export interface DemoStats {
  total: number;
  rateLimited: number;
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  since: string;
}

export interface LoggedRequest {
  /** The request's place in the server's log (newer demo servers). */
  seq?: number;
  method: string;
  path: string;
  status: number;
  time: string;
  durationMs: number;
}

export interface Demo {
  site: string;
  zuliprc: string;
  bot: { email: string; key: string };
  child: Child;
  stats(): Promise<DemoStats>;
  resetStats(): Promise<void>;
  requests(limit?: number): Promise<LoggedRequest[]>;
  faults(body: Record<string, unknown> | null): Promise<void>;
  simulation(action: 'pause' | 'resume' | 'tick'): Promise<void>;
  accounts(): Promise<DemoAccount[]>;
  /** A person's own client reporting presence (their key, a browser User-Agent), as Zulip's web app does. */
  postPresence(account: DemoAccount, status: 'active' | 'idle'): Promise<void>;
}

export interface DemoOptions {
  port: number;
  users: number;
  seed?: number;
  featureLevel?: number;
  paused?: boolean;
  rateLimit?: number;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { result?: string; msg?: string };
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${body.msg ?? ''}`);
  return body;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const zuliprc = join(scratch(), `zuliprc-${options.port}`);
  const args = [
    'node_modules/tsx/dist/cli.mjs',
    'lib/demo-zulip/cli.ts',
    '--port', String(options.port),
    '--seed', String(options.seed ?? 1),
    '--users', String(options.users),
    '--feature-level', String(options.featureLevel ?? 372),
    '--zuliprc-out', zuliprc,
  ];
  if (options.paused) args.push('--paused');
  if (options.rateLimit) args.push('--rate-limit', String(options.rateLimit));
  const child = startChild(`demo-zulip-${options.port}`, process.execPath, args);
  const site = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.pid && (await Promise.race([child.exited.then(() => true), sleep(0).then(() => false)]))) {
      throw new Error(`the demo Zulip server on port ${options.port} exited; see ${child.log}`);
    }
    try {
      const response = await fetch(`${site}/api/v1/server_settings`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the demo Zulip server on port ${options.port} did not start; see ${child.log}`);
    await sleep(250);
  }
  const rc = readFileSync(zuliprc, 'utf8');
  const bot = { email: /^email=(.*)$/m.exec(rc)![1]!, key: /^key=(.*)$/m.exec(rc)![1]! };
  const control = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${site}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    site,
    zuliprc,
    bot,
    child,
    stats: async () => json<DemoStats>(await control('/demo/stats')),
    resetStats: async () => void (await json(await control('/demo/stats', 'DELETE'))),
    requests: async (limit = 1000) => (await json<{ requests: LoggedRequest[] }>(await control(`/demo/requests?limit=${limit}`))).requests,
    faults: async (body) => void (await json(await (body === null ? control('/demo/faults', 'DELETE') : control('/demo/faults', 'POST', body)))),
    simulation: async (action) => void (await json(await control('/demo/simulation', 'POST', { action }))),
    accounts: async () => (await json<{ users: DemoAccount[] }>(await control('/demo/credentials'))).users,
    postPresence: (account, status) => reportPresence(site, account, status),
  };
}

/**
 * Accumulates the demo server's request log (which keeps only the last 1,000 requests) by
 * polling it, so a long run can be analysed request by request.
 */
export class RequestRecorder {
  readonly entries: LoggedRequest[] = [];
  private seen = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private demo: Demo) {}

  start(everyMs = 2_000): void {
    this.timer = setInterval(() => void this.poll().catch(() => {}), everyMs);
  }

  async stop(): Promise<LoggedRequest[]> {
    if (this.timer) clearInterval(this.timer);
    await this.poll();
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }

  async poll(): Promise<void> {
    for (const r of await this.demo.requests()) {
      const key = r.seq !== undefined ? String(r.seq) : `${r.time}|${r.method}|${r.path}|${r.status}|${r.durationMs}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.entries.push(r);
    }
  }
}

/** `POST /users/me/presence` with the person's own key and a browser's User-Agent, as Zulip's web app does. */
export async function reportPresence(
  site: string,
  account: { user_id: number; email: string; delivery_email?: string | null; api_key: string },
  status: 'active' | 'idle' = 'active',
): Promise<void> {
  const response = await fetch(`${site}/api/v1/users/me/presence`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${account.delivery_email ?? account.email}:${account.api_key}`).toString('base64')}`,
      'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ status, ping_only: 'true' }).toString(),
  });
  if (!response.ok) throw new Error(`POST /users/me/presence for ${account.user_id}: ${response.status} ${await response.text()}`);
}
