// Connections a test opens to its real Redis (./redis-server.ts), each as a separate instance's
// would be, closed together at the end. Vitest only: lib/server imports 'server-only'.
import type { Redis } from 'ioredis';
import { openRedis, redisReady } from '@/lib/server/cluster/redis';
import { createLogger } from '@/lib/server/log';
import type { RedisServer } from './redis-server';

export function redisClients(server: () => RedisServer) {
  const opened: Redis[] = [];
  const logger = createLogger(undefined, 'silent');
  return {
    logger,
    /** A ready connection; `blocking` for blocking reads (no command timeout). */
    async open(name: string, blocking = false): Promise<Redis> {
      const redis = openRedis(server().url, name, logger, { blocking });
      opened.push(redis);
      await redisReady(redis, 2_000);
      return redis;
    },
    closeAll(): void {
      for (const redis of opened.splice(0)) redis.disconnect();
    },
  };
}
