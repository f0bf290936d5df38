import 'server-only';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// A Lua script run on Redis as one atomic step (what makes a check-and-take the same on every
// instance). Sent by its hash (EVALSHA); when Redis does not know it, as after a restart, it is
// sent whole once (EVAL), which also caches it again. No redis.defineCommand: the connection is
// the process's shared one (lib/server/cluster/redis.ts), so nothing is added to it.

export type LuaScript = (redis: Redis, keys: string[], args: Array<string | number>) => Promise<unknown>;

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
