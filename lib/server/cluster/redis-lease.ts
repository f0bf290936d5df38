import 'server-only';
import type { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { ClusterKeys } from '@/lib/server/cluster/keys';
import type { Leadership, LeadershipHandlers, LeadershipStatus, Role } from '@/lib/server/cluster/leadership';
import type { Reachability } from '@/lib/server/cluster/reachability';
import { systemClock, type Clock, type Timer } from '@/lib/clock';

// A lease, not consensus (docs/architecture.md §10). One key names the leader (its deployment,
// instance and fence) and expires unless
// renewed; the instance that sets it when it is free bumps the fence, a number that goes with
// every write the leader makes, so a leader that was paused (a long GC, a frozen VM) and wakes
// up after another took over has its writes refused instead of overwriting newer data.
//
// Timing, with a lease of L seconds: the leader renews every L/3 and steps down by itself once it
// has not renewed for L - L/5 (so it stops before anyone else may start); a follower tries to
// take the lease every L/5. When the leader dies, another leads within L + L/5 (12 s at the
// default 10 s), then registers with Zulip afresh.

/**
 * SET the lease if free, with a new fence; answers the fence, or the holder's value. A value no
 * instance writes (not "<deployment> <instance> <fence>", not a string at all, no time to live, or
 * one longer than any lease may last) counts as free: someone wrote it by hand or forged it, and it must not leave the
 * directory without a leader. Then the answer is the fence and the value taken over. A fence that
 * is not a number starts again at 1 (the lease's value, instance included, still tells leaders apart).
 */
const ACQUIRE = `
local holder = redis.pcall('GET', KEYS[1])
if type(holder) == 'table' and holder.err then holder = '(not a string: ' .. redis.call('TYPE', KEYS[1]).ok .. ')' end
if holder then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 and ttl <= tonumber(ARGV[3]) and string.match(holder, '^%x+ [^ ]+ %d+$') then return holder end
end
local fence = redis.pcall('INCR', KEYS[2])
if type(fence) ~= 'number' then
  fence = 1
  redis.call('SET', KEYS[2], fence)
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. fence, 'PX', ARGV[2])
if holder then return {fence, holder} end
return fence`;

/** The lease's value while an instance holds it; the feed writer checks every write against it. */
export const leaseValue = (deployment: string, instanceId: string, fence: number): string => `${deployment} ${instanceId} ${fence}`;

/** No instance's lease lasts longer (DIRECTORY_LEASE_SECONDS is at most 60). */
const LONGEST_LEASE_MS = 60_000;

/** Extends the lease if it is still ours: 1, else 0. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Gives the lease up if it is still ours (a clean shutdown: the next leader need not wait). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisLeaseOptions {
  redis: Redis;
  keys: ClusterKeys;
  /** This deployment's identity (deployment.ts): the lease names it, so another deployment's lease is never taken for ours. */
  deployment: string;
  /** A lease of another deployment was found: this instance must neither lead nor follow. */
  onForeign: (deployment: string) => void;
  instanceId: string;
  leaseMs: number;
  reachability: Reachability;
  logger: Logger;
  /** Our own timers (the lease's expiry itself is on Redis's clock). */
  clock?: Clock;
}

export class RedisLease implements Leadership {
  private role: Role = 'follower';
  private fence: number | null = null;
  private leader: string | null = null;
  private renewedAt = 0;
  /** The last renewal failed: check often, to step down in time. */
  private renewing = false;
  private timer: Timer | null = null;
  /** While leading: when it steps down unless a renewal succeeds first (0.8 of the lease after the last one was sent). */
  private deadline: Timer | null = null;
  /** A try or renewal is on its way: tryNow() then waits for it rather than start a second. */
  private ticking = false;
  private handlers: LeadershipHandlers | null = null;
  private closed = false;

  constructor(private readonly options: RedisLeaseOptions) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  private get value(): string {
    return leaseValue(this.options.deployment, this.options.instanceId, this.fence ?? 0);
  }

  private get holder(): string {
    return `${this.options.deployment} ${this.options.instanceId}`;
  }

  start(handlers: LeadershipHandlers): void {
    this.handlers = handlers;
    handlers.follow();
    void this.tick();
  }

  status(): LeadershipStatus {
    return { role: this.role, leader: this.leader, fence: this.role === 'leader' ? this.fence : null };
  }

  stepDown(reason = 'another instance leads'): void {
    if (this.role !== 'leader') return;
    this.clearDeadline();
    this.options.logger.warn({ event: 'leadership_lost', instance: this.options.instanceId, fence: this.fence, reason }, `This instance no longer talks to Zulip (${reason}); it follows the leader`);
    this.role = 'follower';
    this.leader = null;
    this.renewing = false;
    this.handlers?.follow();
  }

  /** Gives the lease up if held, and tells the followers, so that one leads at once (docs/architecture.md §10). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.clearDeadline();
    if (this.role !== 'leader') return;
    this.role = 'follower';
    await this.release();
  }

  private async release(): Promise<void> {
    const { redis, keys, instanceId, logger } = this.options;
    try {
      if ((await redis.eval(RELEASE, 1, keys.lease, this.value)) === 1) {
        await redis.publish(keys.leaseReleased, instanceId);
        logger.info({ event: 'lease_released', instance: instanceId, fence: this.fence }, 'This instance is stopping: it gave up the lease, and another takes over now');
      }
    } catch {
      // It expires by itself.
    }
  }

  tryNow(): void {
    if (this.closed || this.role === 'leader' || !this.handlers || this.ticking) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    void this.tick();
  }

  private schedule(): void {
    if (this.closed) return;
    const { leaseMs } = this.options;
    const delay = this.role !== 'leader' ? leaseMs / 5 : this.renewing ? leaseMs / 10 : leaseMs / 3;
    this.timer = this.clock.setTimeout(() => void this.tick(), Math.max(100, delay));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      if (this.role === 'leader') await this.renew();
      else await this.acquire();
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }

  private async acquire(): Promise<void> {
    const { redis, keys, instanceId, leaseMs, reachability, logger } = this.options;
    let answer: unknown;
    // The lease runs from when Redis ran the script, no earlier than this: its deadline counts from here, as a renewal's does.
    const sentAt = this.clock.now();
    try {
      answer = await redis.eval(ACQUIRE, 2, keys.lease, keys.fence, this.holder, leaseMs, LONGEST_LEASE_MS);
    } catch (error) {
      reachability.failed(error);
      return;
    }
    reachability.ok();
    if (this.closed) {
      // Stopped while asking: a lease just won is given back at once, or no one leads until it expires.
      if (typeof answer === 'number') {
        this.fence = answer;
        await this.release();
      }
      return;
    }
    if (Array.isArray(answer)) {
      logger.warn({ event: 'lease_forged', instance: instanceId }, 'The lease in Redis held a value no directory instance writes; this instance took it over');
      answer = answer[0];
    }
    if (typeof answer === 'number') {
      this.fence = answer;
      this.leader = instanceId;
      this.role = 'leader';
      this.renewedAt = sentAt;
      this.armDeadline();
      logger.info({ event: 'leader_elected', instance: instanceId, fence: answer }, `This instance now talks to Zulip for every instance (fence ${answer})`);
      this.handlers?.lead(answer);
      return;
    }
    const [deployment, leader] = typeof answer === 'string' ? answer.split(' ') : [];
    this.leader = leader ?? null;
    if (deployment !== undefined && deployment !== this.options.deployment) {
      this.closed = true;
      this.options.onForeign(deployment);
    }
  }

  private async renew(): Promise<void> {
    const { redis, keys, leaseMs, reachability } = this.options;
    const sentAt = this.clock.now();
    try {
      const renewed = await redis.eval(RENEW, 1, keys.lease, this.value, leaseMs);
      reachability.ok();
      // Its deadline passed while it was on its way: it stepped down, and the lease runs out by itself.
      if (this.role !== 'leader') return;
      this.renewing = false;
      if (renewed === 1) {
        this.renewedAt = sentAt;
        this.armDeadline();
      } else this.stepDown('the lease was taken or lost');
    } catch (error) {
      reachability.failed(error);
      // Tried again sooner; the deadline (armDeadline) stops it leading before the lease can expire.
      this.renewing = true;
    }
  }

  /**
   * Stops leading at 0.8 of the lease after the last renewal that succeeded was sent, whenever the
   * attempts since end: one that hangs until its timeout must not carry the leader past its lease
   * (two instances would then talk to Zulip as leaders at once).
   */
  private armDeadline(): void {
    this.clearDeadline();
    const { leaseMs } = this.options;
    const wait = this.renewedAt + leaseMs - leaseMs / 5 - this.clock.now();
    this.deadline = this.clock.setTimeout(() => this.stepDown('Redis is unreachable, so the lease cannot be renewed'), Math.max(0, wait));
    this.deadline.unref();
  }

  private clearDeadline(): void {
    if (this.deadline) this.clock.clearTimeout(this.deadline);
    this.deadline = null;
  }
}
