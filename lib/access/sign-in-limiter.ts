import 'server-only';
import { addressKey } from '@/lib/access/client-address';

// Sign-in attempts, limited three ways (README, "Who can see the directory"):
//
//   per email     4 in 30 minutes, whatever the address: what protects an account; it stays under
//                 Zulip's own limit (5 failures per 30 minutes per user name), so nobody can spend
//                 that limit through the directory and lock a colleague out of Zulip
//   per address   30 in 15 minutes: one client trying many people (the address is only what a
//                 trusted proxy says, lib/access/client-address.ts; without one, everyone shares
//                 one "unknown" bucket)
//   in all        60 a minute across everyone: guessing one password for many people from many
//                 addresses, and the most this app ever asks of Zulip's sign-in
//
// An attempt takes its place in all three BEFORE Zulip is asked (reserve), so parallel guesses
// cannot all pass the check; a failure keeps its place for the window; a success clears that
// email's failures and gives its own places back. Every outcome other than a signed-in member is a
// failure (a timeout may still have been checked by Zulip).
//
// Behind an interface: this in-memory implementation serves one process; with REDIS_URL set,
// every instance shares the counts in Redis (lib/access/redis-sign-in-attempts.ts).

export interface SignInKeys {
  /** The normalized email (normalizeEmail). */
  email: string;
  /** The client's address bucket (addressKey), or "unknown". */
  address: string;
}

/** A reserved attempt: hand it back to `succeeded` or `failed`. Opaque to callers. */
export interface SignInAttempt {
  readonly keys: SignInKeys;
}

export type LimitName = 'email' | 'address' | 'global';

export type Reservation = { allowed: true; attempt: SignInAttempt } | { allowed: false; limit: LimitName; retryAfterSeconds: number };

export interface SignInAttempts {
  /** Takes a place in every limit, or says which limit is full and for how many seconds more. */
  reserve(keys: SignInKeys): Promise<Reservation>;
  /** A member signed in: clears the email's failures and gives the attempt's places back. */
  succeeded(attempt: SignInAttempt): Promise<void>;
  /** Anything else: the attempt keeps its places until the window passes. */
  failed(attempt: SignInAttempt): Promise<void>;
}

export interface Limit {
  max: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: Readonly<Record<LimitName, Limit>> = {
  // Fewer than Zulip's own 5 failures per 30 minutes per user name (authenticate_by_username,
  // docs/zulip.md §g): nobody can lock a colleague out of Zulip through the directory.
  email: { max: 4, windowMs: 30 * 60_000 },
  address: { max: 30, windowMs: 15 * 60_000 },
  global: { max: 60, windowMs: 60_000 },
};

/** One email however it is typed: Zulip finds accounts case-insensitively (ſ and S, ı and I too). */
export const normalizeEmail = (email: string) => email.trim().toUpperCase().toLowerCase();

export const signInKeys = (email: string, address: string): SignInKeys => ({ email: normalizeEmail(email), address: addressKey(address) });

export interface MemorySignInAttemptsOptions {
  limits?: Partial<Record<LimitName, Limit>>;
  /** Emails remembered, and separately addresses; beyond it the least recently tried are forgotten. Default 10,000. */
  maxKeys?: number;
  clock?: () => number;
}

/** One attempt's place, shared by its three lists. */
interface Entry {
  at: number;
  pending: boolean;
}

class MemoryAttempt implements SignInAttempt {
  constructor(
    readonly keys: SignInKeys,
    readonly entry: Entry,
  ) {}
}

/** Expired keys dropped per reserve, besides the one it touches (keeps idle memory shrinking). */
const SWEEP_PER_CALL = 8;

/**
 * The in-memory SignInAttempts. Bounded: each list holds at most its limit's number of places
 * (a refused attempt is not recorded), and at most `maxKeys` emails and `maxKeys` addresses are
 * kept. Forgetting the oldest key could give a guesser a fresh allowance for it, but pushing
 * 10,000 newer emails out first takes 10,000 attempts: close to three hours at 60 a minute.
 */
export class MemorySignInAttempts implements SignInAttempts {
  private readonly limits: Record<LimitName, Limit>;
  private readonly maxKeys: number;
  private readonly clock: () => number;
  private readonly emails = new Map<string, Entry[]>();
  private readonly addresses = new Map<string, Entry[]>();
  private global: Entry[] = [];

  constructor(options: MemorySignInAttemptsOptions = {}) {
    this.limits = { ...SIGN_IN_LIMITS, ...options.limits };
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.clock = options.clock ?? Date.now;
  }

  reserve(keys: SignInKeys): Promise<Reservation> {
    const now = this.clock();
    const email = this.live(this.emails, keys.email, this.limits.email, now);
    const address = this.live(this.addresses, keys.address, this.limits.address, now);
    this.global = recent(this.global, this.limits.global, now);

    let refused: { limit: LimitName; waitMs: number } | undefined;
    for (const [limit, entries] of [
      ['email', email],
      ['address', address],
      ['global', this.global],
    ] as const) {
      const { max, windowMs } = this.limits[limit];
      if (entries.length < max) continue;
      const waitMs = entries[entries.length - max]!.at + windowMs - now;
      if (!refused || waitMs > refused.waitMs) refused = { limit, waitMs };
    }
    if (refused) return Promise.resolve({ allowed: false, limit: refused.limit, retryAfterSeconds: Math.max(1, Math.ceil(refused.waitMs / 1000)) });

    const entry: Entry = { at: now, pending: true };
    this.remember(this.emails, keys.email, [...email, entry], this.limits.email);
    this.remember(this.addresses, keys.address, [...address, entry], this.limits.address);
    this.global = capped([...this.global, entry], this.limits.global);
    this.sweep(this.emails, this.limits.email, now);
    this.sweep(this.addresses, this.limits.address, now);
    return Promise.resolve({ allowed: true, attempt: new MemoryAttempt(keys, entry) });
  }

  succeeded(attempt: SignInAttempt): Promise<void> {
    const { keys, entry } = attempt as MemoryAttempt;
    entry.pending = false;
    // The email's failures go; its other attempts still in flight keep their places.
    const email = this.emails.get(keys.email)?.filter((e) => e.pending);
    if (email?.length) this.emails.set(keys.email, email);
    else this.emails.delete(keys.email);
    const address = this.addresses.get(keys.address)?.filter((e) => e !== entry);
    if (address?.length) this.addresses.set(keys.address, address);
    else this.addresses.delete(keys.address);
    this.global = this.global.filter((e) => e !== entry);
    return Promise.resolve();
  }

  failed(attempt: SignInAttempt): Promise<void> {
    (attempt as MemoryAttempt).entry.pending = false;
    return Promise.resolve();
  }

  /** How much is remembered: keys (emails and addresses) and places in all lists. For tests. */
  size(): { keys: number; entries: number } {
    let entries = this.global.length;
    for (const list of this.emails.values()) entries += list.length;
    for (const list of this.addresses.values()) entries += list.length;
    return { keys: this.emails.size + this.addresses.size, entries };
  }

  private live(map: Map<string, Entry[]>, key: string, limit: Limit, now: number): Entry[] {
    const list = map.get(key);
    return list ? recent(list, limit, now) : [];
  }

  /** Stores `key`'s list as the most recently used, forgetting the least recently used beyond maxKeys. */
  private remember(map: Map<string, Entry[]>, key: string, list: Entry[], limit: Limit): void {
    map.delete(key);
    map.set(key, capped(list, limit));
    while (map.size > this.maxKeys) map.delete(map.keys().next().value as string);
  }

  /** Drops the least recently used keys whose places have all expired. */
  private sweep(map: Map<string, Entry[]>, limit: Limit, now: number): void {
    for (let i = 0; i < SWEEP_PER_CALL; i++) {
      const first = map.entries().next();
      if (first.done) return;
      const [key, list] = first.value;
      if (list.some((e) => e.at > now - limit.windowMs)) return;
      map.delete(key);
    }
  }
}

const recent = (list: Entry[], limit: Limit, now: number) => list.filter((e) => e.at > now - limit.windowMs);
/** Never more places than the limit needs (the oldest go first). */
const capped = (list: Entry[], limit: Limit) => (list.length > limit.max ? list.slice(list.length - limit.max) : list);
