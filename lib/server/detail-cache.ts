import 'server-only';
import { systemClock, type Clock } from '@/lib/clock';

export interface CachedValue<T> {
  value: T;
  fetchedAt: number;
  /** True when the last attempt to refresh failed and this is the older value. */
  stale: boolean;
}

/**
 * A cache of values loaded from Zulip, one per key: within the TTL a value is reused, concurrent
 * loads of one key are coalesced into one, and when a refresh fails the last value is served,
 * marked stale; only when there is no value at all does the error reach the caller. In memory
 * for one process (CoalescingCache), or shared by every instance (cluster/redis-detail-cache.ts).
 */
export interface DetailCache<K, T> {
  get(key: K, load: () => Promise<T>, read?: CacheRead): Promise<CachedValue<T>>;
}

export interface CacheRead {
  /** This caller takes a value only that young (the TTL still applies to the others). */
  maxAgeMs?: number;
}

/** How young a value must be for this read: the TTL, or the caller's own limit when shorter. */
export function freshForMs(ttlMs: number, read: CacheRead = {}): number {
  return Math.min(ttlMs, read.maxAgeMs ?? Infinity);
}

/**
 * A small TTL cache that coalesces concurrent loads: a hundred viewers opening the same person
 * within the TTL cost one upstream call. When a refresh fails, the last value is served, marked
 * stale; only when there is no value at all does the error reach the caller.
 */
export class CoalescingCache<K, T> implements DetailCache<K, T> {
  private values = new Map<K, { value: T; fetchedAt: number }>();
  private inflight = new Map<K, Promise<CachedValue<T>>>();

  constructor(
    private ttlMs: number,
    private maxEntries = 5_000,
    private readonly clock: Clock = systemClock,
  ) {}

  get(key: K, load: () => Promise<T>, read?: CacheRead): Promise<CachedValue<T>> {
    const cached = this.values.get(key);
    if (cached && this.clock.now() - cached.fetchedAt < freshForMs(this.ttlMs, read)) return Promise.resolve({ ...cached, stale: false });
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const attempt = load().then(
      (value) => {
        this.store(key, { value, fetchedAt: this.clock.now() });
        return { value, fetchedAt: this.clock.now(), stale: false };
      },
      (error: unknown) => {
        if (cached) return { ...cached, stale: true };
        throw error;
      },
    );
    const tracked = attempt.finally(() => this.inflight.delete(key));
    this.inflight.set(key, tracked);
    return tracked;
  }

  /** Records a value loaded elsewhere (another instance), to reuse and to fall back on. */
  put(key: K, value: T, fetchedAt: number): void {
    const cached = this.values.get(key);
    if (!cached || cached.fetchedAt <= fetchedAt) this.store(key, { value, fetchedAt });
  }

  private store(key: K, entry: { value: T; fetchedAt: number }): void {
    this.values.delete(key);
    this.values.set(key, entry);
    // Maps iterate in insertion order, so the first key is the least recently stored.
    if (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value as K);
  }
}
