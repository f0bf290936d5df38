import type { Freshness, PresenceChange, PresenceDiff } from '@/lib/presence/diff-types';

const KEEP_DIFFS = 200;

/**
 * Numbered presence diffs, so a client that polls (when its stream is down) can ask for
 * "everything since version N" and get only what changed, or a full reset if N is too old.
 */
export class PresenceLog {
  private diffs: PresenceDiff[] = [];
  private version = 0;

  append(changes: PresenceChange[], full: boolean, freshness: Freshness): PresenceDiff {
    const diff: PresenceDiff = { version: ++this.version, full, changes, freshness };
    this.diffs.push(diff);
    if (this.diffs.length > KEEP_DIFFS) this.diffs.shift();
    return diff;
  }

  /**
   * Appends a diff numbered elsewhere (by the instance that talks to Zulip), keeping its number so
   * that versions mean the same on every instance (docs/architecture.md §10). A diff that does not
   * follow the last one starts the log afresh: older `since` values then get a full snapshot.
   */
  adopt(diff: PresenceDiff): void {
    if (diff.version !== this.version + 1) this.diffs = [];
    this.version = diff.version;
    this.diffs.push(diff);
    if (this.diffs.length > KEEP_DIFFS) this.diffs.shift();
  }

  /** Forgets every diff and continues numbering after `version` (a snapshot taken at that version). */
  restartAt(version: number): void {
    this.diffs = [];
    this.version = version;
  }

  get current(): number {
    return this.version;
  }

  /** Changes after `since`, merged (latest wins); null when they are no longer all kept. */
  since(since: number): PresenceChange[] | null {
    if (since > this.version) return null;
    const first = this.diffs[0];
    if (!first || since < first.version - 1) return since === this.version ? [] : null;
    const merged = new Map<number, PresenceChange>();
    for (const diff of this.diffs) {
      if (diff.version <= since) continue;
      if (diff.full) return null;
      for (const change of diff.changes) merged.set(change.id, change);
    }
    return [...merged.values()];
  }
}
