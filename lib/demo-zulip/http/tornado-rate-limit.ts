// The rate limit Tornado applies to the requests it serves (GET and DELETE /events): Zulip's
// TornadoInMemoryRateLimiterBackend (zerver/lib/rate_limiter.py, used for the domains in
// RATE_LIMITING_DOMAINS_FOR_TORNADO), a leaky bucket kept in Tornado's memory, separate from the
// Redis counts Django keeps for every other endpoint. So /events calls never use up the main
// budget, and their X-RateLimit-* headers describe this bucket (docs/zulip-versions.md §5).
import type { RateLimitBucket, RateLimitResult } from './rate-limit';

export class TornadoRateLimiter implements RateLimitBucket {
  /** Per key, the time at which the bucket is empty again (Zulip's `reset_times`). */
  private readonly resetTimes = new Map<string, number>();

  constructor(
    private readonly requests: number,
    private readonly windowSeconds: number,
  ) {}

  get limit(): number {
    return this.requests;
  }

  /**
   * Each call fills the bucket by window/requests seconds (0.3 s for 200 per minute); a call
   * that would fill it beyond the window is refused, and `secsToFreedom` says when it drains
   * enough. An allowed call reports how many calls fit into what is left of the window.
   */
  hit(key: string, nowSec: number): RateLimitResult {
    const drip = this.windowSeconds / this.requests;
    const newReset = Math.max(this.resetTimes.get(key) ?? nowSec, nowSec) + drip;
    if (newReset > nowSec + this.windowSeconds) {
      return { allowed: false, limit: this.requests, remaining: 0, secsToFreedom: newReset - this.windowSeconds - nowSec };
    }
    this.resetTimes.set(key, newReset);
    if (this.resetTimes.size > 10_000) this.collect(nowSec);
    // Zulip reads the clock again a few microseconds later; the epsilon stands for that, so
    // float rounding never costs a call (59.7 s of room at 200/60 s is 199 calls, not 198).
    const remaining = Math.floor(((this.windowSeconds - (newReset - nowSec)) * this.requests) / this.windowSeconds + 1e-6);
    return { allowed: true, limit: this.requests, remaining, secsToFreedom: newReset - nowSec };
  }

  reset(): void {
    this.resetTimes.clear();
  }

  /** Forgets keys whose bucket has drained (Zulip garbage-collects `reset_times` likewise). */
  private collect(nowSec: number): void {
    for (const [key, reset] of this.resetTimes) if (reset < nowSec) this.resetTimes.delete(key);
  }
}
