// Failed sign-in attempts, counted in memory: per client address + email (someone guessing one
// person's password) and per client address (someone trying many people). Zulip also limits
// sign-ins per user name (5 per 30 minutes), so this mostly spares Zulip the attempts. A success
// clears that address + email. Bounded: the oldest keys are forgotten beyond `maxKeys`.

export interface SignInLimiterOptions {
  /** Failed attempts allowed per address + email in the window. Default 5. */
  perAccount?: number;
  /** Failed attempts allowed per address in the window. Default 30. */
  perAddress?: number;
  windowMs?: number;
  maxKeys?: number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perAccount: number;
  private readonly perAddress: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(options: SignInLimiterOptions = {}) {
    this.perAccount = options.perAccount ?? 5;
    this.perAddress = options.perAddress ?? 30;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Whether another attempt is allowed now; if not, how many seconds until it is. */
  check(address: string, email: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const waits = [
      this.wait(accountKey(address, email), this.perAccount, now),
      this.wait(addressKey(address), this.perAddress, now),
    ];
    const wait = Math.max(...waits);
    return wait > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { allowed: true };
  }

  failed(address: string, email: string, now = Date.now()): void {
    this.record(accountKey(address, email), now);
    this.record(addressKey(address), now);
  }

  succeeded(address: string, email: string): void {
    this.failures.delete(accountKey(address, email));
  }

  private wait(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    return times[times.length - limit]! + this.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  private record(key: string, now: number): void {
    const times = this.recent(key, now);
    this.failures.delete(key); // re-insert: Map order is then least recently failed first
    this.failures.set(key, [...times, now]);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value as string);
  }
}

const accountKey = (address: string, email: string) => `${address}\u0000${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `${address}\u0000*`;

const KEY = Symbol.for('zulip-directory.sign-in-limiter');
type WithLimiter = typeof globalThis & { [KEY]?: SignInLimiter };

/** The process's limiter (on globalThis, so dev-mode module reloads keep the counts). */
export function signInLimiter(): SignInLimiter {
  const g = globalThis as WithLimiter;
  g[KEY] ??= new SignInLimiter();
  return g[KEY];
}

/** The client's address as the nearest proxy reports it, for rate limiting only (never for access). */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || 'unknown';
}
