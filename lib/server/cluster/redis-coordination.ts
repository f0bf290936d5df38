import 'server-only';
import type { Logger } from '@/lib/server/log';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import { openRedis, type RedisSettings } from '@/lib/server/cluster/redis';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { sealer } from '@/lib/server/cluster/deployment';
import { Reachability } from '@/lib/server/cluster/reachability';
import { leaseValue, RedisLease } from '@/lib/server/cluster/redis-lease';
import { RedisFeedWriter } from '@/lib/server/cluster/redis-feed-writer';
import { RedisFeedReader } from '@/lib/server/cluster/redis-feed-reader';
import { readPresenceDetail } from '@/lib/server/cluster/redis-records';
import type { Coordination } from '@/lib/server/cluster/coordination';
import { systemClock, type Clock } from '@/lib/clock';

/**
 * The highest presence version taken from Redis: room for 2^52 more diffs before versions stop
 * being whole numbers a browser can send back (a value near 2^53 would freeze the numbering).
 */
const HIGHEST_VERSION_TAKEN = 2 ** 52;

/**
 * Several instances through one Redis: a lease elects the leader, the leader writes the feed, the
 * others read it. Three connections of its own: commands, the followers' blocking reads, and the
 * leader's subscription to what followers send it (pub/sub: a per-person answer, or a request for
 * a fresh snapshot; one lost costs a refresh's wait, nothing more), which also hears a stopping
 * leader give the lease up. Everything it writes names
 * this deployment and is signed when REDIS_SHARED_SECRET is set; everything it reads is checked
 * for both (deployment.ts, docs/architecture.md §10).
 */
export function redisCoordination(settings: RedisSettings, options: { instanceId: string; leaseMs: number; logger: Logger; clock?: Clock }): Coordination {
  const { instanceId, leaseMs, logger } = options;
  const clock = options.clock ?? systemClock;
  const { deployment } = settings;
  const keys = clusterKeys(settings.keyPrefix);
  const seal = sealer(deployment, settings.sharedSecret);
  const reachability = new Reachability(logger, { clock });
  const redis = openRedis(settings.url, `directory-${instanceId}`, logger);
  const reads = openRedis(settings.url, `directory-feed-${instanceId}`, logger, { blocking: true });
  const subscriber = openRedis(settings.url, `directory-relay-${instanceId}`, logger, { blocking: true });
  let refuse: (foreign: string) => void = () => {};
  const leadership = new RedisLease({ redis, keys, deployment, instanceId, leaseMs, reachability, logger, clock, onForeign: (foreign) => refuse(foreign) });
  let relayListener: ((userId: number, detail: UserPresenceDetail) => void) | null = null;
  let writer: RedisFeedWriter | null = null;

  // On every (re)connection: commands sent before the connection is ready fail at once (no offline queue).
  subscriber.on('ready', () => void subscriber.subscribe(keys.presenceDetail, keys.snapshotWanted, keys.leaseReleased).catch(() => {}));
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === keys.leaseReleased) {
      leadership.tryNow();
      return;
    }
    if (channel === keys.snapshotWanted) {
      writer?.checkpoint();
      return;
    }
    if (!relayListener) return;
    const relayed = parseRelayed(seal.open(message));
    if (relayed) relayListener(relayed.userId, relayed.detail);
  });

  return {
    mode: 'redis',
    instanceId,
    deployment,
    leadership,
    reachability,
    onForeign(listener) {
      refuse = listener;
    },
    async presenceVersionFloor() {
      const written = Number(await redis.get(keys.presenceVersion).catch(() => null));
      const now = clock.now();
      // Above the newest version written to Redis and above the time in ms: the leader before may
      // have served versions it never wrote (Redis was away from it, or lost them since), and
      // diffs are far fewer than one a ms, so a browser's old version is never taken for a new one.
      // A value past HIGHEST_VERSION_TAKEN was not written by an instance: it is not taken.
      const plausible = Number.isSafeInteger(written) && written <= HIGHEST_VERSION_TAKEN;
      return Math.max(plausible ? written : 0, now);
    },
    writer(fence, snapshot, onFenced) {
      writer = new RedisFeedWriter({ redis, keys, lease: leaseValue(deployment, instanceId, fence), deployment, sealer: seal, snapshot, onFenced, reachability, logger, clock });
      return writer;
    },
    follow(replica, records) {
      writer = null;
      const reader = new RedisFeedReader({ redis: reads, commands: redis, keys, context: { deployment, sealer: seal, ...records }, replica, reachability, logger, clock });
      reader.start();
      return reader;
    },
    relayDetail(userId, detail) {
      redis.publish(keys.presenceDetail, seal.seal(JSON.stringify({ userId, detail }))).catch(() => {});
    },
    onRelayedDetail(listener) {
      relayListener = listener;
      return () => {
        if (relayListener === listener) relayListener = null;
      };
    },
    async close() {
      await leadership.close();
      for (const connection of [redis, reads, subscriber]) connection.disconnect();
    },
  };
}

/** A follower's relayed answer, read as strictly as Zulip's own; null when it is not one (or not signed when it must be). */
function parseRelayed(text: string | null): { userId: number; detail: UserPresenceDetail } | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { userId?: unknown; detail?: unknown };
    const detail = readPresenceDetail(value.detail);
    return Number.isSafeInteger(value.userId) && (value.userId as number) > 0 && detail ? { userId: value.userId as number, detail } : null;
  } catch {
    return null;
  }
}
