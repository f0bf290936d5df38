import 'server-only';
import { randomBytes } from 'node:crypto';
import { luaScript } from '@/lib/access/redis-script';
import { StreamSlots, type StreamLimitCode, type StreamSlotPool } from '@/lib/access/stream-limits';
import type { Slot } from '@/lib/access/viewer-slots';
import { RedisGuard } from '@/lib/server/cluster/redis-guard';
import type { SharedStore } from '@/lib/server/cluster/redis';
import type { Logger } from '@/lib/server/log';
import { systemClock, type Clock, type Timer } from '@/lib/clock';

// The stream limits across instances (docs/architecture.md §10): DIRECTORY_STREAMS_PER_VIEWER and
// DIRECTORY_STREAMS_MAX hold for the directory, not for each instance. Each open stream is a slot
// in two sorted sets, the viewer's and everyone's, scored by when it expires (Redis's clock, one
// for all instances). The instance holding it renews its slots every third of their lifetime, and
// gives each back when its stream ends; an instance that dies stops renewing, and its slots are
// gone within SLOT_TTL_MS. The check and the take are one Lua script, so two instances never both
// take the last slot.
//
// When Redis cannot answer, each instance counts its own streams against the limits (as one
// process does) until it can: a stream is never refused for Redis's trouble, and the limits then
// hold per instance, as they did before several were counted together (`stream_slots_redis_…`).

/** A slot outlives its instance by at most this long. */
export const SLOT_TTL_MS = 30_000;

const ACQUIRE = luaScript(`
-- KEYS: everyone's slots, the viewer's slots (unused when ARGV[5] is 0)
-- ARGV: slot id, time to live (ms), per viewer, in all, whether there is a viewer
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Expired slots go, and so do slots that expire later than any instance sets one (no one wrote them).
local latest = '(' .. (now + tonumber(ARGV[2]))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], latest, '+inf')
if ARGV[5] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], latest, '+inf')
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 'too_many_streams' end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 'server_busy' end
local expires = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expires, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[2], expires, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return 'ok'
`);

/** Renews this instance's slots (put back if Redis lost them). KEYS: everyone's, then each slot's viewer key (or everyone's again); ARGV: ttl, then each slot id. */
const RENEW = luaScript(`
local t = redis.call('TIME')
local expires = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], expires, ARGV[i])
  if KEYS[i] ~= KEYS[1] then
    redis.call('ZADD', KEYS[i], expires, ARGV[i])
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);

export class RedisStreamSlots implements StreamSlotPool {
  /** This instance's own count, used while Redis cannot answer. */
  private readonly local = new StreamSlots();
  /** The slots this instance holds in Redis: id → its viewer's key (everyone's for an anonymous stream). */
  private readonly held = new Map<string, string>();
  private readonly guard: RedisGuard;
  private readonly timer: Timer;
  private readonly everyone: string;
  /** Slot ids are this instance's id, this process's random tail and a count: a restarted instance never reuses its predecessor's. */
  private readonly idPrefix: string;
  private count = 0;

  constructor(
    private readonly store: SharedStore,
    private readonly options: { instanceId: string; logger: Logger; clock?: Clock; slotTtlMs?: number },
  ) {
    this.everyone = `${store.prefix}streams`;
    this.idPrefix = `${options.instanceId}:${randomBytes(4).toString('hex')}`;
    const clock = options.clock ?? systemClock;
    this.guard = new RedisGuard(options.logger, { part: 'stream_slots', meanwhile: 'each instance counts its own streams against the limits', clock });
    this.timer = clock.setInterval(() => void this.renew(), this.ttlMs / 3).unref();
  }

  private get ttlMs(): number {
    return this.options.slotTtlMs ?? SLOT_TTL_MS;
  }

  get size(): number {
    return this.held.size + this.local.size;
  }

  async acquire(viewer: string | null, limits: { perViewer: number; total: number }): Promise<Slot<StreamLimitCode>> {
    const id = `${this.idPrefix}:${++this.count}`;
    const viewerKey = viewer === null ? this.everyone : `${this.everyone}:viewer:${viewer}`;
    const { redis } = this.store;
    const answer = await this.guard.run(() => ACQUIRE(redis, [this.everyone, viewerKey], [id, this.ttlMs, limits.perViewer, limits.total, viewer === null ? 0 : 1]));
    if (!answer.ok) return this.local.acquire(viewer, limits);
    if (answer.value === 'too_many_streams' || answer.value === 'server_busy') return { ok: false, code: answer.value };
    this.held.set(id, viewerKey);
    return {
      ok: true,
      release: () => {
        if (!this.held.delete(id)) return;
        // If this fails, the slot expires by itself.
        void this.guard.run(() => redis.multi().zrem(this.everyone, id).zrem(viewerKey, id).exec());
      },
    };
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const slots = [...this.held];
    await this.guard.run(() => RENEW(this.store.redis, [this.everyone, ...slots.map(([, key]) => key)], [this.ttlMs, ...slots.map(([id]) => id)]));
  }

  /** Stops renewing; the slots still held go when their streams end (a drain ends them all) or expire. */
  close(): void {
    (this.options.clock ?? systemClock).clearInterval(this.timer);
  }
}
