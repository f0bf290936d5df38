import { ZulipError } from './errors';
import { sleep, systemClock, type Clock } from '@/lib/clock';

// One request budget per process (several instances share one instead: RequestBudget below, and
// lib/server/cluster/redis-rate-budget.ts). Zulip allows ~200 calls/min per bot (event long-polls
// count in Tornado's bucket apart, docs/zulip.md §g) and reports what is left in X-RateLimit-* on
// every response. We use at
// most `share` of the advertised limit (leaving room for other clients of the same bot) and keep
// `backgroundReserve` of that for background work, so when the budget runs low it is the
// per-person detail fetches (interactive) that are refused first, never the list refresh.
// After a 429 every call is blocked until Retry-After has passed: interactive calls fail fast
// with kind 'rate_limited', background calls wait (up to maxBackgroundWaitMs).
//
// A response's X-RateLimit-Remaining counts only the calls the server had received when it
// answered: calls still on their way are not in it. So when a response comes back, the calls we
// started and have not had an answer for yet are taken off what it says is left (a burst of
// detail fetches answered one by one would otherwise reopen the budget after each answer and
// overshoot the server's limit).

export type RequestPriority = 'background' | 'interactive';

export type RateBudgetOptions = {
  /** Fraction of X-RateLimit-Limit this process may use. Default 0.8. */
  share?: number;
  /** Fraction of our share reserved for background calls. Default 0.25. */
  backgroundReserve?: number;
  /** Background calls wait at most this long for the budget, then fail. Default 30 s. */
  maxBackgroundWaitMs?: number;
  /** The time the budget is counted on and waits on (the real clock by default). */
  clock?: Clock;
};

export type RateBudgetSnapshot = {
  /** The server's X-RateLimit-Limit, or null before any rate-limited response was seen. */
  limit: number | null;
  /** X-RateLimit-Remaining as last reported, minus calls started since. */
  remaining: number | null;
  /** Epoch ms at which the server's window is entirely free again. */
  resetAt: number | null;
  /** Epoch ms until which a 429's Retry-After blocks all calls. */
  blockedUntil: number | null;
  /** The part of `limit` this process allows itself. */
  allowance: number | null;
  interactiveAvailable: boolean;
  backgroundAvailable: boolean;
};

/**
 * What the Zulip client needs of a request budget (lib/zulip/http.ts): RateBudget for one process,
 * or one shared by every instance of the app (lib/server/cluster/redis-rate-budget.ts). For each
 * call that acquire() lets through, exactly one update() (an answer came) or settle() (none did)
 * follows. None of these may throw except acquire, and only its 'rate_limited' refusal (or the
 * signal's reason).
 */
export interface RequestBudget {
  /** Takes one call from the budget, waiting (background) or throwing 'rate_limited' (interactive). */
  acquire(endpoint: string, priority: RequestPriority, signal?: AbortSignal): Promise<void>;
  /** Reads X-RateLimit-* from the answer to a call that went through acquire(). */
  update(headers: Headers): void;
  /** One call that went through acquire() ended without an answer. */
  settle(): void;
  /**
   * A 429: nothing goes out until Retry-After (fractional seconds) has passed. A shared budget
   * resolves once every instance will see the block, so the caller's error means "all blocked".
   */
  block(retryAfterSeconds: number): void | Promise<void>;
  /** The state, for /api/health. Synchronous: a shared budget answers from what it last heard. */
  snapshot(): RateBudgetSnapshot;
}

/** The budget's state, every time on one clock (epoch ms). */
export interface BudgetState {
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  /** 0 when no 429 is blocking. */
  blockedUntil: number;
}

/** The budget's rules: the part of the advertised limit we use, and the part of that kept for background work. */
export interface BudgetRules {
  share: number;
  backgroundReserve: number;
}

// Zulip's default window is 60 s; self-hosters can configure longer rules, but a reset further
// out than this is more likely clock trouble than a real rule.
export const MAX_RESET_MS = 60 * 60 * 1000;
export const FALLBACK_WINDOW_MS = 60 * 1000;
/** A call with no answer after this long (it failed, or is a long-poll) stops counting as on its way. */
export const IN_FLIGHT_MAX_MS = 2 * 60 * 1000;

// The rules as functions of the state, so a budget kept elsewhere (Redis) reads its mirror with
// exactly the same arithmetic. The shared budget's Lua script repeats them
// (lib/server/cluster/rate-budget-script.ts): change both together.

/** Once the server's window has passed, assume it is full again until told otherwise. */
export function refreshed(state: BudgetState, now: number): BudgetState {
  if (state.resetAt !== null && state.limit !== null && now >= state.resetAt) return { ...state, remaining: state.limit, resetAt: null };
  return state;
}

/** The part of `limit` we allow ourselves. */
export function allowanceOf(limit: number, rules: BudgetRules): number {
  return Math.floor(limit * rules.share);
}

/** How long a call of `priority` must wait at `now` (0: it may go now). */
export function waitMsFor(state: BudgetState, rules: BudgetRules, priority: RequestPriority, now: number): number {
  if (state.blockedUntil > now) return state.blockedUntil - now;
  const { limit, remaining, resetAt } = refreshed(state, now);
  if (limit === null || remaining === null) return 0;
  const allowance = allowanceOf(limit, rules);
  // Calls the server has counted beyond what we allow ourselves come out of our headroom.
  const headroom = remaining - (limit - allowance);
  const needed = priority === 'interactive' ? Math.ceil(allowance * rules.backgroundReserve) : 0;
  if (headroom > needed) return 0;
  return Math.max((resetAt ?? now + FALLBACK_WINDOW_MS) - now, 1);
}

export function snapshotOf(state: BudgetState, rules: BudgetRules, now: number): RateBudgetSnapshot {
  const current = refreshed(state, now);
  return {
    limit: current.limit,
    remaining: current.remaining,
    resetAt: current.resetAt,
    blockedUntil: current.blockedUntil > now ? current.blockedUntil : null,
    allowance: current.limit === null ? null : allowanceOf(current.limit, rules),
    interactiveAvailable: waitMsFor(current, rules, 'interactive', now) <= 0,
    backgroundAvailable: waitMsFor(current, rules, 'background', now) <= 0,
  };
}

/** The refusal of a call the budget will not let through (now, or within the background wait). */
export function budgetRefusal(endpoint: string, priority: RequestPriority, waitMs: number, blocked: boolean, scope: string): ZulipError {
  return new ZulipError({
    kind: 'rate_limited',
    endpoint,
    retryAfterSeconds: Math.ceil(waitMs / 100) / 10,
    detail: blocked ? 'waiting for Retry-After' : `${scope} request budget exhausted for ${priority} calls`,
  });
}

/** X-RateLimit-* of one answer, or null when it has none; the reset as a duration from `now`. */
export function readRateHeaders(headers: Headers, now: number): { limit: number; reported: number; resetInMs: number } | null {
  const limit = toNumber(headers.get('x-ratelimit-limit'));
  const reported = toNumber(headers.get('x-ratelimit-remaining'));
  if (limit === null || reported === null) return null;
  const reset = toNumber(headers.get('x-ratelimit-reset'));
  let resetInMs = FALLBACK_WINDOW_MS;
  if (reset !== null) {
    // Reset is a Unix time on the server's clock; measure it against the server's Date
    // header (when present) so local clock skew does not stretch or skip the window.
    const serverNow = Date.parse(headers.get('date') ?? '');
    const delta = reset * 1000 - (Number.isFinite(serverNow) ? serverNow : now);
    resetInMs = Math.min(Math.max(delta, 0), MAX_RESET_MS);
  }
  return { limit, reported, resetInMs };
}

export class RateBudget implements RequestBudget {
  private share: number;
  private backgroundReserve: number;
  private maxBackgroundWaitMs: number;
  private readonly clock: Clock;
  private limit: number | null = null;
  private remaining: number | null = null;
  private resetAt: number | null = null;
  private blockedUntil = 0;
  /** When each call we let through was started, until an answer arrives for it (oldest first). */
  private inFlight: number[] = [];

  constructor(options: RateBudgetOptions = {}) {
    this.share = options.share ?? 0.8;
    this.backgroundReserve = options.backgroundReserve ?? 0.25;
    this.maxBackgroundWaitMs = options.maxBackgroundWaitMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  private now(): number {
    return this.clock.now();
  }

  configure(options: Omit<RateBudgetOptions, 'clock'>): void {
    if (options.share !== undefined) this.share = options.share;
    if (options.backgroundReserve !== undefined) this.backgroundReserve = options.backgroundReserve;
    if (options.maxBackgroundWaitMs !== undefined) this.maxBackgroundWaitMs = options.maxBackgroundWaitMs;
  }

  /** Takes one call from the budget, waiting (background) or throwing 'rate_limited' (interactive). */
  async acquire(endpoint: string, priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const waitMs = this.waitMs(priority);
      if (waitMs <= 0) {
        if (this.remaining !== null) this.remaining -= 1;
        this.inFlight.push(this.now());
        return;
      }
      if (priority === 'interactive' || waitMs > this.maxBackgroundWaitMs) {
        throw budgetRefusal(endpoint, priority, waitMs, this.blockedUntil > this.now(), 'local');
      }
      await sleep(waitMs, signal, this.clock);
    }
  }

  /**
   * Reads X-RateLimit-Limit/Remaining/Reset from a response to a call that went through
   * acquire(); responses without them leave the state alone (but still count as answered).
   */
  update(headers: Headers): void {
    this.settle();
    this.observe(headers);
  }

  /**
   * Reads X-RateLimit-* from an answer without counting a call of ours as answered: how a shared
   * budget keeps its local stand-in current with what Zulip says of every instance's calls.
   */
  observe(headers: Headers): void {
    const now = this.now();
    const read = readRateHeaders(headers, now);
    if (read === null) return;
    this.limit = read.limit;
    this.remaining = Math.max(0, read.reported - this.inFlight.length);
    this.resetAt = now + read.resetInMs;
  }

  /** One call that went through acquire() has ended (answered or failed): it is no longer on its way. */
  settle(): void {
    // Which one does not matter, only how many are left.
    this.inFlight.shift();
    const now = this.now();
    while (this.inFlight.length > 0 && now - this.inFlight[0]! > IN_FLIGHT_MAX_MS) this.inFlight.shift();
  }

  /** A 429: nothing goes out until Retry-After (fractional seconds) has passed. */
  block(retryAfterSeconds: number): void {
    const until = this.now() + Math.ceil(Math.max(retryAfterSeconds, 0) * 1000);
    this.blockedUntil = Math.max(this.blockedUntil, until);
    if (this.remaining !== null) this.remaining = 0;
  }

  snapshot(): RateBudgetSnapshot {
    this.refresh();
    return snapshotOf(this.state(), this.rules(), this.now());
  }

  private state(): BudgetState {
    return { limit: this.limit, remaining: this.remaining, resetAt: this.resetAt, blockedUntil: this.blockedUntil };
  }

  private rules(): BudgetRules {
    return { share: this.share, backgroundReserve: this.backgroundReserve };
  }

  private waitMs(priority: RequestPriority): number {
    this.refresh();
    return waitMsFor(this.state(), this.rules(), priority, this.now());
  }

  // Once the server's window has passed, assume it is full again until told otherwise.
  private refresh(): void {
    const next = refreshed(this.state(), this.now());
    this.remaining = next.remaining;
    this.resetAt = next.resetAt;
  }
}

function toNumber(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : null;
}
