// Zulip's per-user API rate limit (`api_by_user`, default 200 requests per 60 s), as a sliding
// window log like its Redis backend: a request is refused while `requests` calls already
// happened in the last `windowSeconds`. Requests Tornado serves (/events) use a separate,
// in-memory bucket instead (tornado-rate-limit.ts, docs/zulip-versions.md §5).

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window is clear again (fractional); for a refused call, when the next one is allowed. */
  secsToFreedom: number;
}

/** One rate-limit bucket per key: Django's (Redis) or Tornado's (in memory). */
export interface RateLimitBucket {
  readonly limit: number;
  /** Records one call for `key` at `nowSec` (unless refused) and says whether it may proceed. */
  hit(key: string, nowSec: number): RateLimitResult;
  reset(): void;
}

export class RateLimiter implements RateLimitBucket {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly requests: number,
    private readonly windowSeconds: number,
  ) {}

  get limit(): number {
    return this.requests;
  }

  /** Records one call for `key` at `nowSec` (unless refused) and says whether it may proceed. */
  hit(key: string, nowSec: number): RateLimitResult {
    const windowStart = nowSec - this.windowSeconds;
    let log = this.calls.get(key);
    if (!log) {
      log = [];
      this.calls.set(key, log);
    }
    // Drop calls that left the window; the log is sorted by time.
    let drop = 0;
    while (drop < log.length && log[drop]! <= windowStart) drop++;
    if (drop > 0) log.splice(0, drop);

    if (log.length >= this.requests) {
      const oldestCounted = log[log.length - this.requests]!;
      return { allowed: false, limit: this.requests, remaining: 0, secsToFreedom: oldestCounted + this.windowSeconds - nowSec };
    }
    log.push(nowSec);
    return {
      allowed: true,
      limit: this.requests,
      remaining: this.requests - log.length,
      secsToFreedom: log[log.length - 1]! + this.windowSeconds - nowSec,
    };
  }

  /** Forgets `key`'s calls (Zulip clears a user name's failed sign-ins after a success). */
  clear(key: string): void {
    this.calls.delete(key);
  }

  reset(): void {
    this.calls.clear();
  }
}

/** Zulip's X-RateLimit-* headers (zerver/middleware.py:RateLimitMiddleware), on every rate-limited response incl. 429s. */
export function rateLimitHeaders(result: RateLimitResult, nowSec: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
    'X-RateLimit-Reset': String(Math.floor(nowSec + result.secsToFreedom)),
  };
}
