// Several real instances of the built app sharing one real Redis and one Zulip (docs/architecture.md
// §10), for e2e/cluster.spec.ts and bench/cluster.ts: a redis-server on a free port that can be
// killed and started again (tests/support/redis-server.ts), N `next start` processes with stable
// instance ids (e2e/spawn-app.ts: each can be SIGKILLed), who leads according to /api/health, and
// a small load balancer that routes by path to different instances and remembers where each
// request went. Plain Node (fetch, node:http): no Playwright in here, so the benchmark can use it.
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { spawnApp, type SpawnedApp } from './spawn-app';
import { startRedisServer, type RedisServer } from '../tests/support/redis-server';
import { openSse, type SseClient } from '../bench/lib/sse';
import { reportPresence } from '../bench/lib/demo';

export { reportPresence };

export interface ZulipAccess {
  site: string;
  email: string;
  apiKey: string;
}

export interface ClusterStatus {
  mode: 'single' | 'redis';
  instance: string;
  role: 'leader' | 'follower';
  leader: string | null;
  redis: 'ok' | 'unreachable' | null;
}

/** GET /api/health, as much of it as the cluster tests read. */
export interface Health {
  httpStatus: number;
  status: string;
  data: { people: number; stale: boolean };
  viewers: number;
  cluster: ClusterStatus;
}

export interface Instance {
  /** DIRECTORY_INSTANCE_ID: the name /api/health and the log use. */
  id: string;
  url: string;
  pid: number;
  app: SpawnedApp;
  running(): boolean;
  /** /api/health now, or null when the instance does not answer. */
  health(timeoutMs?: number): Promise<Health | null>;
  /** SIGKILL the process; resolves when it is gone. */
  kill(): Promise<void>;
  /** SIGTERM the process (a graceful stop); resolves when it has exited by itself. */
  terminate(): Promise<void>;
  /** Resident memory of the process now and its high-water mark, MB (Linux /proc). */
  memory(): { rssMb: number; peakMb: number };
}

export interface ClusterOptions {
  zulip: ZulipAccess;
  /** Instance ids, one instance each (default a, b, c). */
  ids?: string[];
  leaseSeconds?: number;
  refreshSeconds?: number;
  /** More environment for every instance (e.g. PRESENCE_DETAIL_CACHE_SECONDS). */
  env?: Record<string, string>;
  /** An existing Redis; by default the cluster starts (and stops) its own. */
  redis?: RedisServer;
  /** 'single': no REDIS_URL, each instance on its own (today's one-process deployment, for comparison). */
  mode?: 'redis' | 'single';
  keyPrefix?: string;
}

export interface Cluster {
  /** Null in 'single' mode. */
  redis: RedisServer | null;
  zulip: ZulipAccess;
  /** Every instance started, in order (killed ones included: see running()). */
  instances: Instance[];
  byId(id: string): Instance;
  running(): Instance[];
  /** Starts one more instance (or one again, under an id used before) and waits until it answers. */
  start(id: string): Promise<Instance>;
  /** Health of every running instance that answers. */
  healths(): Promise<Array<{ instance: Instance; health: Health }>>;
  /** The one running instance that says it leads, once every running instance names it; else null. */
  leader(): Promise<Instance | null>;
  /**
   * Polls every `pollMs` until one running instance leads and the others follow it (each with
   * people, Redis ok and fresh data unless `fresh: false`); resolves with it and when that was first seen.
   */
  waitForLeader(options?: { timeoutMs?: number; pollMs?: number; fresh?: boolean; among?: Instance[] }): Promise<{ leader: Instance; at: number }>;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readHealth(url: string, timeoutMs: number): Promise<Health | null> {
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as Omit<Health, 'httpStatus'>;
    return { ...body, httpStatus: response.status };
  } catch {
    return null;
  }
}

function memory(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, peakMb: 0 };
  }
}

const live = new Set<SpawnedApp>();
const ownRedises = new Set<RedisServer>();
let exitHook = false;

/** Starts Redis (unless given), then the instances, and waits until one leads and every instance has the directory. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!exitHook) {
    exitHook = true;
    // However the process ends, no instance outlives it (nor Redis: tests/support/redis-server.ts sees to that).
    process.once('exit', () => {
      for (const app of live) {
        try {
          if (app.running()) process.kill(app.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
  const single = options.mode === 'single';
  const redis = single ? null : (options.redis ?? (await startRedisServer()));
  if (redis && options.redis === undefined) ownRedises.add(redis);
  const env = {
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: options.keyPrefix ?? 'cluster-e2e' } : {}),
    DIRECTORY_LEASE_SECONDS: String(options.leaseSeconds ?? 3),
    PRESENCE_REFRESH_SECONDS: String(options.refreshSeconds ?? 5),
    ZULIP_SITE: options.zulip.site,
    ZULIP_EMAIL: options.zulip.email,
    ZULIP_API_KEY: options.zulip.apiKey,
    // A configured Zulip needs its access mode said out loud (README "Who can see the directory").
    DIRECTORY_ACCESS: 'open',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const instances: Instance[] = [];

  const start = async (id: string): Promise<Instance> => {
    // /api/health starts the runtime, so the instance takes part in the election from now on.
    const app = await spawnApp({ ...env, DIRECTORY_INSTANCE_ID: id }, '/api/health');
    live.add(app);
    const instance: Instance = {
      id,
      url: app.url,
      pid: app.pid,
      app,
      running: () => app.running(),
      health: (timeoutMs = 2_000) => (app.running() ? readHealth(app.url, timeoutMs) : Promise.resolve(null)),
      kill: () => app.kill(),
      terminate: () => app.terminate(),
      memory: () => memory(app.pid),
    };
    instances.push(instance);
    return instance;
  };

  const cluster: Cluster = {
    redis,
    zulip: options.zulip,
    instances,
    byId(id) {
      const found = [...instances].reverse().find((i) => i.id === id);
      if (!found) throw new Error(`no instance ${id}`);
      return found;
    },
    running: () => instances.filter((i) => i.running()),
    start,
    async healths() {
      const answers = await Promise.all(cluster.running().map(async (instance) => ({ instance, health: await instance.health() })));
      return answers.filter((a): a is { instance: Instance; health: Health } => a.health !== null);
    },
    async leader() {
      const answers = await cluster.healths();
      const leaders = answers.filter((a) => a.health.cluster.role === 'leader');
      if (leaders.length !== 1) return null;
      const id = leaders[0]!.instance.id;
      return answers.every((a) => a.health.cluster.leader === id) ? leaders[0]!.instance : null;
    },
    async waitForLeader({ timeoutMs = 30_000, pollMs = 100, fresh = true, among } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        const group = among ?? cluster.running();
        const answers = await Promise.all(group.map(async (instance) => ({ instance, health: await instance.health() })));
        const at = Date.now();
        const leaders = answers.filter((a) => a.health?.cluster.role === 'leader');
        const agreed =
          leaders.length === 1 &&
          answers.every(
            (a) =>
              a.health !== null &&
              a.health.cluster.leader === leaders[0]!.instance.id &&
              (!fresh || (a.health.data.people > 0 && !a.health.data.stale && a.health.cluster.redis !== 'unreachable')),
          );
        if (agreed) return { leader: leaders[0]!.instance, at };
        last = answers.map((a) => `${a.instance.id}: ${a.health ? `${a.health.httpStatus} ${JSON.stringify(a.health.cluster)} people=${a.health.data.people} stale=${a.health.data.stale}` : 'no answer'}`).join('; ');
        if (at > deadline) throw new Error(`no agreed leader within ${timeoutMs} ms (${last})`);
        await sleep(pollMs);
      }
    },
    async stop() {
      await Promise.all(instances.map(async (i) => {
        await i.app.stop();
        live.delete(i.app);
      }));
      if (redis && ownRedises.delete(redis)) await redis.stop();
    },
  };

  await Promise.all((options.ids ?? ['a', 'b', 'c']).map((id) => start(id)));
  await cluster.waitForLeader({ timeoutMs: 60_000 });
  return cluster;
}

// ---------------------------------------------------------------------------------------------
// Presence as a person's own Zulip client reports it.

export interface PresenceAccount {
  user_id: number;
  email: string;
  delivery_email?: string | null;
  api_key: string;
  full_name: string;
  is_bot?: boolean;
  is_active?: boolean;
  role?: number;
  presence_enabled?: boolean;
}

/** The demo organization's accounts (its /demo/credentials). */
export async function demoAccounts(site: string): Promise<PresenceAccount[]> {
  const body = (await (await fetch(`${site}/demo/credentials`)).json()) as { users: PresenceAccount[] };
  return body.users;
}

/** People the directory lists (no bots, guests or deactivated users; by default guests are not listed). */
export async function listedAccounts(site: string): Promise<PresenceAccount[]> {
  return (await demoAccounts(site)).filter((a) => !a.is_bot && a.is_active !== false && a.role !== 600);
}

/** Listed people that `url`'s directory shows offline (presence none or offline), by id. */
export async function offlineIds(url: string): Promise<number[]> {
  const page = (await (await fetch(`${url}/api/people?sort=name&limit=200`)).json()) as { items: Array<{ id: number; presence: { state: string } | null }> };
  return page.items.filter((p) => (p.presence?.state ?? 'offline') === 'offline').map((p) => p.id);
}

/** A person's presence state as `url`'s directory says it. */
export async function presenceState(url: string, id: number): Promise<string | null> {
  const response = await fetch(`${url}/api/people/${id}`);
  if (!response.ok) return null;
  return ((await response.json()) as { person?: { presence?: { state?: string } | null } }).person?.presence?.state ?? null;
}

// ---------------------------------------------------------------------------------------------
// Live presence streams, as a browser's EventSource reads them.

export interface PresenceEvent {
  /** The SSE event id: the presence version, the same on every instance. */
  id: string | null;
  version: number;
  full: boolean;
  stale: boolean;
  changes: Array<{ id: number; state: string | null }>;
  receivedAt: number;
}

export interface PresenceStream {
  url: string;
  events: PresenceEvent[];
  opened: Promise<void>;
  /** Resolves when the instance ends the stream (as it does when told to stop). */
  ended: Promise<void>;
  /** The first event (after `after`, epoch ms) in which `personId` has `state`. */
  find(personId: number, state: string, after?: number): PresenceEvent | undefined;
  /** Waits for find() to answer. */
  waitFor(personId: number, state: string, options?: { after?: number; timeoutMs?: number }): Promise<PresenceEvent>;
  close(): void;
}

/**
 * Opens `/api/presence/stream` on `base` and keeps every presence event; with `lastEventId`, as
 * an EventSource reconnecting after that event does (the first event catches up from it).
 */
export function openPresenceStream(base: string, options: { onEvent?: (event: PresenceEvent) => void; lastEventId?: string } = {}): PresenceStream {
  const events: PresenceEvent[] = [];
  const url = `${base}/api/presence/stream`;
  const client: SseClient = openSse(url, (sse) => {
    if (sse.event !== 'presence') return;
    const diff = JSON.parse(sse.data) as { version: number; full: boolean; freshness?: { stale?: boolean }; changes: Array<{ id: number; presence: { state: string } | null }> };
    const event: PresenceEvent = {
      id: sse.id,
      version: diff.version,
      full: diff.full,
      stale: diff.freshness?.stale ?? false,
      changes: diff.changes.map((c) => ({ id: c.id, state: c.presence?.state ?? null })),
      receivedAt: sse.receivedAt,
    };
    events.push(event);
    options.onEvent?.(event);
  }, options.lastEventId === undefined ? {} : { 'Last-Event-ID': options.lastEventId });
  const find = (personId: number, state: string, after = 0) => events.find((e) => e.receivedAt >= after && e.changes.some((c) => c.id === personId && c.state === state));
  return {
    url,
    events,
    opened: client.opened,
    ended: client.ended,
    find,
    async waitFor(personId, state, { after = 0, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(personId, state, after);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`${url}: no event with person ${personId} ${state} within ${timeoutMs} ms (${events.length} events: ${events.map((e) => `${e.version}${e.full ? ' full' : ''}`).join(', ')})`);
        await sleep(25);
      }
    },
    close: () => client.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// A load balancer in front of the instances.

export interface ProxyHit {
  method: string;
  path: string;
  /** Where it was sent: the instance's id. */
  target: string;
  status: number | null;
  at: number;
}

export interface LoadBalancer {
  url: string;
  hits: ProxyHit[];
  close(): Promise<void>;
}

/**
 * A plain HTTP reverse proxy: `route(path)` picks the instance for each request. The body is
 * passed through as it comes (unbuffered, so a presence stream works through it), the Host header
 * is kept (as a proxy that passes it on does), and a client that goes away closes the request
 * upstream too.
 */
export async function startLoadBalancer(route: (path: string) => Instance): Promise<LoadBalancer> {
  const hits: ProxyHit[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const target = route(path);
    const hit: ProxyHit = { method: req.method ?? 'GET', path, target: target.id, status: null, at: Date.now() };
    hits.push(hit);
    const upstream = httpRequest(`${target.url}${path}`, { method: req.method, headers: req.headers }, (answer) => {
      hit.status = answer.statusCode ?? null;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('bad gateway');
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
