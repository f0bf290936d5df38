import 'server-only';
import { CoalescingCache, type DetailCache } from '@/lib/server/detail-cache';
import { sharedStore } from '@/lib/server/cluster/redis';
import { RedisDetailCache } from '@/lib/server/cluster/redis-detail-cache';

/**
 * A detail cache: shared by every instance through Redis when REDIS_URL is set, else in this
 * process's memory. `name` names its keys in Redis; `parse` reads a value back from it (strictly:
 * Redis is not trusted, docs/architecture.md §10); keep the result process-wide (lib/process-global.ts), one per kind of value.
 */
export function detailCache<K extends string | number, T>(
  name: string,
  ttlMs: number,
  options: { parse: (value: unknown) => T | null; loadTimeoutMs?: number; env?: NodeJS.ProcessEnv },
): DetailCache<K, T> {
  const store = sharedStore(options.env);
  return store ? new RedisDetailCache<K, T>({ store, name, ttlMs, parse: options.parse, loadTimeoutMs: options.loadTimeoutMs }) : new CoalescingCache<K, T>(ttlMs);
}
