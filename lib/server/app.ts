import 'server-only';
import type { AppSettings } from '@/lib/server/app-settings';
import { systemClock, type Clock } from '@/lib/clock';
import { createLogger, reportCannotStart, type Logger } from '@/lib/server/log';
import { DirectoryCannotStart, isDirectoryCannotStart } from '@/lib/server/cannot-start';
import { ZulipError } from '@/lib/zulip/errors';
import { openZulipConnection, type ZulipConnection } from '@/lib/server/connection';
import { DirectoryRuntime } from '@/lib/server/runtime';
import { detailCacheMs, leaseMs, zulipTimeoutMs } from '@/lib/server/settings';
import { CoalescingCache, type DetailCache } from '@/lib/server/detail-cache';
import { openRedis, type SharedStore } from '@/lib/server/cluster/redis';
import { sealer } from '@/lib/server/cluster/deployment';
import { soleCoordination } from '@/lib/server/cluster/coordination';
import { redisCoordination } from '@/lib/server/cluster/redis-coordination';
import { RedisRateBudget } from '@/lib/server/cluster/redis-rate-budget';
import { RedisDetailCache } from '@/lib/server/cluster/redis-detail-cache';
import { readLoadedDetail, type LoadedDetail } from '@/lib/server/presence-detail-value';
import { RateBudget, type RequestBudget } from '@/lib/zulip/rate-budget';
import type { IssueSink } from '@/lib/zulip/record-issues';
import type { CallObserver } from '@/lib/zulip/http';
import { MemorySessionRevocations, type SessionRevocations } from '@/lib/access/revocations';
import { RedisSessionRevocations } from '@/lib/access/redis-revocations';
import { MemorySignInAttempts, type SignInAttempts } from '@/lib/access/sign-in-limiter';
import { RedisSignInAttempts } from '@/lib/access/redis-sign-in-attempts';
import { StreamSlots, type StreamSlotPool } from '@/lib/access/stream-limits';
import { RedisStreamSlots } from '@/lib/access/redis-stream-slots';
import { ExportSlots } from '@/lib/access/export-limits';
import { RenderingCache } from '@/lib/export/rendering-cache';
import type { PeoplePage } from '@/lib/directory/domain/types';
import { avatarOrigins } from '@/lib/http/avatar-origins';
import { zulipOrigin } from '@/lib/http/zulip-origin';
import { DirectoryMetrics } from '@/lib/server/metrics/directory-metrics';
import { Draining } from '@/lib/server/draining';

/**
 * The whole server side of the directory, built in one place (docs/architecture.md §16) from its
 * settings and what it depends on. Every page, route and proxy.ts reach the parts through it;
 * nothing else creates a process-wide part. One process holds one (app-handle.ts); tests build
 * their own with their own settings.
 */
export interface DirectoryApp {
  readonly settings: AppSettings;
  readonly logger: Logger;
  /** The time every part reads and waits on. */
  readonly clock: Clock;
  /** Redis, when REDIS_URL is set (several instances); null for one process on its own. */
  readonly store: SharedStore | null;
  /** The bot's request budget: shared by every instance through Redis, or this process's own. */
  readonly budget: RequestBudget;
  readonly revocations: SessionRevocations;
  readonly signInAttempts: SignInAttempts;
  /** Open live streams: this process's count, or every instance's through Redis. */
  readonly streamSlots: StreamSlotPool;
  readonly exportSlots: ExportSlots;
  /** Export files made once per view and version, read by any number of downloads. */
  readonly exportCache: RenderingCache<{ facets: PeoplePage['facets'] }>;
  /** Per-person presence answers, cached and coalesced (across instances with Redis). */
  readonly detailCache: DetailCache<number, LoadedDetail>;
  /** What /metrics shows: this app's own registry. */
  readonly metrics: DirectoryMetrics;
  /** Whether this instance is shutting down; the streams listen to it. */
  readonly draining: Draining;
  /** The runtime (view, Zulip source, coordination), started on first use. */
  runtime(): Promise<DirectoryRuntime>;
  /** The runtime once its first snapshot is in (or the wait for it ran out: pages render stale rather than wait). */
  directory(): Promise<DirectoryRuntime>;
  /** Where the organization's avatars are, for the CSP (none before the runtime has started). */
  avatarOrigins(): string[];
  /** The Zulip server's origin, for the CSP. */
  zulipOrigin(): string | null;
  /**
   * A graceful stop (docs/architecture.md §16): not ready, no new streams, open ones told to
   * reconnect elsewhere; the lease given up and the Zulip event queue deleted. Requests still
   * being answered are served from the data in memory.
   */
  drain(): Promise<void>;
  /** Gives the lease up, deletes the Zulip event queue, closes every connection. */
  close(): Promise<void>;
}

export interface AppDependencies {
  logger?: Logger;
  /** Default: the real clock. Tests hand a fake one and move time themselves. */
  clock?: Clock;
  /**
   * A runtime that is already running, to serve instead of starting one (tests that look at one
   * organization through several access settings); the app does not close it.
   */
  runtime?: DirectoryRuntime;
  /** Zulip: by default opened from the settings (the embedded demo when none is configured). */
  connection?: (options: { budget: RequestBudget; timeoutMs: number; onRecordIssue: IssueSink; onCall: CallObserver }) => Promise<ZulipConnection>;
}

const EXPORT_CACHE = { maxBytes: 64 * 2 ** 20, maxAgeMs: 5 * 60_000 };

export function createApp(settings: AppSettings, dependencies: AppDependencies = {}): DirectoryApp {
  const logger = dependencies.logger ?? createLogger(undefined, settings.logLevel);
  const clock = dependencies.clock ?? systemClock;
  const store: SharedStore | null = settings.redis && {
    redis: openRedis(settings.redis.url, 'directory', logger),
    prefix: settings.redis.keyPrefix,
    sealer: sealer(settings.redis.deployment, settings.redis.sharedSecret),
  };
  const timeoutMs = zulipTimeoutMs(settings.directory);
  const budget: RequestBudget = store ? new RedisRateBudget({ store, logger, clock }) : new RateBudget({ clock });
  const revocations: SessionRevocations =
    store && settings.redis ? new RedisSessionRevocations(store, { subscriber: openRedis(settings.redis.url, 'directory-revocations', logger, { blocking: true }), logger, now: () => clock.now() }) : new MemorySessionRevocations({ now: () => clock.now() });
  const detailTtlMs = detailCacheMs(settings.directory);
  const detailCache: DetailCache<number, LoadedDetail> = store
    ? new RedisDetailCache({
        store,
        name: 'presence-detail',
        ttlMs: detailTtlMs,
        parse: readLoadedDetail,
        loadTimeoutMs: timeoutMs,
        // The instance that called Zulip for this person waited the whole timeout: so did this one.
        waitedOut: () => new ZulipError({ kind: 'timeout', endpoint: 'GET /users/{user_id_or_email}/presence' }),
        logger,
        clock,
      })
    : new CoalescingCache(detailTtlMs, undefined, clock);

  let started: Promise<DirectoryRuntime> | null = dependencies.runtime ? Promise.resolve(dependencies.runtime) : null;
  let current: DirectoryRuntime | null = dependencies.runtime ?? null;
  const streamSlots: StreamSlotPool = store ? new RedisStreamSlots(store, { instanceId: settings.instanceId, logger, clock }) : new StreamSlots();
  const draining = new Draining();
  const metrics = new DirectoryMetrics({ budget, runtime: () => current, openStreams: () => streamSlots.size, draining: () => draining.draining }, { redis: store !== null });

  async function start(): Promise<DirectoryRuntime> {
    // Several instances share one Zulip; each would start a demo server of its own.
    if (settings.redis && settings.zulip.mode === 'demo') {
      throw new DirectoryCannotStart('REDIS_URL is set, but no Zulip is configured: several instances need one Zulip to share (ZULIP_SITE, ZULIP_EMAIL, ZULIP_API_KEY; or start one demo server with `npm run demo-zulip`).');
    }
    // The client reports skipped records to the runtime, which exists only once the client does.
    let onRecordIssue: IssueSink = () => {};
    const options = { budget, timeoutMs, onRecordIssue: (issue: Parameters<IssueSink>[0]) => onRecordIssue(issue), onCall: metrics.zulipCall };
    const connection = await (dependencies.connection ? dependencies.connection(options) : openZulipConnection(settings, options, logger));
    const coordination = settings.redis
      ? redisCoordination(settings.redis, { instanceId: settings.instanceId, leaseMs: leaseMs(settings.directory), logger, clock })
      : soleCoordination(settings.instanceId, clock);
    const runtime = new DirectoryRuntime(connection, settings.directory, logger, coordination, clock);
    onRecordIssue = (issue) => runtime.skipped.report(issue);
    runtime.start();
    current = runtime;
    return runtime;
  }

  if (settings.access.config.mode === 'invalid') logger.error({ event: 'access_misconfigured' }, `Access is refused to everyone until this is fixed: ${settings.access.config.message}`);
  if (!settings.exports.ok) logger.error({ event: 'exports_misconfigured' }, `Exports are refused until this is fixed: ${settings.exports.message}`);
  if (!settings.metrics.ok) logger.error({ event: 'metrics_misconfigured' }, `Metrics are off until this is fixed: ${settings.metrics.message}`);
  if (!settings.streams.ok) logger.error({ event: 'streams_misconfigured' }, `The presence stream is refused (pages poll instead) until this is fixed: ${settings.streams.message}`);

  const app: DirectoryApp = {
    settings,
    logger,
    clock,
    store,
    budget,
    revocations,
    signInAttempts: store ? new RedisSignInAttempts(store, { logger }) : new MemorySignInAttempts({ clock: () => clock.now() }),
    streamSlots,
    exportSlots: new ExportSlots(),
    exportCache: new RenderingCache(EXPORT_CACHE),
    detailCache,
    metrics,
    draining,
    runtime() {
      // A start that fails on a setting (Zulip unreachable at first contact is not one) is the
      // operator's to fix: logged once and told to the caller as the directory's refusal (503
      // directory_cannot_start). Anything else is a bug, thrown on as it is (a 500, logged with
      // its stack). The next request tries again.
      started ??= start().catch((error: unknown) => {
        started = null;
        if (!isDirectoryCannotStart(error)) throw error;
        reportCannotStart(error, logger);
        throw error;
      });
      return started;
    },
    async directory() {
      const runtime = await app.runtime();
      await runtime.ready();
      return runtime;
    },
    avatarOrigins: () => avatarOrigins(current?.view.people.avatarOrigins() ?? []),
    zulipOrigin: () => (current ? new URL(current.connection.config.site).origin : zulipOrigin(settings.zulip, settings.demo.DEMO_ZULIP_PORT)),
    async drain() {
      draining.begin();
      // The lease and the event queue go now; the view stays, for the requests still being answered.
      if (!dependencies.runtime) await current?.close();
    },
    async close() {
      const runtime = dependencies.runtime ? null : current;
      started = null;
      current = null;
      await runtime?.close();
      await runtime?.connection.close?.();
      if ('close' in revocations && typeof revocations.close === 'function') revocations.close();
      streamSlots.close();
      store?.redis.disconnect();
    },
  };
  return app;
}
