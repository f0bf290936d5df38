// The demo Zulip server: a dependency-free node:http server speaking the part of Zulip's REST
// API a staff directory uses, with Zulip's shapes, errors, auth, rate limits and event queues,
// over a generated organization whose presence moves through the day. Started in-process by the
// app when no Zulip is configured, and by `npm run demo-zulip` (cli.ts) for tests and benchmarks.
//
// Importing this module has no side effects; everything starts in startDemoZulip().
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoApp } from './core/app';
import { Faults } from './core/faults';
import { seededRandom } from './org/random';
import { SimulationLoop } from './core/simulation-loop';
import { RequestStats } from './core/stats';
import { DEFAULT_FEATURE_LEVEL, FL, MAX_FEATURE_LEVEL, MIN_FEATURE_LEVEL } from './core/versions';
import { generateOrganization } from './generate';
import { dispatchApi, type ApiEnv } from './http/api-dispatch';
import { AvatarFiles } from './http/avatar-files';
import { handleDemo, type DemoControlEnv } from './http/demo-control';
import { parseForm } from './http/params';
import { decodePath } from './http/path';
import { RateLimiter } from './http/rate-limit';
import { sendJson, sendText } from './http/respond';
import { TornadoRateLimiter } from './http/tornado-rate-limit';
import { isValidClockOffset, MAX_CLOCK_OFFSET_SECONDS } from './clock-offset';
import type { DemoOrganization, DemoUser, RealmEmailVisibility } from './types';

export interface DemoZulipOptions {
  /** 0 = any free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Organization seed. Default 1. */
  seed?: number;
  /** Number of people. Default 250, up to 50,000. */
  users?: number;
  /** Zulip API feature level to imitate. Default 372 (Zulip 10.2). */
  featureLevel?: number;
  /** Per-user API rate limit. Default 200 requests per 60 s (Zulip's `api_by_user`). */
  rateLimit?: { requests: number; windowSeconds: number };
  /** Seconds between simulation ticks. Default 10. */
  tickSeconds?: number;
  /** Whether the presence simulation runs from the start. Default true. */
  simulation?: boolean;
  /** Seconds a GET /events waits before a heartbeat. Default: 45 s + 0–10 s jitter, like Zulip. */
  heartbeatSeconds?: number;
  /** Seconds between event-queue garbage collections. Default 60, like Zulip. */
  queueGcSeconds?: number;
  /** Time source in milliseconds, for tests that move the clock. Default Date.now. */
  clock?: () => number;
  /**
   * Seconds the server's clock is off (positive: ahead). Every time it reports is shifted:
   * server_timestamp, presence timestamps, new users' date_joined, the HTTP Date header,
   * X-RateLimit-Reset (docs/zulip-versions.md §7). Default 0 (the CLI and the app's embedded start read DEMO_ZULIP_CLOCK_OFFSET_SECONDS).
   */
  clockOffsetSeconds?: number;
  /**
   * Before 7.0 (FL 163): the realm's `email_address_visibility`, which applies to every human
   * (docs/zulip.md §f). Default "everyone", Zulip's default. From FL 163 each person's own
   * setting applies (generated, or set through /demo/users) and this is not allowed.
   */
  emailAddressVisibility?: RealmEmailVisibility;
  /** The directory bot's role: 100 owner, 200 admin, 300 moderator, 400 member (default), 600 guest. */
  botRole?: DemoUser['role'];
}

export interface DemoZulip {
  /** The realm URL, e.g. `http://127.0.0.1:9991`. */
  site: string;
  /** The directory bot's credentials. */
  bot: { email: string; apiKey: string };
  /** The organization the server serves (live: the server mutates it). */
  org: DemoOrganization;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_USERS = 50_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`startDemoZulip: ${message}`);
}

function validate(
  opts: DemoZulipOptions,
): Required<Omit<DemoZulipOptions, 'heartbeatSeconds' | 'clock' | 'emailAddressVisibility'>> & Pick<DemoZulipOptions, 'heartbeatSeconds' | 'clock' | 'emailAddressVisibility'> {
  const o = {
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    seed: opts.seed ?? 1,
    users: opts.users ?? 250,
    featureLevel: opts.featureLevel ?? DEFAULT_FEATURE_LEVEL,
    rateLimit: opts.rateLimit ?? { requests: 200, windowSeconds: 60 },
    tickSeconds: opts.tickSeconds ?? 10,
    simulation: opts.simulation ?? true,
    queueGcSeconds: opts.queueGcSeconds ?? 60,
    heartbeatSeconds: opts.heartbeatSeconds,
    clock: opts.clock,
    clockOffsetSeconds: opts.clockOffsetSeconds ?? 0,
    emailAddressVisibility: opts.emailAddressVisibility,
    botRole: opts.botRole ?? 400,
  };
  check(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535, `port must be an integer from 0 to 65535, got ${o.port}`);
  check(Number.isInteger(o.seed), `seed must be an integer, got ${o.seed}`);
  check(Number.isInteger(o.users) && o.users >= 1 && o.users <= MAX_USERS, `users must be an integer from 1 to ${MAX_USERS}, got ${o.users}`);
  check(
    Number.isInteger(o.featureLevel) && o.featureLevel >= MIN_FEATURE_LEVEL && o.featureLevel <= MAX_FEATURE_LEVEL,
    `featureLevel must be an integer from ${MIN_FEATURE_LEVEL} to ${MAX_FEATURE_LEVEL}, got ${o.featureLevel}`,
  );
  check(
    Number.isInteger(o.rateLimit.requests) && o.rateLimit.requests >= 1 && o.rateLimit.windowSeconds > 0,
    'rateLimit needs a positive integer number of requests and a positive window',
  );
  check(o.tickSeconds > 0, `tickSeconds must be positive, got ${o.tickSeconds}`);
  check(o.queueGcSeconds > 0, `queueGcSeconds must be positive, got ${o.queueGcSeconds}`);
  check(o.heartbeatSeconds === undefined || o.heartbeatSeconds > 0, `heartbeatSeconds must be positive, got ${o.heartbeatSeconds}`);
  check([100, 200, 300, 400, 600].includes(o.botRole), `botRole must be 100, 200, 300, 400 or 600, got ${o.botRole}`);
  check(
    o.emailAddressVisibility === undefined || (o.featureLevel < FL.PER_USER_EMAIL_VISIBILITY && ['everyone', 'moderators', 'admins', 'nobody'].includes(o.emailAddressVisibility)),
    `emailAddressVisibility is the realm's setting before feature level 163 ("everyone", "moderators", "admins" or "nobody"), got ${o.emailAddressVisibility} at ${o.featureLevel}`,
  );
  check(isValidClockOffset(o.clockOffsetSeconds), `clockOffsetSeconds must be a number within ±${MAX_CLOCK_OFFSET_SECONDS}, got ${o.clockOffsetSeconds}`);
  return o;
}

/** Reads a request body, refusing bodies over the limit. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form parameters of a body as Django/Zulip read them: POST only for form content types; DELETE/PATCH always. */
function bodyParams(method: string, contentType: string | undefined, body: string): Map<string, string> {
  if (method === 'GET' || method === 'HEAD') return new Map();
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (method === 'POST' && type !== 'application/x-www-form-urlencoded') return new Map();
  return parseForm(body);
}

/** The body nginx sends when Zulip behind it is down. */
function nginxErrorPage(status: number): string {
  const reason = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Error';
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function sendInjectedError(res: ServerResponse, status: number): void {
  if (status >= 502 && status <= 504) sendText(res, status, nginxErrorPage(status), 'text/html');
  else if (status >= 500) sendJson(res, status, JSON.stringify({ result: 'error', msg: 'Internal server error' }));
  else sendJson(res, status, JSON.stringify({ result: 'error', msg: 'Injected fault', code: 'BAD_REQUEST' }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function startDemoZulip(options: DemoZulipOptions = {}): Promise<DemoZulip> {
  const opts = validate(options);
  const clock = opts.clock ?? Date.now;
  const org = generateOrganization({ seed: opts.seed, users: opts.users });
  const bot = org.users.find((u) => u.user_id === org.directoryBotId);
  if (!bot) throw new Error('demo-zulip: the generated organization has no directory bot');
  bot.role = opts.botRole;

  const jitter = seededRandom(opts.seed ^ 0x5eed);
  const app = new DemoApp(org, {
    featureLevel: opts.featureLevel,
    clock,
    clockOffsetSeconds: opts.clockOffsetSeconds,
    heartbeatMs: () => (opts.heartbeatSeconds !== undefined ? opts.heartbeatSeconds * 1000 : 45_000 + Math.floor(jitter() * 10_000)),
  });
  if (opts.emailAddressVisibility) app.state.setRealmEmailVisibility(opts.emailAddressVisibility);
  const simulation = new SimulationLoop(app, opts.tickSeconds);
  simulation.seed();
  if (opts.simulation) simulation.start();

  const faults = new Faults(seededRandom(opts.seed));
  const stats = new RequestStats();
  const limiter = new RateLimiter(opts.rateLimit.requests, opts.rateLimit.windowSeconds);
  // Tornado applies the same rule, counted in its own memory (docs/zulip-versions.md §5).
  const tornadoLimiter = new TornadoRateLimiter(opts.rateLimit.requests, opts.rateLimit.windowSeconds);
  const avatars = new AvatarFiles(app);
  const apiEnv: ApiEnv = { app, limiter, tornadoLimiter, faults, site: '' };
  const demoEnv: DemoControlEnv = { app, faults, stats, simulation, site: '' };

  const gcTimer = setInterval(() => app.queues.collectGarbage(), opts.queueGcSeconds * 1000);
  gcTimer.unref();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = (req.url ?? '/').replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const path = decodePath(rawPath);
    const controller = new AbortController();
    let endpoint = `${method} (other)`;
    // The Date header comes from the server's clock, offset included (Node would use the true time).
    res.setHeader('Date', new Date(app.now() * 1000).toUTCString());

    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
      if (path.startsWith('/demo/')) return;
      stats.record(endpoint, {
        method,
        path: rawUrl,
        status: res.writableFinished || res.headersSent ? res.statusCode : 0,
        time: new Date(started).toISOString(),
        durationMs: Date.now() - started,
      });
    });

    if (path.startsWith('/demo/')) {
      const body = (await readBody(req)) ?? '';
      handleDemo(demoEnv, method, path, new URLSearchParams(rawQuery), body, res);
      return;
    }

    if (path.startsWith('/api/v1/')) {
      endpoint = `${method} (not found)`;
      if (faults.applies(path)) {
        if (faults.config.dropConnections) {
          req.socket.destroy();
          return;
        }
        if (faults.config.latencyMs) await sleep(faults.config.latencyMs);
        if (faults.shouldFail()) {
          sendInjectedError(res, faults.config.errorStatus ?? 500);
          return;
        }
      }
      const body = await readBody(req);
      if (body === null) {
        sendJson(res, 413, JSON.stringify({ result: 'error', msg: 'Request body too large', code: 'BAD_REQUEST' }));
        return;
      }
      await dispatchApi(apiEnv, {
        req,
        res,
        path: path.slice('/api/v1/'.length),
        query: parseForm(rawQuery),
        body: bodyParams(method, req.headers['content-type'], body),
        signal: controller.signal,
        onEndpoint: (template) => (endpoint = `${method} /api/v1/${template}`),
      });
      return;
    }

    if ((method === 'GET' || method === 'HEAD') && avatars.serve(path, res, method === 'HEAD')) {
      endpoint = path.startsWith('/user_avatars/') ? `${method} /user_avatars/{realm_id}/{hash}.png` : `${method} /static/images/static_avatars/{name}.png`;
      return;
    }
    if (path.startsWith('/api/')) {
      sendJson(res, 404, JSON.stringify({ result: 'error', msg: 'Not Found', code: 'BAD_REQUEST' }));
      return;
    }
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      endpoint = `${method} /`;
      sendText(res, 200, `Demo Zulip server for ${org.realm.name}. API at ${apiEnv.site}/api/v1/, controls at ${apiEnv.site}/demo/.\n`, 'text/plain; charset=utf-8');
      return;
    }
    sendText(res, 404, 'Not Found\n', 'text/plain; charset=utf-8');
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      console.error('[demo-zulip] request failed', error);
      if (!res.headersSent) sendJson(res, 500, JSON.stringify({ result: 'error', msg: 'Internal server error' }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  const site = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  apiEnv.site = site;
  demoEnv.site = site;

  let closed: Promise<void> | null = null;
  return {
    site,
    bot: { email: bot.delivery_email, apiKey: bot.api_key },
    org,
    close() {
      closed ??= new Promise<void>((resolve) => {
        simulation.stop();
        clearInterval(gcTimer);
        app.queues.deleteAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** The bot's credentials as a zuliprc file (the format Zulip's "Download zuliprc" produces). */
export function zuliprcText(demo: DemoZulip): string {
  return `[api]\nemail=${demo.bot.email}\nkey=${demo.bot.apiKey}\nsite=${demo.site}\n`;
}
