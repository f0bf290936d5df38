import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@/lib/server/log';
import { CoalescingCache, freshForMs, type CacheRead, type CachedValue, type DetailCache } from '@/lib/server/detail-cache';
import type { SharedStore } from '@/lib/server/cluster/redis';
import { RedisGuard } from '@/lib/server/cluster/redis-guard';
import { sleep, systemClock, type Clock } from '@/lib/clock';

// The detail cache shared by every instance (docs/architecture.md §3 and §10): a hundred viewers
// opening one person cost one call to Zulip, whichever instances they are on. In front, loads of
// one key in this process are coalesced as in CoalescingCache; behind, Redis holds each value
// (kept well past the TTL, so a failed refresh anywhere can serve it marked stale) and a short
// lock (SET NX PX), so one instance calls Zulip while the others poll for its value. Redis is
// never needed: when it cannot answer, this instance caches on its own, as one process does.
//
// A value's age is measured on Redis's clock (TIME when stored, TIME when read), so instances
// whose clocks differ agree on what is fresh; it becomes a local fetchedAt only when served.
// Values are stored as their key and JSON (signed when REDIS_SHARED_SECRET is set) and read back through
// `parse`, as strictly as Zulip's own answers: T must survive JSON.stringify/parse unchanged (no
// Map, Date or undefined). A value that fails either check counts as missing and is loaded again.

export interface RedisDetailCacheOptions<T> {
  store: SharedStore;
  /** The kind of value, in keys and log lines, e.g. "presence-detail". */
  name: string;
  /** Reads a stored value back (what Redis holds is not trusted); null when it is not one. */
  parse: (value: unknown) => T | null;
  ttlMs: number;
  /** How long a value is kept for a failed refresh to serve, marked stale. Default an hour (at least twice the TTL). */
  keepMs?: number;
  /**
   * The longest one load takes (the Zulip call timeout; default 10 s). The lock outlasts it by a
   * second, and the others wait that long at most.
   */
  loadTimeoutMs?: number;
  /**
   * What a waiting instance throws, with no value to serve, when the load it waited for hung (it
   * failed after half of loadTimeoutMs or more, or still runs): its own call would hang as long
   * again, and nothing should wait much longer than the timeout (docs/architecture.md §10). A
   * load that failed sooner (an error answer) is tried again here. Without it, the waiter always
   * loads itself.
   */
  waitedOut?: () => unknown;
  /** How often a waiting instance looks for the value. Default 40 ms. */
  pollMs?: number;
  /** Values this instance keeps for when Redis cannot be reached. Default 5,000. */
  maxEntries?: number;
  logger: Logger;
  /** The time values are stamped with and waits are counted on (the real clock by default). */
  clock?: Clock;
}

/** The value and its age, whether we now hold the lock, and the lock's time to live in ms (negative: no one holds it). */
const READ = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entry = redis.call('HMGET', KEYS[1], 'value', 'at')
local age = false
if entry[1] then age = now - (tonumber(entry[2]) or 0) end
-- A time ahead of Redis's own no instance wrote (STORE stamps TIME): it would be fresh for ever.
if age and age < 0 then age = false end
local locked = 0
if ARGV[4] == 'lock' and not (age and age < tonumber(ARGV[1])) then
  if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then locked = 1 end
end
return { entry[1] or false, age, locked, redis.call('PTTL', KEYS[2]) }`;

/** Stores a value at Redis's time, then frees the lock if it is still ours (in that order, at once, so no waiter sees neither). */
const STORE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'fetchedAt', ARGV[2], 'at', now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' and redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('DEL', KEYS[2]) end
return 1`;

/** Frees the lock if it is still ours (a failed load: the others stop waiting). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Entry<T> = { value: T; fetchedAt: number };
/** `loadingForMs`: how long the load under way has run (from its lock's time to live), or null when none is. */
type Seen<T> = { entry: Entry<T> | null; fresh: boolean; locked: boolean; loadingForMs: number | null };
type Keys = { value: string; lock: string };

export class RedisDetailCache<K extends string | number, T> implements DetailCache<K, T> {
  private readonly inflight = new Map<K, Promise<CachedValue<T>>>();
  private readonly local: CoalescingCache<K, T>;
  private readonly guard: RedisGuard;
  private readonly keepMs: number;
  private readonly loadTimeoutMs: number;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: RedisDetailCacheOptions<T>) {
    this.keepMs = Math.max(options.keepMs ?? 60 * 60 * 1000, 2 * options.ttlMs);
    this.loadTimeoutMs = options.loadTimeoutMs ?? 10_000;
    this.lockMs = this.loadTimeoutMs + 1_000;
    this.pollMs = options.pollMs ?? 40;
    this.clock = options.clock ?? systemClock;
    this.local = new CoalescingCache<K, T>(options.ttlMs, options.maxEntries, this.clock);
    this.guard = new RedisGuard(options.logger, { part: 'detail_cache', meanwhile: 'each instance caches on its own', fields: { cache: options.name }, clock: this.clock });
  }

  get(key: K, load: () => Promise<T>, read?: CacheRead): Promise<CachedValue<T>> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const freshMs = freshForMs(this.options.ttlMs, read);
    const attempt = this.attempt(key, load, freshMs).finally(() => this.inflight.delete(key));
    this.inflight.set(key, attempt);
    return attempt;
  }

  private async attempt(key: K, load: () => Promise<T>, freshMs: number): Promise<CachedValue<T>> {
    const keys = this.keysFor(key);
    const token = randomUUID();
    const first = await this.read(keys, token, 'lock', freshMs);
    if (first === null) return this.local.get(key, load, { maxAgeMs: freshMs });
    if (first.fresh) return this.serve(key, first.entry!, false);
    if (first.locked) return this.loadAndShare(key, load, keys, token, first.entry);

    // Another instance is loading it: wait for its value rather than call Zulip as well.
    let known = first.entry;
    const deadline = this.clock.now() + this.lockMs;
    const { waitedOut } = this.options;
    // How long the other instance's load has run, as its lock says: a late waiter knows it too.
    let loadingFor = first.loadingForMs ?? 0;
    while (this.clock.now() < deadline) {
      await sleep(this.pollMs, undefined, this.clock);
      const seen = await this.read(keys, token, 'peek', freshMs);
      if (seen === null) return this.local.get(key, load, { maxAgeMs: freshMs });
      known = seen.entry ?? known;
      if (seen.fresh) return this.serve(key, seen.entry!, false);
      if (seen.loadingForMs !== null) loadingFor = seen.loadingForMs;
      else {
        // It finished without a new value: its load failed (or it died). Like the callers coalesced
        // onto a failed load in one process, serve the last value marked stale; with none, try.
        if (known) return this.serve(key, known, true);
        // The load ran half the timeout or more: it hung rather than failed (an error answer
        // comes back in a moment), and this instance's own call would hang as long.
        if (waitedOut && loadingFor >= this.loadTimeoutMs / 2) throw waitedOut();
        break;
      }
    }
    if (waitedOut && this.clock.now() >= deadline) {
      if (known) return this.serve(key, known, true);
      throw waitedOut();
    }
    return this.loadAndShare(key, load, keys, '', known);
  }

  private async loadAndShare(key: K, load: () => Promise<T>, keys: Keys, token: string, known: Entry<T> | null): Promise<CachedValue<T>> {
    const { redis } = this.options.store;
    let value: T;
    try {
      value = await load();
    } catch (error) {
      if (token) await this.guard.run(() => redis.eval(RELEASE, 1, keys.lock, token));
      if (known) return this.serve(key, known, true);
      throw error;
    }
    const fetchedAt = this.clock.now();
    this.local.put(key, value, fetchedAt);
    await this.guard.run(() => redis.eval(STORE, 2, keys.value, keys.lock, this.options.store.sealer.seal(`${keys.value}\n${JSON.stringify(value)}`), fetchedAt, this.keepMs, token));
    return { value, fetchedAt, stale: false };
  }

  private serve(key: K, entry: Entry<T>, stale: boolean): CachedValue<T> {
    this.local.put(key, entry.value, entry.fetchedAt);
    return { value: entry.value, fetchedAt: entry.fetchedAt, stale };
  }

  /** What Redis holds for the key (taking the lock if the value is not fresh and mode is 'lock'); null when Redis cannot answer. */
  private async read(keys: Keys, token: string, mode: 'lock' | 'peek', freshMs: number): Promise<Seen<T> | null> {
    const { redis } = this.options.store;
    const answer = await this.guard.run(() => redis.eval(READ, 2, keys.value, keys.lock, freshMs, token, this.lockMs, mode));
    if (!answer.ok) return null;
    const [raw, age, locked, lockTtlMs] = answer.value as [string | null, number | null, number, number];
    const entry = raw !== null && age !== null ? this.parseStored(raw, keys, this.clock.now() - age) : null;
    return { entry, fresh: entry !== null && age! < freshMs, locked: locked === 1, loadingForMs: lockTtlMs >= 0 ? this.lockMs - lockTtlMs : null };
  }

  /**
   * A stored value, or null when it cannot be read or is not proven ours (then it is loaded again,
   * as if missing). The key is sealed with it: one person's signed answer copied under another's
   * key is not theirs.
   */
  private parseStored(raw: string, keys: Keys, fetchedAt: number): Entry<T> | null {
    const text = this.options.store.sealer.open(raw);
    if (text === null || !text.startsWith(`${keys.value}\n`)) return null;
    try {
      const value = this.options.parse(JSON.parse(text.slice(keys.value.length + 1)));
      return value === null ? null : { value, fetchedAt };
    } catch {
      return null;
    }
  }

  private keysFor(key: K): Keys {
    const value = `${this.options.store.prefix}detail:${this.options.name}:${key}`;
    return { value, lock: `${value}:loading` };
  }
}
