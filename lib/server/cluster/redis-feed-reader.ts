import 'server-only';
import type { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { ClusterKeys } from '@/lib/server/cluster/keys';
import type { Reachability } from '@/lib/server/cluster/reachability';
import { decodeEntry, decodeSnapshot, type FeedEntry, type ViewSnapshot } from '@/lib/server/cluster/feed';
import { sleep } from '@/lib/zulip/sleep';

// A follower's side of the feed (docs/architecture.md §10): the leader's snapshot, then its
// entries in order, on a connection of its own (XREAD blocks). Entries are numbered without gaps;
// a gap (the stream was capped past us, or Redis was wiped and numbering restarted), a marker
// saying a new snapshot is there, or an entry this version cannot read: the snapshot is read again.

export interface Replica {
  adoptSnapshot(snapshot: ViewSnapshot): void;
  adoptEntry(entry: FeedEntry): void;
  /** Everything the leader has written so far is applied (a snapshot alone may be entries behind). */
  caughtUp(): void;
}

/** How long one XREAD waits for entries; also how soon a stop is noticed. */
const BLOCK_MS = 2_000;
const RETRY_MS = 500;
const READ_COUNT = 500;

/** The last entry applied; `seq` null while waiting for a snapshot marker (entries before it are in that snapshot). */
type Position = { seq: number | null; id: string };

export class RedisFeedReader {
  private readonly stop = new AbortController();
  private loggedUnreadable = false;

  constructor(
    private readonly options: { redis: Redis; keys: ClusterKeys; replica: Replica; reachability: Reachability; logger: Logger },
  ) {}

  start(): void {
    void this.run();
  }

  close(): void {
    this.stop.abort();
  }

  private async run(): Promise<void> {
    const { redis, keys, reachability } = this.options;
    let position: Position | null = null;
    while (!this.stop.signal.aborted) {
      try {
        // Right after a snapshot, read what follows it without waiting: it is only caught up after that.
        const block = position === null ? [] : ['BLOCK', BLOCK_MS];
        position ??= await this.loadSnapshot();
        const answer = (await redis.xread('COUNT', READ_COUNT, ...(block as []), 'STREAMS', keys.feed, position.id)) as Array<[string, Array<[string, string[]]>]> | null;
        reachability.ok();
        if (this.stop.signal.aborted) return;
        const entries = answer?.[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          const next: Position | null = this.take(position, id, fieldMap(fields));
          if (next === null) {
            position = null;
            break;
          }
          position = next;
        }
        if (position?.seq != null && entries.length < READ_COUNT) this.options.replica.caughtUp();
      } catch (error) {
        if (this.stop.signal.aborted) return;
        reachability.failed(error);
        await sleep(RETRY_MS, this.stop.signal).catch(() => {});
      }
    }
  }

  /** Applies one stream entry; the new position, or null to read the snapshot again. */
  private take(position: Position, id: string, fields: Map<string, string>): Position | null {
    const seq = Number(fields.get('s'));
    if (fields.has('r')) return null;
    if (position.seq === null) return { seq: null, id };
    if (seq !== position.seq + 1) return null;
    const entry = decodeEntry(fields.get('e') ?? '');
    if (!entry) {
      this.unreadable('entry');
      return { seq: null, id };
    }
    this.options.replica.adoptEntry(entry);
    return { seq, id };
  }

  /** The snapshot and where it was taken, or a wait for the leader's first (from the stream's start). */
  private async loadSnapshot(): Promise<Position> {
    const text = await this.options.redis.get(this.options.keys.snapshot);
    if (text === null) return { seq: null, id: '0' };
    const newline = text.indexOf('\n');
    const [seqText, id] = text.slice(0, newline).split(' ');
    const snapshot = decodeSnapshot(text.slice(newline + 1));
    if (!snapshot || !id) {
      this.unreadable('snapshot');
      // Wait for the next marker (a leader running this version writes one at each register).
      return { seq: null, id: id ?? '$' };
    }
    this.options.replica.adoptSnapshot(snapshot);
    return { seq: Number(seqText), id };
  }

  private unreadable(what: string): void {
    if (this.loggedUnreadable) return;
    this.loggedUnreadable = true;
    this.options.logger.warn({ event: 'feed_unreadable', what }, `The leader's ${what} is in a format this version cannot read (a rolling deploy?); keeping the last data until it can`);
  }
}

function fieldMap(fields: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  return map;
}
