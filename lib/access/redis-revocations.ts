import 'server-only';
import type { Redis } from 'ioredis';
import { MemorySessionRevocations, type SessionRevocations } from '@/lib/access/revocations';
import { SharedStoreUnavailable } from '@/lib/access/shared-store-error';
import { luaScript } from '@/lib/access/redis-script';
import { SESSION_HOURS } from '@/lib/access/config';
import { REDIS_COMMAND_TIMEOUT_MS, redisReady, type SharedStore } from '@/lib/server/cluster/redis';
import type { Logger } from '@/lib/server/log';

// Sign-outs shared by every instance through Redis (docs/architecture.md §10). Redis holds, per
// person who signed out, `revoked:<user id>` = { notBefore, forgetAfter, record }, expiring at
// forgetAfter (when every session it covers has expired), and each sign-out is announced on the
// `revoked` channel. The record "<user id> <not before> <forget after>" is what is believed, signed
// when REDIS_SHARED_SECRET is set and never covering more than a session's lifetime. Every instance keeps a mirror in memory (a MemorySessionRevocations, bounded the same
// way): filled from Redis at start, kept current by the channel, filled again after every
// reconnection (announcements sent while it was away are not replayed). `isRevoked` answers from
// the mirror only: proxy.ts asks it on every request, so it costs no round trip, and it keeps
// answering while Redis is down.
//
// Decisions, on purpose:
//  - A sign-out that cannot be written to Redis still counts here at once (the mirror first), and
//    then throws SharedStoreUnavailable: the other instances do not know it, and the person is
//    told so (app/api/auth/sign-out/route.ts). It is not retried later; signing out again does it.
//  - A reload only adds to the mirror, never removes. So when Redis is wiped (restarted empty,
//    flushed), every running instance keeps refusing what it knew, until those entries expire on
//    their own; an instance started after the wipe does not know them, and neither does Redis.
//    Sessions are signed cookies: changing DIRECTORY_SESSION_SECRET signs everyone out, the
//    answer when sign-outs may have been lost (README, "Who can see the directory").
//  - Until its first load, an instance holds the first answers back (START_WAIT_MS at most):
//    answering at once would let through a session signed out on another instance. If Redis
//    cannot be read by then, it answers from what it knows (nothing yet) and loads once it can.

/** The longest the first answers of a starting instance wait for the sign-outs in Redis. */
export const START_WAIT_MS = 3_000;

/**
 * Keeps the later of the stored sign-out and this one, each as written (with its signature), and
 * announces this one. Two sign-outs of one person cover the same sessions but for the last
 * milliseconds, so keeping the later whole is enough.
 */
const REVOKE = luaScript(`
-- KEYS: the person's key; ARGV: not before, forget after (ms), the signed record, the channel
local old = redis.call('HMGET', KEYS[1], 'notBefore')
if not (old[1] and tonumber(old[1]) and tonumber(old[1]) > tonumber(ARGV[1])) then
  redis.call('HSET', KEYS[1], 'notBefore', ARGV[1], 'forgetAfter', ARGV[2], 'record', ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
redis.call('PUBLISH', ARGV[4], ARGV[3])
return 1
`);

/** Clocks of instances may differ this much (NTP keeps them far closer). */
const CLOCK_SLACK_MS = 60_000;

export interface RedisSessionRevocationsOptions {
  /** A connection of its own for SUBSCRIBE (openRedis(…, { blocking: true })); close() disconnects it. */
  subscriber: Redis;
  logger: Logger;
  /** The mirror; tests pass one with a clock or a bound of their own. */
  mirror?: MemorySessionRevocations;
  /** The longest a session lasts (default SESSION_HOURS): a sign-out read from Redis covers no more. */
  sessionMs?: number;
  startWaitMs?: number;
  /** The app's clock (Unix ms), as sessions are issued on it. Default Date.now. */
  now?: () => number;
}

export class RedisSessionRevocations implements SessionRevocations {
  private readonly subscriber: Redis;
  private readonly logger: Logger;
  private readonly mirror: MemorySessionRevocations;
  private readonly keyPrefix: string;
  private readonly channel: string;
  /** Settles at the first complete load, or after startWaitMs. */
  private readonly started: Promise<void>;
  private isStarted = false;
  private markStarted!: () => void;
  /** Each (re)load supersedes the one before it. */
  private generation = 0;
  private closed = false;
  private readonly sessionMs: number;
  private refusedLoggedAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: SharedStore,
    options: RedisSessionRevocationsOptions,
  ) {
    this.subscriber = options.subscriber;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.mirror = options.mirror ?? new MemorySessionRevocations({ now: this.now });
    this.sessionMs = options.sessionMs ?? SESSION_HOURS * 3_600_000;
    this.keyPrefix = `${store.prefix}revoked:`;
    this.channel = `${store.prefix}revoked`;
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve)).then(() => {
      this.isStarted = true;
    });
    const wait = setTimeout(() => {
      if (this.isStarted || this.closed) return;
      this.logger.warn({ event: 'revocations_not_loaded' }, 'Sign-outs could not be read from the shared store yet: this instance knows only its own until it can');
      this.markStarted();
    }, options.startWaitMs ?? START_WAIT_MS);
    wait.unref();
    this.subscriber.on('message', this.onMessage);
    // Every connection (the first and each reconnection) subscribes, then reads what is in Redis.
    this.subscriber.on('ready', this.onReady);
    if (this.subscriber.status === 'ready') this.onReady();
  }

  async revokeBefore(userId: number, notBeforeMs: number, forgetAfterMs: number): Promise<void> {
    const notBefore = Math.floor(notBeforeMs);
    const forgetAfter = Math.ceil(forgetAfterMs);
    // This instance refuses the session at once, whatever Redis says.
    await this.mirror.revokeBefore(userId, notBefore, forgetAfter);
    try {
      await redisReady(this.store.redis, REDIS_COMMAND_TIMEOUT_MS);
      const record = this.store.sealer.seal(`${userId} ${notBefore} ${forgetAfter}`);
      await REVOKE(this.store.redis, [this.keyPrefix + userId], [notBefore, forgetAfter, record, this.channel]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ event: 'sign_out_not_shared', userId, error: message }, `A sign-out counts on this instance only: ${message}`);
      throw new SharedStoreUnavailable('The sign-out reached this instance only', error);
    }
  }

  async isRevoked(userId: number, issuedAtMs: number): Promise<boolean> {
    if (!this.isStarted) await this.started;
    return this.mirror.isRevoked(userId, issuedAtMs);
  }

  /** Stops listening and disconnects the subscriber (the command connection is the caller's). */
  close(): void {
    this.closed = true;
    this.generation++;
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onReady);
    this.subscriber.disconnect();
    this.markStarted();
  }

  private readonly onMessage = (channel: string, message: string) => {
    if (channel !== this.channel) return;
    const revocation = this.readRecord(message);
    if (revocation) void this.mirror.revokeBefore(revocation.userId, revocation.notBefore, revocation.forgetAfter);
  };

  /**
   * A sign-out read from Redis, or null when it is not one an instance could have written
   * (docs/architecture.md §10: nothing from Redis is trusted further than Zulip is): unsigned when
   * REDIS_SHARED_SECRET says it must be, or outside a session's lifetime, such as a "not before"
   * in the future, which would lock the person out for as long as it says. Each one refused is
   * logged (at most once a minute).
   */
  private readRecord(stored: string | null, userIdOfKey?: number): { userId: number; notBefore: number; forgetAfter: number } | null {
    const text = stored === null ? null : this.store.sealer.open(stored);
    const [userId, notBefore, forgetAfter] = (text ?? '').split(' ').map(Number);
    const now = this.now();
    const plausible =
      isCount(userId) &&
      isCount(notBefore) &&
      isCount(forgetAfter) &&
      (userIdOfKey === undefined || userIdOfKey === userId) &&
      notBefore <= now + CLOCK_SLACK_MS &&
      forgetAfter >= notBefore &&
      forgetAfter <= notBefore + this.sessionMs + CLOCK_SLACK_MS;
    if (plausible) return { userId, notBefore, forgetAfter };
    if (now - this.refusedLoggedAt > 60_000) {
      this.refusedLoggedAt = now;
      this.logger.warn({ event: 'sign_out_refused', reason: text === null ? 'unsigned' : 'implausible' }, 'A sign-out read from the shared store was refused: it is not signed with REDIS_SHARED_SECRET, or its times are outside a session\'s lifetime');
    }
    return null;
  }

  private readonly onReady = () => {
    void this.load(++this.generation);
  };

  /** Subscribes, then adds every sign-out in Redis to the mirror; tries again until it has, or a newer load starts. */
  private async load(generation: number): Promise<void> {
    for (let delayMs = 100; !this.closed && generation === this.generation; delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        // Subscribed first (it resolves once Redis confirms), so nothing announced during the
        // scan is missed; an announcement that arrives twice changes nothing.
        await this.subscriber.subscribe(this.channel);
        await redisReady(this.store.redis, 2_000);
        const count = await this.scanIntoMirror();
        this.logger.debug({ event: 'revocations_loaded', count }, `Sign-outs read from the shared store: ${count}`);
        this.markStarted();
        return;
      } catch (error) {
        this.logger.debug({ event: 'revocations_load_failed', error: error instanceof Error ? error.message : String(error) }, 'Sign-outs could not be read from the shared store');
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  }

  private async scanIntoMirror(): Promise<number> {
    const redis = this.store.redis;
    const pattern = this.keyPrefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hget(key, 'record');
      const results = (await pipeline.exec()) ?? [];
      for (const [i, key] of keys.entries()) {
        const [error, value] = results[i] ?? [new Error('no answer'), null];
        // A key that is not a hash (WRONGTYPE) is an odd record like any other: refused, not the
        // end of the load (which would leave every sign-out after it unknown here). Any other
        // error (a timeout, a closed connection) is Redis's trouble: the load is tried again.
        if (error && !error.message.startsWith('WRONGTYPE')) throw error;
        const revocation = this.readRecord(error ? null : (value as string | null), Number(key.slice(this.keyPrefix.length)));
        if (!revocation) continue;
        await this.mirror.revokeBefore(revocation.userId, revocation.notBefore, revocation.forgetAfter);
        count++;
      }
    } while (cursor !== '0');
    return count;
  }
}

/** A user id or a time in ms: a positive whole number (a missing field reads as 0). */
const isCount = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n > 0;
