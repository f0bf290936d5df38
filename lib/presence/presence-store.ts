import { statusFromModern, type PresenceSummary } from '@/lib/presence/status';
import type { PresenceChange } from '@/lib/presence/diff-types';
import type { PresenceRecord } from '@/lib/zulip/records';
import { systemClock, type Clock } from '@/lib/clock';

/**
 * The organization-wide presence snapshot. Raw times are kept as Zulip's modern pair (lib/zulip
 * folds legacy data into it), and each person's state is recomputed against Zulip's clock: a
 * person goes offline by the passage of time alone, with no event saying so.
 */
export class PresenceStore {
  private raw = new Map<number, PresenceRecord>();
  private summaries = new Map<number, PresenceSummary>();
  /** Each listed person's date_joined in seconds, read once: 20,000 Date.parse at every recompute cost ~5 ms. */
  private joined = new Map<number, { text: string; seconds: number }>();
  private serverTimestamp = 0;
  /** Server time minus local time, so states can be recomputed between refreshes. */
  private skewSeconds = 0;
  /** Bumped whenever a summary changes, so derived data (query sort keys) can be cached. */
  version = 0;

  constructor(
    private thresholdSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {}

  setThreshold(seconds: number): void {
    this.thresholdSeconds = seconds;
  }

  /** Replaces everything (register). */
  replaceAll(presences: Map<number, PresenceRecord>, serverTimestamp: number | null): void {
    this.raw = new Map([...presences].map(([id, p]) => [id, { ...p }]));
    if (serverTimestamp !== null) this.setServerTime(serverTimestamp);
  }

  /**
   * Folds in one person's newer data: each time only moves forward, since reports arrive in any
   * order. A `complete` record (the person's whole row) that is older than ours means Zulip moved
   * the row back on purpose (invisible mode, docs/zulip.md §a): it replaces ours. Older by more
   * than 70 s: a legacy record shows the last active time alone while the person was active
   * within 70 s of their last connection (format_legacy_presence_dict, docs/zulip.md §a), and a
   * moved-back row is minutes old.
   */
  apply(id: number, record: PresenceRecord, complete: boolean): void {
    const current = this.raw.get(id);
    if (current && complete && newest(record) + LEGACY_ACTIVITY_WINDOW_SECONDS < newest(current)) {
      // An active time no later than the moved-back row is still Zulip's (it only moves times
      // back): a legacy record of an idle row does not carry it, and would leave the join date.
      const heldActive = current.activeTimestamp <= newest(record) ? current.activeTimestamp : 0;
      this.raw.set(id, { activeTimestamp: Math.max(record.activeTimestamp, heldActive), idleTimestamp: record.idleTimestamp });
      return;
    }
    this.raw.set(id, {
      activeTimestamp: Math.max(current?.activeTimestamp ?? 0, record.activeTimestamp),
      idleTimestamp: Math.max(current?.idleTimestamp ?? 0, record.idleTimestamp),
    });
  }

  setServerTime(serverTimestamp: number, localNowSeconds = this.clock.now() / 1000): void {
    this.serverTimestamp = serverTimestamp;
    this.skewSeconds = serverTimestamp - localNowSeconds;
  }

  /** The server's "now", extrapolated from the last server timestamp we saw. */
  serverNow(localNowSeconds = this.clock.now() / 1000): number {
    return this.serverTimestamp === 0 ? localNowSeconds : localNowSeconds + this.skewSeconds;
  }

  /**
   * Recomputes every listed person's state at the server's current time and returns the ones
   * that changed since the last call. Their `dateJoined` is what someone offline and never
   * active shows, as in Zulip's web app (status_from_raw; docs/zulip.md §d) and the breakdown.
   */
  recompute(people: Iterable<{ id: number; dateJoined?: string | null }>, localNowSeconds = this.clock.now() / 1000): PresenceChange[] {
    const now = this.serverNow(localNowSeconds);
    const changes: PresenceChange[] = [];
    const seen = new Set<number>();
    for (const { id, dateJoined } of people) {
      seen.add(id);
      const raw = this.raw.get(id);
      const next = raw ? statusFromModern(raw, now, this.thresholdSeconds, this.joinedSeconds(id, dateJoined)) : null;
      const prev = this.summaries.get(id) ?? null;
      if (!sameSummary(prev, next)) {
        if (next) this.summaries.set(id, next);
        else this.summaries.delete(id);
        changes.push({ id, presence: next });
      }
    }
    let removed = false;
    for (const id of this.summaries.keys()) {
      if (!seen.has(id)) {
        this.summaries.delete(id);
        removed = true;
      }
    }
    if (this.joined.size > seen.size) for (const id of this.joined.keys()) if (!seen.has(id)) this.joined.delete(id);
    if (changes.length > 0 || removed) this.version++;
    return changes;
  }

  private joinedSeconds(id: number, text: string | null | undefined): number | null {
    if (!text) return null;
    const known = this.joined.get(id);
    if (known?.text === text) return known.seconds;
    const seconds = Date.parse(text) / 1000;
    this.joined.set(id, { text, seconds });
    return seconds;
  }

  /**
   * Takes another instance's computed states as they are (a follower of the instance that talks
   * to Zulip, docs/architecture.md §10): `full` replaces every state, else each change is set.
   * A follower keeps no raw times and never recomputes: the leader's diffs say when time moved
   * someone from active to idle.
   */
  adoptChanges(changes: PresenceChange[], full: boolean): void {
    if (full) this.summaries.clear();
    for (const { id, presence } of changes) {
      if (presence) this.summaries.set(id, presence);
      else this.summaries.delete(id);
    }
    if (full || changes.length > 0) this.version++;
  }

  get(id: number): PresenceSummary | null {
    return this.summaries.get(id) ?? null;
  }

  all(): PresenceChange[] {
    return [...this.summaries].map(([id, presence]) => ({ id, presence }));
  }

}

/** PRESENCE_LEGACY_EVENT_OFFSET_FOR_ACTIVITY_SECONDS. */
const LEGACY_ACTIVITY_WINDOW_SECONDS = 70;

function newest(p: PresenceRecord): number {
  return Math.max(p.activeTimestamp, p.idleTimestamp);
}

function sameSummary(a: PresenceSummary | null, b: PresenceSummary | null): boolean {
  if (a === null || b === null) return a === b;
  return a.state === b.state && a.lastActiveAt === b.lastActiveAt;
}
