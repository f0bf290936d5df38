import 'server-only';
import { z } from 'zod';
import type { Logger } from '@/lib/server/log';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import { openRedis, type RedisSettings } from '@/lib/server/cluster/redis';
import { clusterKeys } from '@/lib/server/cluster/keys';
import { Reachability } from '@/lib/server/cluster/reachability';
import { RedisLease } from '@/lib/server/cluster/redis-lease';
import { RedisFeedWriter } from '@/lib/server/cluster/redis-feed-writer';
import { RedisFeedReader } from '@/lib/server/cluster/redis-feed-reader';
import type { Coordination } from '@/lib/server/cluster/coordination';

const relayed = z.object({ userId: z.number().int().positive(), detail: z.object({ record: z.object({ activeTimestamp: z.number(), idleTimestamp: z.number() }) }).loose() });

/**
 * Several instances through one Redis: a lease elects the leader, the leader writes the feed, the
 * others read it. Three connections of its own: commands, the followers' blocking reads, and the
 * leader's subscription to per-person answers from the followers (pub/sub: one lost costs
 * nothing but a badge refreshed at the next poll instead of at once).
 */
export function redisCoordination(settings: RedisSettings, options: { instanceId: string; leaseMs: number; logger: Logger }): Coordination {
  const { instanceId, leaseMs, logger } = options;
  const keys = clusterKeys(settings.keyPrefix);
  const reachability = new Reachability(logger);
  const redis = openRedis(settings, `directory-${instanceId}`, logger);
  const reads = openRedis(settings, `directory-feed-${instanceId}`, logger, { blocking: true });
  const subscriber = openRedis(settings, `directory-relay-${instanceId}`, logger, { blocking: true });
  const leadership = new RedisLease({ redis, keys, instanceId, leaseMs, reachability, logger });
  let relayListener: ((userId: number, detail: UserPresenceDetail) => void) | null = null;

  // On every (re)connection: commands sent before the connection is ready fail at once (no offline queue).
  subscriber.on('ready', () => void subscriber.subscribe(keys.presenceDetail).catch(() => {}));
  subscriber.on('message', (_channel: string, message: string) => {
    if (!relayListener) return;
    try {
      const parsed = relayed.safeParse(JSON.parse(message));
      if (parsed.success) relayListener(parsed.data.userId, parsed.data.detail as unknown as UserPresenceDetail);
    } catch {
      // Not one of ours: ignored.
    }
  });

  return {
    mode: 'redis',
    instanceId,
    leadership,
    reachability,
    async latestPresenceVersion() {
      const version = Number(await redis.get(keys.presenceVersion).catch(() => null));
      // None kept (a new or wiped Redis): numbering starts above anything served before, so a
      // browser's old version can never be mistaken for a new one. Diffs are far fewer than one a ms.
      return Number.isSafeInteger(version) && version > 0 ? version : Date.now();
    },
    writer(fence, snapshot, onFenced) {
      return new RedisFeedWriter({ redis, keys, lease: `${instanceId} ${fence}`, snapshot, onFenced, reachability, logger });
    },
    follow(replica) {
      const reader = new RedisFeedReader({ redis: reads, keys, replica, reachability, logger });
      reader.start();
      return reader;
    },
    relayDetail(userId, detail) {
      redis.publish(keys.presenceDetail, JSON.stringify({ userId, detail })).catch(() => {});
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
