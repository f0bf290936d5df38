import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { SharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { luaScript } from '@/lib/access/redis-script';
import { SIGN_IN_LIMITS, type Limit, type LimitName, type Reservation, type SignInAttempt, type SignInAttempts, type SignInKeys } from '@/lib/access/sign-in-limiter';
import type { Logger } from '@/lib/server/log';
import { REDIS_COMMAND_TIMEOUT_MS, redisReady, type SharedStore } from '@/lib/server/cluster/redis';

// The sign-in limits shared by every instance through Redis (docs/architecture.md §10), with the
// same three limits and the same rules as MemorySignInAttempts (lib/access/sign-in-limiter.ts):
// an attempt takes its place in all three before Zulip is asked, a failure keeps it, a success
// clears the email's failures and gives its own places back.
//
// Each limit is a sorted set of attempt ids scored by the time they were taken (Redis's clock,
// one for all instances), trimmed to its window and its maximum, and expiring a window after its
// last place was taken: Redis holds no more than the live places. The email's attempts still in
// flight are a set beside it, so a success leaves them their places, as in memory. Emails and
// addresses are hashed into the key names: Redis needs to count them, not to know who tried.
//
// When Redis cannot answer (down, or slower than REDIS_COMMAND_TIMEOUT_MS), sign-in fails CLOSED
// (SharedStoreUnavailable, a 503). Falling back to each instance's memory would multiply the
// per-email limit by the number of instances, and 4 per instance soon passes Zulip's own 5 failures
// per 30 minutes: anyone could then lock a colleague out of Zulip through the directory.

const RESERVE = luaScript(`
-- KEYS: email, address, global (attempt ids by time), the email's attempts in flight
-- ARGV: attempt id, then max and window (ms) of email, address, global
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local names = { 'email', 'address', 'global' }
local refused, wait = nil, 0
for i = 1, 3 do
  local max, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  -- A place taken after now was not taken by an instance (each scores its place now): it would
  -- hold the limit shut for as long as it says.
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '(' .. now, '+inf')
  local n = redis.call('ZCARD', KEYS[i])
  if n >= max then
    -- Full until the place that makes it full leaves the window.
    local place = redis.call('ZRANGE', KEYS[i], n - max, n - max, 'WITHSCORES')
    local w = tonumber(place[2]) + window - now
    if refused == nil or w > wait then refused, wait = names[i], w end
  end
end
if refused then return { refused, wait } end
for i = 1, 3 do
  local max, window = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(max + 1))
  redis.call('PEXPIRE', KEYS[i], window)
end
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[3])
return {}
`);

const SUCCEEDED = luaScript(`
-- KEYS: email, address, global, the email's attempts in flight; ARGV: attempt id
redis.call('SREM', KEYS[4], ARGV[1])
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('SISMEMBER', KEYS[4], id) == 0 then redis.call('ZREM', KEYS[1], id) end
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`);

export interface RedisSignInAttemptsOptions {
  limits?: Partial<Record<LimitName, Limit>>;
  logger: Logger;
}

class RedisAttempt implements SignInAttempt {
  constructor(
    readonly keys: SignInKeys,
    readonly id: string,
  ) {}
}

export class RedisSignInAttempts implements SignInAttempts {
  private readonly limits: Record<LimitName, Limit>;
  private readonly logger: Logger;
  /** Whether the last call failed: the log says when Redis stops and starts answering, not every attempt in between. */
  private failing = false;

  constructor(
    private readonly store: SharedStore,
    options: RedisSignInAttemptsOptions,
  ) {
    this.limits = { ...SIGN_IN_LIMITS, ...options.limits };
    this.logger = options.logger;
  }

  async reserve(keys: SignInKeys): Promise<Reservation> {
    const id = randomUUID();
    const { email, address, global } = this.limits;
    let answer: unknown;
    try {
      // Just connected, or coming back: worth a moment's wait (commands fail at once until ready).
      await redisReady(this.store.redis, REDIS_COMMAND_TIMEOUT_MS);
      answer = await RESERVE(this.store.redis, this.keysOf(keys), [id, email.max, email.windowMs, address.max, address.windowMs, global.max, global.windowMs]);
    } catch (error) {
      this.trouble(error);
      throw new SharedStoreUnavailable('The sign-in limits cannot be checked', error);
    }
    this.fine();
    if (Array.isArray(answer) && answer.length === 2) {
      const [limit, waitMs] = answer as [LimitName, number];
      return { allowed: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    return { allowed: true, attempt: new RedisAttempt(keys, id) };
  }

  // A success or failure that cannot be recorded only leaves the attempt its places until its
  // window passes: stricter, never looser, so it is logged and not thrown (the viewer's sign-in
  // itself went through, or failed, either way).

  async succeeded(attempt: SignInAttempt): Promise<void> {
    const { keys, id } = attempt as RedisAttempt;
    try {
      await SUCCEEDED(this.store.redis, this.keysOf(keys), [id]);
      this.fine();
    } catch (error) {
      this.trouble(error);
    }
  }

  async failed(attempt: SignInAttempt): Promise<void> {
    const { keys, id } = attempt as RedisAttempt;
    try {
      // Its places stay where they are; it is only no longer in flight.
      await this.store.redis.srem(this.keysOf(keys)[3]!, id);
      this.fine();
    } catch (error) {
      this.trouble(error);
    }
  }

  /** email, address, global, the email's attempts in flight. */
  private keysOf(keys: SignInKeys): string[] {
    const base = `${this.store.prefix}sign-in:`;
    const email = hash(keys.email);
    return [`${base}email:${email}`, `${base}address:${hash(keys.address)}`, `${base}global`, `${base}pending:${email}`];
  }

  private trouble(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ event: 'sign_in_limits_unavailable', error: message }, `Sign-in refused while the shared store cannot be reached: ${message}`);
  }

  private fine(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info({ event: 'sign_in_limits_recovered' }, 'The shared store answers again: sign-in is open');
  }
}

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
