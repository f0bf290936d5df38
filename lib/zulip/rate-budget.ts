import { ZulipError } from './errors';
import { sleep } from './sleep';

// One request budget per process. Zulip allows ~200 calls/min per bot (every call counts, event
// long-polls included) and reports what is left in X-RateLimit-* on every response. We use at
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
  now?: () => number;
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

// Zulip's default window is 60 s; self-hosters can configure longer rules, but a reset further
// out than this is more likely clock trouble than a real rule.
const MAX_RESET_MS = 60 * 60 * 1000;
const FALLBACK_WINDOW_MS = 60 * 1000;
/** A call with no answer after this long (it failed, or is a long-poll) stops counting as on its way. */
const IN_FLIGHT_MAX_MS = 2 * 60 * 1000;

export class RateBudget {
  private share: number;
  private backgroundReserve: number;
  private maxBackgroundWaitMs: number;
  private readonly now: () => number;
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
    this.now = options.now ?? Date.now;
  }

  configure(options: Omit<RateBudgetOptions, 'now'>): void {
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
        const blocked = this.blockedUntil > this.now();
        throw new ZulipError({
          kind: 'rate_limited',
          endpoint,
          retryAfterSeconds: Math.ceil(waitMs / 100) / 10,
          detail: blocked ? 'waiting for Retry-After' : `local request budget exhausted for ${priority} calls`,
        });
      }
      await sleep(waitMs, signal);
    }
  }

  /**
   * Reads X-RateLimit-Limit/Remaining/Reset from a response to a call that went through
   * acquire(); responses without them leave the state alone (but still count as answered).
   */
  update(headers: Headers): void {
    const now = this.now();
    this.settle();
    const limit = toNumber(headers.get('x-ratelimit-limit'));
    const reported = toNumber(headers.get('x-ratelimit-remaining'));
    if (limit === null || reported === null) return;
    const remaining = Math.max(0, reported - this.inFlight.length);
    const reset = toNumber(headers.get('x-ratelimit-reset'));
    let resetAt = now + FALLBACK_WINDOW_MS;
    if (reset !== null) {
      // Reset is a Unix time on the server's clock; measure it against the server's Date
      // header (when present) so local clock skew does not stretch or skip the window.
      const serverNow = Date.parse(headers.get('date') ?? '');
      const delta = reset * 1000 - (Number.isFinite(serverNow) ? serverNow : now);
      resetAt = now + Math.min(Math.max(delta, 0), MAX_RESET_MS);
    }
    this.limit = limit;
    this.remaining = remaining;
    this.resetAt = resetAt;
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
    const now = this.now();
    return {
      limit: this.limit,
      remaining: this.remaining,
      resetAt: this.resetAt,
      blockedUntil: this.blockedUntil > now ? this.blockedUntil : null,
      allowance: this.limit === null ? null : this.allowance(this.limit),
      interactiveAvailable: this.waitMs('interactive') <= 0,
      backgroundAvailable: this.waitMs('background') <= 0,
    };
  }

  private waitMs(priority: RequestPriority): number {
    const now = this.now();
    if (this.blockedUntil > now) return this.blockedUntil - now;
    this.refresh();
    if (this.limit === null || this.remaining === null) return 0;
    const allowance = this.allowance(this.limit);
    // Calls the server has counted beyond what we allow ourselves come out of our headroom.
    const headroom = this.remaining - (this.limit - allowance);
    const needed = priority === 'interactive' ? Math.ceil(allowance * this.backgroundReserve) : 0;
    if (headroom > needed) return 0;
    return Math.max((this.resetAt ?? now + FALLBACK_WINDOW_MS) - now, 1);
  }

  private allowance(limit: number): number {
    return Math.floor(limit * this.share);
  }

  // Once the server's window has passed, assume it is full again until told otherwise.
  private refresh(): void {
    if (this.resetAt !== null && this.limit !== null && this.now() >= this.resetAt) {
      this.remaining = this.limit;
      this.resetAt = null;
    }
  }
}

function toNumber(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : null;
}

// One budget per process: kept on globalThis so Next's dev-mode module reloading does not
// create a second budget that would double our share of the server's limit.
const globalForBudget = globalThis as typeof globalThis & { __zulipRateBudget?: RateBudget };
export const defaultRateBudget: RateBudget = (globalForBudget.__zulipRateBudget ??= new RateBudget());
