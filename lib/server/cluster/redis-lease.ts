import 'server-only';
import type { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { ClusterKeys } from '@/lib/server/cluster/keys';
import type { Leadership, LeadershipHandlers, LeadershipStatus, Role } from '@/lib/server/cluster/leadership';
import type { Reachability } from '@/lib/server/cluster/reachability';

// A lease, not consensus (docs/architecture.md §10). One key names the leader and expires unless
// renewed; the instance that sets it when it is free bumps the fence, a number that goes with
// every write the leader makes, so a leader that was paused (a long GC, a frozen VM) and wakes
// up after another took over has its writes refused instead of overwriting newer data.
//
// Timing, with a lease of L seconds: the leader renews every L/3 and steps down by itself once it
// has not renewed for L - L/5 (so it stops before anyone else may start); a follower tries to
// take the lease every L/5. When the leader dies, another leads within L + L/5 (12 s at the
// default 10 s), then registers with Zulip afresh.

/** SET the lease if free, with a new fence; answers the fence, or the holder's "<id> <fence>". */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local fence = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. fence, 'PX', ARGV[2])
  return fence
end
return redis.call('GET', KEYS[1])`;

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
  instanceId: string;
  leaseMs: number;
  reachability: Reachability;
  logger: Logger;
}

export class RedisLease implements Leadership {
  private role: Role = 'follower';
  private fence: number | null = null;
  private leader: string | null = null;
  private renewedAt = 0;
  /** The last renewal failed: check often, to step down in time. */
  private renewing = false;
  private timer: NodeJS.Timeout | null = null;
  private handlers: LeadershipHandlers | null = null;
  private closed = false;

  constructor(private readonly options: RedisLeaseOptions) {}

  private get value(): string {
    return `${this.options.instanceId} ${this.fence}`;
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
    this.options.logger.warn({ event: 'leadership_lost', instance: this.options.instanceId, fence: this.fence, reason }, `This instance no longer talks to Zulip (${reason}); it follows the leader`);
    this.role = 'follower';
    this.leader = null;
    this.renewing = false;
    this.handlers?.follow();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.role !== 'leader') return;
    this.role = 'follower';
    try {
      await this.options.redis.eval(RELEASE, 1, this.options.keys.lease, this.value);
    } catch {
      // It expires by itself.
    }
  }

  private schedule(): void {
    if (this.closed) return;
    const { leaseMs } = this.options;
    const delay = this.role !== 'leader' ? leaseMs / 5 : this.renewing ? leaseMs / 10 : leaseMs / 3;
    this.timer = setTimeout(() => void this.tick(), Math.max(100, delay));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (this.role === 'leader') await this.renew();
      else await this.acquire();
    } finally {
      this.schedule();
    }
  }

  private async acquire(): Promise<void> {
    const { redis, keys, instanceId, leaseMs, reachability, logger } = this.options;
    let answer: unknown;
    try {
      answer = await redis.eval(ACQUIRE, 2, keys.lease, keys.fence, instanceId, leaseMs);
    } catch (error) {
      reachability.failed(error);
      return;
    }
    reachability.ok();
    if (this.closed) return;
    if (typeof answer === 'number') {
      this.fence = answer;
      this.leader = instanceId;
      this.role = 'leader';
      this.renewedAt = Date.now();
      logger.info({ event: 'leader_elected', instance: instanceId, fence: answer }, `This instance now talks to Zulip for every instance (fence ${answer})`);
      this.handlers?.lead(answer);
    } else {
      this.leader = typeof answer === 'string' ? answer.split(' ')[0]! : null;
    }
  }

  private async renew(): Promise<void> {
    const { redis, keys, leaseMs, reachability } = this.options;
    const sentAt = Date.now();
    try {
      const renewed = await redis.eval(RENEW, 1, keys.lease, this.value, leaseMs);
      reachability.ok();
      this.renewing = false;
      if (renewed === 1) this.renewedAt = sentAt;
      else this.stepDown('the lease was taken or lost');
    } catch (error) {
      reachability.failed(error);
      this.renewing = true;
      // Stop before the lease can expire, so two instances never talk to Zulip as leaders at once.
      if (Date.now() - this.renewedAt > leaseMs - leaseMs / 5) this.stepDown('Redis is unreachable, so the lease cannot be renewed');
    }
  }
}
