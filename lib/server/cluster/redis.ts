import 'server-only';
import { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { LoadedZulipConfig } from '@/lib/zulip/config';
import { deploymentIdentity, type Sealer } from '@/lib/server/cluster/deployment';

// One way to open Redis for every shared part (docs/architecture.md §10). Redis here is a shared
// cache, never the system of record (Zulip is): so a command that cannot be answered soon fails
// rather than waiting, the caller serves what it last had (marked stale), and the connection keeps
// trying to come back by itself.

/** Longest a command may take before it counts as failed: Redis answers in well under a millisecond. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_500;

export interface RedisSettings {
  url: string;
  /** Prefix of every key and channel: REDIS_KEY_PREFIX, then the deployment's identity (docs/architecture.md §10). */
  keyPrefix: string;
  /** This deployment's identity (deployment.ts): its Zulip site and bot. Written with every shared value and checked on every read. */
  deployment: string;
  /** REDIS_SHARED_SECRET: when set, every shared value is signed with it and unsigned ones are refused (deployment.ts). */
  sharedSecret: string | null;
}

/**
 * The Redis settings, or null for one process on its own (no REDIS_URL: nothing to install). Every
 * key's prefix ends with the deployment's identity (its Zulip site and bot), so two directories
 * given the same Redis, even with the same REDIS_KEY_PREFIX, never share a key; what is read is
 * still checked for that identity (a value copied or forged into our keys is refused).
 */
export function redisSettings(env: Partial<NodeJS.ProcessEnv>, zulip: LoadedZulipConfig): RedisSettings | null {
  const url = env.REDIS_URL?.trim();
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url)) throw new Error('Invalid setting REDIS_URL: must start with redis:// or rediss://');
  // Without a Zulip the runtime refuses to start (severalNeedOneZulip); the demo's identity is fixed.
  const deployment = zulip.mode === 'zulip' ? deploymentIdentity(zulip.config.site, zulip.config.email) : deploymentIdentity('demo', 'demo');
  const sharedSecret = env.REDIS_SHARED_SECRET?.trim() || null;
  if (sharedSecret !== null && sharedSecret.length < 32) throw new Error('Invalid setting REDIS_SHARED_SECRET: must be at least 32 characters (openssl rand -base64 32)');
  const keyPrefix = `${env.REDIS_KEY_PREFIX?.trim() || 'zulip-directory'}:${deployment}:`;
  return { url, keyPrefix, deployment, sharedSecret };
}

/**
 * A connection to Redis. `name` shows in CLIENT LIST and in the log. A command sent while the
 * connection is being made waits for it (so a starting instance does not report an outage that
 * is only its own start), but fails at the first failed attempt to reconnect (at most 2 s apart:
 * maxRetriesPerRequest 0) and after REDIS_COMMAND_TIMEOUT_MS in any case; the connection retries
 * forever. A subscriber connection (blocking reads, pub/sub) passes `blocking: true`: it has no
 * command timeout of its own.
 */
export function openRedis(url: string, name: string, logger: Logger, options: { blocking?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: options.blocking ? undefined : REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    // Failover of a managed Redis answers READONLY: reconnect rather than fail every write.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    // Each subscriber subscribes again itself at every 'ready' (redis-coordination.ts,
    // redis-revocations.ts). ioredis's own resubscription leaves its promise unhandled: a
    // connection lost again before Redis answers was an unhandled rejection.
    autoResubscribe: false,
  });
  // ioredis emits every connection error; without a listener Node would print each one. The
  // parts that use the connection report trouble in their own terms (cluster-health.ts).
  redis.on('error', (error: Error) => logger.debug({ event: 'redis_error', connection: name, error: error.message }, `Redis (${name}): ${error.message}`));
  return redis;
}

/** Resolves once `redis` is connected, or rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** The shared store of this process: a Redis connection, its key prefix, and how values are signed. */
export interface SharedStore {
  redis: Redis;
  /** Prefix every key and channel with this (RedisSettings.keyPrefix). */
  prefix: string;
  /** Signs what is written and checks what is read (deployment.ts). */
  sealer: Sealer;
}
