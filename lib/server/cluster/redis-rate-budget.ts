import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@/lib/server/log';
import type { SharedStore } from '@/lib/server/cluster/redis';
import { RedisGuard } from '@/lib/server/cluster/redis-guard';
import { RATE_BUDGET_SCRIPT } from '@/lib/server/cluster/rate-budget-script';
import { sleep, systemClock, type Clock } from '@/lib/clock';
import {
  FALLBACK_WINDOW_MS,
  IN_FLIGHT_MAX_MS,
  RateBudget,
  budgetRefusal,
  readRateHeaders,
  snapshotOf,
  type BudgetRules,
  type BudgetState,
  type RateBudgetSnapshot,
  type RequestBudget,
  type RequestPriority,
} from '@/lib/zulip/rate-budget';

// One request budget for the bot across every instance (docs/architecture.md §3 and §10): Zulip
// counts the bot's calls, not each instance's (docs/zulip.md §g), so N instances each using
// RateBudget's share would together spend N times it. The state lives in one Redis hash and
// changes only inside Redis (rate-budget-script.ts), so acquire is atomic across instances and a
// 429's Retry-After seen by one blocks all.
//
// Redis is never needed for a call to go out: when it cannot answer, this instance's own
// RateBudget (kept current with every X-RateLimit header and block) decides for that call, as it
// did before there were several instances; the first command that succeeds makes it shared again.

export interface RedisRateBudgetOptions {
  store: SharedStore;
  /** As RateBudgetOptions: the part of the limit all instances together use. Default 0.8. */
  share?: number;
  /** Default 0.25. */
  backgroundReserve?: number;
  /** Default 30 s. */
  maxBackgroundWaitMs?: number;
  logger: Logger;
  /** The time the budget is read and waits on (the real clock by default), as RateBudget's. */
  clock?: Clock;
}

/** The state is kept a while after the last change: long enough for any window (at most an hour). */
const KEEP_MS = 60 * 60 * 1000;
/** snapshot() asks Redis again, in the background, when what it last heard is older than this. */
const MIRROR_MAX_AGE_MS = 1_000;

/** Where a call acquire() let through was counted, so that its end is counted there too. */
type Ticket = { shared: true; member: string } | { shared: false };

type Reply = { took: boolean; wait: number; blocked: boolean };

export class RedisRateBudget implements RequestBudget {
  private readonly keys: [string, string];
  private readonly rules: BudgetRules;
  private readonly maxBackgroundWaitMs: number;
  private readonly local: RateBudget;
  private readonly guard: RedisGuard;
  private readonly instance = randomUUID();
  private calls = 0;
  private readonly tickets: Ticket[] = [];
  /** The shared state as last heard, on the local clock, for the synchronous snapshot(). */
  private mirror: { state: BudgetState; at: number } = { state: { limit: null, remaining: null, resetAt: null, blockedUntil: 0 }, at: 0 };
  private readonly writes = new Set<Promise<unknown>>();
  private peeking = false;
  private readonly clock: Clock;

  constructor(private readonly options: RedisRateBudgetOptions) {
    const { prefix } = options.store;
    this.keys = [`${prefix}rate-budget`, `${prefix}rate-budget:in-flight`];
    this.rules = { share: options.share ?? 0.8, backgroundReserve: options.backgroundReserve ?? 0.25 };
    this.maxBackgroundWaitMs = options.maxBackgroundWaitMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
    this.local = new RateBudget({ ...this.rules, maxBackgroundWaitMs: this.maxBackgroundWaitMs, clock: this.clock });
    this.guard = new RedisGuard(options.logger, { part: 'rate_budget', meanwhile: 'each instance keeps its own request budget', clock: this.clock });
  }

  /** Whether the budget is shared right now (false while Redis cannot be reached). */
  get shared(): boolean {
    return this.guard.reachable;
  }

  async acquire(endpoint: string, priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const member = `${this.instance}:${++this.calls}`;
      const reply = await this.run('acquire', member, [priority]);
      if (reply === null) {
        await this.local.acquire(endpoint, priority, signal);
        this.tickets.push({ shared: false });
        return;
      }
      if (reply.took) {
        this.tickets.push({ shared: true, member });
        return;
      }
      if (priority === 'interactive' || reply.wait > this.maxBackgroundWaitMs) {
        throw budgetRefusal(endpoint, priority, reply.wait, reply.blocked, 'shared');
      }
      await sleep(reply.wait, signal, this.clock);
    }
  }

  update(headers: Headers): void {
    const ticket = this.tickets.shift();
    if (ticket && !ticket.shared) return this.local.update(headers);
    // Zulip's count covers every instance's calls: the stand-in learns it too, for an outage.
    this.local.observe(headers);
    const read = readRateHeaders(headers, this.clock.now());
    const member = ticket?.member ?? '';
    this.write(read ? this.run('update', member, [read.limit, read.reported, Math.round(read.resetInMs)]) : this.run('settle', member, []));
  }

  settle(): void {
    const ticket = this.tickets.shift();
    if (ticket && !ticket.shared) return this.local.settle();
    // Not written (Redis down): the call stops counting by itself after IN_FLIGHT_MAX_MS.
    this.write(this.run('settle', ticket?.member ?? '', []));
  }

  async block(retryAfterSeconds: number): Promise<void> {
    this.local.block(retryAfterSeconds);
    await this.run('block', '', [Math.ceil(Math.max(retryAfterSeconds, 0) * 1000)]);
  }

  snapshot(): RateBudgetSnapshot {
    if (!this.guard.reachable) return this.local.snapshot();
    if (this.clock.now() - this.mirror.at > MIRROR_MAX_AGE_MS) void this.refresh();
    return snapshotOf(this.mirror.state, this.rules, this.clock.now());
  }

  /** Reads the shared state into the mirror snapshot() answers from. */
  async refresh(): Promise<void> {
    if (this.peeking) return;
    this.peeking = true;
    try {
      await this.run('peek', '', []);
    } finally {
      this.peeking = false;
    }
  }

  /** Resolves once every update and settle sent so far has been written (or has failed). */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  // update() and settle() are synchronous for the caller (the answer is not held up by Redis);
  // their writes go out in order on the one connection, before any later acquire of this instance.
  private write(done: Promise<unknown>): void {
    this.writes.add(done);
    void done.finally(() => this.writes.delete(done));
  }

  /** Runs the script; null when Redis could not answer. Never throws. */
  private async run(op: string, member: string, extra: Array<string | number>): Promise<Reply | null> {
    const { redis } = this.options.store;
    const answer = await this.guard.run(() =>
      redis.eval(RATE_BUDGET_SCRIPT, 2, ...this.keys, op, this.rules.share, this.rules.backgroundReserve, IN_FLIGHT_MAX_MS, FALLBACK_WINDOW_MS, KEEP_MS, member, ...extra),
    );
    if (!answer.ok) return null;
    const [took, wait, now, limit, remaining, resetAt, blockedUntil] = answer.value as [number, number, number, number | null, number | null, number | null, number];
    // Redis's clock to ours: times are kept on Redis's, the mirror is read on ours.
    const offset = now - this.clock.now();
    const state: BudgetState = {
      limit,
      remaining,
      resetAt: resetAt === null ? null : resetAt - offset,
      blockedUntil: blockedUntil > 0 ? blockedUntil - offset : 0,
    };
    this.mirror = { state, at: this.clock.now() };
    return { took: took === 1, wait, blocked: blockedUntil > now };
  }
}
