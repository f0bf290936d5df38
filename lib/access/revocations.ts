import 'server-only';

// Server-side sign-out (DIRECTORY_ACCESS=zulip). A session is a signed cookie, valid on its own
// until it expires; signing out must also end copies of it. So, per person, the server keeps a
// "not before" time: every session of that person issued at or before it is refused (all their
// devices: a sign-out is "sign me out", and a stolen copy cannot be told from the original).
//
// Behind an interface, because one process's memory is only right for one instance: with several
// instances (REDIS_URL set), lib/access/redis-revocations.ts shares them through Redis, keeping
// one of these as each instance's mirror (docs/architecture.md §10). The in-memory one is
// bounded and forgets a person once every session it covers has expired.

export interface SessionRevocations {
  /** Refuses every session of `userId` issued at or before `notBeforeMs`; kept until `forgetAfterMs`, when all of them have expired. */
  revokeBefore(userId: number, notBeforeMs: number, forgetAfterMs: number): Promise<void>;
  /** Whether the session of `userId` issued at `issuedAtMs` was revoked. */
  isRevoked(userId: number, issuedAtMs: number): Promise<boolean>;
}

interface Entry {
  notBeforeMs: number;
  forgetAfterMs: number;
}

export class MemorySessionRevocations implements SessionRevocations {
  /** In order of the last revocation, so the oldest (first to expire) come first. */
  private readonly entries = new Map<number, Entry>();
  /** Fail-closed overflow: when an entry must be evicted for room, it becomes a line for everyone. */
  private floor: Entry = { notBeforeMs: -Infinity, forgetAfterMs: -Infinity };
  private readonly maxPeople: number;
  private readonly now: () => number;

  constructor(options: { maxPeople?: number; now?: () => number } = {}) {
    // One entry per person who signed out in the last session lifetime: an organization's size.
    this.maxPeople = options.maxPeople ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async revokeBefore(userId: number, notBeforeMs: number, forgetAfterMs: number): Promise<void> {
    const now = this.now();
    this.prune(now);
    const previous = this.entries.get(userId);
    const entry = {
      notBeforeMs: Math.max(notBeforeMs, previous?.notBeforeMs ?? -Infinity),
      forgetAfterMs: Math.max(forgetAfterMs, previous?.forgetAfterMs ?? -Infinity),
    };
    if (entry.forgetAfterMs <= now) return;
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    while (this.entries.size > this.maxPeople) {
      const [oldestId, oldest] = this.entries.entries().next().value as [number, Entry];
      this.entries.delete(oldestId);
      // Forgetting it would let that person's revoked sessions back in: refuse every session
      // issued before it instead, until they have all expired. Everyone signs in again once.
      this.floor = { notBeforeMs: Math.max(this.floor.notBeforeMs, oldest.notBeforeMs), forgetAfterMs: Math.max(this.floor.forgetAfterMs, oldest.forgetAfterMs) };
    }
  }

  async isRevoked(userId: number, issuedAtMs: number): Promise<boolean> {
    const now = this.now();
    if (this.floor.forgetAfterMs > now && issuedAtMs <= this.floor.notBeforeMs) return true;
    const entry = this.entries.get(userId);
    if (!entry) return false;
    if (entry.forgetAfterMs <= now) {
      this.entries.delete(userId);
      return false;
    }
    return issuedAtMs <= entry.notBeforeMs;
  }

  private prune(now: number): void {
    for (const [id, entry] of this.entries) {
      if (entry.forgetAfterMs > now) break;
      this.entries.delete(id);
    }
  }
}
