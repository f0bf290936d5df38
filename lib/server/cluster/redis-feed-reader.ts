import 'server-only';
import type { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { ClusterKeys } from '@/lib/server/cluster/keys';
import type { Reachability } from '@/lib/server/cluster/reachability';
import { decodeEntry, decodeSnapshot, type Decoded, type FeedEntry, type FeedReadContext, type ViewSnapshot } from '@/lib/server/cluster/feed';
import { sleep, systemClock, type Clock } from '@/lib/clock';

// A follower's side of the feed (docs/architecture.md §10): the leader's snapshot, then its
// entries in order, on a connection of its own (XREAD blocks). Entries are numbered without gaps.
//
// It never wedges. A gap (the stream was capped past us), numbering that went back (Redis lost
// its latest writes), a marker saying a new snapshot is there (a new leader, after Redis was
// wiped too), an entry that cannot be read or applied:
// the entry is skipped and reported, and the follower starts again from a snapshot taken after
// it. When the snapshot in Redis is older than that (the stream no longer reaches back to it, or
// it is the bad part), the follower asks the leader for a fresh one and waits, backing off
// exponentially, keeping what it has meanwhile. Data of another deployment is never applied: the
// follower stops and says so (onForeign).

export interface Replica {
  adoptSnapshot(snapshot: ViewSnapshot): void;
  adoptEntry(entry: FeedEntry): void;
  /** Everything the leader has written so far is applied (a snapshot alone may be entries behind). */
  caughtUp(): void;
  /** What was read belongs to another deployment (its identity): nothing of it was applied. */
  onForeign(deployment: string): void;
}

export interface RedisFeedReaderOptions {
  /** The connection for blocking reads (XREAD BLOCK); commands that must not wait behind one go on `commands`. */
  redis: Redis;
  commands: Redis;
  keys: ClusterKeys;
  context: FeedReadContext;
  replica: Replica;
  reachability: Reachability;
  logger: Logger;
  clock?: Clock;
}

/** How long one XREAD waits for entries; also how soon a stop is noticed. */
const BLOCK_MS = 2_000;
const RETRY_MS = 500;
const READ_COUNT = 500;
/** Waiting for a snapshot newer than what the stream still holds: first and longest wait between looks. */
const RESYNC_FIRST_MS = 250;
const RESYNC_MAX_MS = 10_000;

/** The last entry applied. */
type Position = { seq: number; id: string };

export class RedisFeedReader {
  private readonly stop = new AbortController();
  private readonly logged = new Set<string>();
  /** A snapshot must have been taken at this seq or later to be of use (0: any). */
  private needSeq = 0;
  /**
   * And at this stream entry or later: one it could not take (null: any). A snapshot taken before
   * it leads back to it, and taking that one again at once would never end (a forged or lost-write
   * entry read, skipped and read again as fast as Redis answers).
   */
  private needAfter: string | null = null;
  private resyncDelayMs = RESYNC_FIRST_MS;

  constructor(private readonly options: RedisFeedReaderOptions) {}

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
        if (position === null) {
          position = await this.loadSnapshot();
          if (position === null) {
            await this.waitForResync();
            continue;
          }
        }
        const answer = (await redis.xread('COUNT', READ_COUNT, ...(block as []), 'STREAMS', keys.feed, position.id)) as Array<[string, Array<[string, string[]]>]> | null;
        reachability.ok();
        if (this.stop.signal.aborted) return;
        const entries = answer?.[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          position = this.take(position, id, fieldMap(fields));
          if (position === null) break;
        }
        if (position !== null && entries.length < READ_COUNT) this.options.replica.caughtUp();
      } catch (error) {
        if (this.stop.signal.aborted) return;
        reachability.failed(error);
        await sleep(RETRY_MS, this.stop.signal, this.options.clock ?? systemClock).catch(() => {});
      }
    }
  }

  /** Applies one stream entry; the new position, or null to start again from a snapshot. */
  private take(position: Position, id: string, fields: Map<string, string>): Position | null {
    const seq = Number(fields.get('s'));
    if (!Number.isSafeInteger(seq)) return this.resync(position.seq + 1, id, 'entry', 'it has no sequence number');
    // A marker: the leader wrote a new snapshot (a register, or after a failed write).
    if (fields.has('r')) return this.resync(seq, null, null);
    // XREAD answers only entries after the last one read, so a number not above it is a new entry
    // numbered from a Redis that lost its latest writes (a failover to a replica that lagged, a
    // restart from an older dump) while the leader wrote on: never one already read.
    if (seq <= position.seq) return this.resync(seq, id, 'entry', 'its number is not after the last one read: Redis lost its latest writes');
    // A snapshot taken in the gap bridges it: any after the last entry read (not the one read from again).
    if (seq !== position.seq + 1) return this.resync(seq - 1, streamIdAfter(position.id), 'gap', `entries ${position.seq + 1}–${seq - 1} are no longer in the stream`);
    const entry = this.decoded(decodeEntry(fields.get('e') ?? '', this.options.context), 'entry');
    if (entry === undefined) return null;
    if (entry === null) return this.resync(seq, id, 'entry', 'it cannot be read');
    try {
      this.options.replica.adoptEntry(entry);
    } catch (error) {
      return this.resync(seq, id, 'entry', `it could not be applied (${error instanceof Error ? error.message : String(error)})`);
    }
    return { seq, id };
  }

  /**
   * The snapshot and where it was taken; null when there is none yet or none new enough (then
   * the leader is asked for one). Another deployment's snapshot stops the reader.
   */
  private async loadSnapshot(): Promise<Position | null> {
    const text = await this.options.redis.get(this.options.keys.snapshot);
    if (this.stop.signal.aborted) return null;
    if (text === null) {
      this.requestSnapshot();
      return null;
    }
    const newline = text.indexOf('\n');
    const [seqText, id] = text.slice(0, Math.max(newline, 0)).split(' ');
    const seq = Number(seqText);
    if (!Number.isSafeInteger(seq) || !id || !/^\d{1,20}-\d{1,20}$/.test(id)) {
      this.report('snapshot', 'its position cannot be read');
      this.requestSnapshot();
      return null;
    }
    // Taken before an entry it could not take: it leads straight back to it.
    if (this.needAfter !== null && streamIdOrder(id, this.needAfter) < 0) {
      this.requestSnapshot();
      return null;
    }
    if (seq < this.needSeq) {
      // Unless the numbering went back (Redis wiped, or restored from an older dump): it can then
      // never reach what was wanted, and any snapshot of it is newer. Below the point before it,
      // too: a snapshot that could not be used is taken at needSeq − 1, and the count stays there
      // until the leader writes again, which is no sign of anything going back.
      const counter = Number(await this.options.redis.get(this.options.keys.seq));
      if (!(Number.isSafeInteger(counter) && counter < this.needSeq - 1)) {
        this.requestSnapshot();
        return null;
      }
    }
    const snapshot = this.decoded(decodeSnapshot(text.slice(newline + 1), this.options.context), 'snapshot');
    if (!snapshot) {
      if (snapshot === null) {
        this.needSeq = seq + 1;
        this.requestSnapshot();
      }
      return null;
    }
    try {
      this.options.replica.adoptSnapshot(snapshot);
    } catch (error) {
      this.report('snapshot', `it could not be applied (${error instanceof Error ? error.message : String(error)})`);
      this.needSeq = seq + 1;
      this.requestSnapshot();
      return null;
    }
    this.needSeq = 0;
    this.needAfter = null;
    this.resyncDelayMs = RESYNC_FIRST_MS;
    return { seq, id };
  }

  /** The decoded value; null when it cannot be used (reported); undefined when it is another deployment's (the reader stops). */
  private decoded<T>(result: Decoded<T>, what: 'entry' | 'snapshot'): T | null | undefined {
    if (result.ok) return result.value;
    if (result.refusal === 'foreign') {
      this.stop.abort();
      this.options.replica.onForeign(result.deployment ?? '?');
      return undefined;
    }
    this.report(what, result.refusal === 'unsigned' ? 'its signature is missing or wrong (REDIS_SHARED_SECRET)' : 'it is in a format this version cannot read (a rolling deploy?)');
    return null;
  }

  /**
   * Skips to a snapshot taken at `seq` or later, and at the entry `after` or later (null: a
   * routine marker, whose snapshot may be the one before it); `what` and `why` are reported.
   */
  private resync(seq: number, after: string | null, what: string | null, why?: string): null {
    if (what !== null) this.report(what, why ?? '');
    this.needSeq = Math.max(this.needSeq, seq);
    if (after !== null && (this.needAfter === null || streamIdOrder(after, this.needAfter) > 0)) this.needAfter = after;
    return null;
  }

  /** Asks the leader for a snapshot (it writes one at most every couple of seconds, whoever asks). */
  private requestSnapshot(): void {
    const { commands, keys } = this.options;
    commands.publish(keys.snapshotWanted, String(this.needSeq)).catch(() => {});
  }

  private async waitForResync(): Promise<void> {
    await sleep(this.resyncDelayMs, this.stop.signal, this.options.clock ?? systemClock).catch(() => {});
    this.resyncDelayMs = Math.min(this.resyncDelayMs * 2, RESYNC_MAX_MS);
  }

  /** Logged once per kind of trouble; counted with the skipped records (/api/health). */
  private report(what: string, why: string): void {
    this.options.context.report({ kind: 'event', id: what, reason: why, endpoint: 'Redis feed' });
    if (this.logged.has(what + why)) return;
    if (this.logged.size < 100) this.logged.add(what + why);
    this.options.logger.warn({ event: 'feed_entry_skipped', what, reason: why }, `Skipped the leader's ${what}: ${why}; starting again from a fresh snapshot`);
  }
}

/** The smallest stream id after `id`. */
function streamIdAfter(id: string): string {
  const [ms = '0', n = '0'] = id.split('-');
  return `${ms}-${BigInt(n) + 1n}`;
}

/** The order of two Redis stream ids ("<ms>-<n>"): negative, zero or positive. */
function streamIdOrder(a: string, b: string): number {
  const [am = 0n, an = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bn = 0n] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : an === bn ? 0 : an < bn ? -1 : 1;
}

function fieldMap(fields: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  return map;
}
