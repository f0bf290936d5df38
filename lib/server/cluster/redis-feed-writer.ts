import 'server-only';
import type { Redis } from 'ioredis';
import type { Logger } from '@/lib/server/log';
import type { ClusterKeys } from '@/lib/server/cluster/keys';
import type { Reachability } from '@/lib/server/cluster/reachability';
import { encodeEntry, encodeSnapshot, type FeedEntry, type FeedWriter, type ViewSnapshot } from '@/lib/server/cluster/feed';
import type { Sealer } from '@/lib/server/cluster/deployment';
import { systemClock, type Clock } from '@/lib/clock';

// The leader's side of the feed (docs/architecture.md §10). Writes go out one at a time, in the
// order the changes happened, each checked inside Redis (a Lua script runs alone) against the
// lease: it must still hold this leader's name and fence. So only the newest leader's writes land,
// and a leader whose lease ran out (it was paused, or Redis was wiped and the fences restarted)
// learns it from its first refused write. The snapshot is written with a marker entry
// in the same script: a follower that reads the marker knows a new snapshot is there.
//
// A write that fails (Redis away) leaves the followers behind by an unknown amount, so the next
// write is a whole snapshot again rather than the entry, with a marker that sends every follower
// back to it. Every SNAPSHOT_EVERY-th entry also refreshes the snapshot, in the same script but
// with no marker (a checkpoint): followers read on as usual, and one that starts later never needs
// more of the capped stream than it holds.

/** Entries kept in the stream (approximately: MAXLEN ~); a follower further behind reloads the snapshot. */
const FEED_LENGTH = 2_000;
const SNAPSHOT_EVERY = 500;
/** While writes fail, a snapshot is built at most this often (at 20,000 people it is megabytes). */
const RETRY_SNAPSHOT_MS = 2_000;

const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local seq = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 's', seq, 'e', ARGV[2])
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4]) end
return seq`;

/** An entry, and the snapshot as it is with that entry applied. */
const CHECKPOINT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local seq = redis.call('INCR', KEYS[3])
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 's', seq, 'e', ARGV[2])
redis.call('SET', KEYS[5], seq .. ' ' .. id .. '\\n' .. ARGV[5])
if ARGV[4] ~= '' then redis.call('SET', KEYS[4], ARGV[4]) end
return seq`;

const RESET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local seq = redis.call('INCR', KEYS[3])
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 's', seq, 'r', '1')
redis.call('SET', KEYS[5], seq .. ' ' .. id .. '\\n' .. ARGV[2])
redis.call('SET', KEYS[4], ARGV[4])
return seq`;

export interface RedisFeedWriterOptions {
  redis: Redis;
  keys: ClusterKeys;
  /** The lease's value while this leader holds it: "<deployment> <instance id> <fence>" (redis-lease.ts). */
  lease: string;
  /** This deployment's identity, written into every value (deployment.ts). */
  deployment: string;
  sealer: Sealer;
  /** Everything as it is now (called when a snapshot is due, at that moment); null while the leader has nothing. */
  snapshot: () => ViewSnapshot | null;
  /** A write was refused: another instance leads now. */
  onFenced: () => void;
  reachability: Reachability;
  logger: Logger;
  /** Entries between checkpoints (default SNAPSHOT_EVERY). */
  snapshotEvery?: number;
  clock?: Clock;
}

export class RedisFeedWriter implements FeedWriter {
  private chain: Promise<void> = Promise.resolve();
  /** Set when a write failed: the followers' state is unknown until a snapshot lands. */
  private snapshotDue = false;
  private lastAttemptAt = 0;
  private lastCheckpointAt = 0;
  private sinceSnapshot = 0;
  private fenced = false;
  /** A write failed: entries already queued would land after a hole, so only a snapshot may go next. */
  private broken = false;
  /** The number Redis gave this leader's last write; every write takes the next one. */
  private lastSeq: number | null = null;

  constructor(private readonly options: RedisFeedWriterOptions) {}

  reset(): void {
    this.snapshotDue = true;
    this.writeSnapshot();
  }

  publish(entry: FeedEntry): void {
    if (this.fenced) return;
    if (this.snapshotDue) {
      // The view has already applied this entry: a snapshot taken now includes it.
      if ((this.options.clock ?? systemClock).now() - this.lastAttemptAt >= RETRY_SNAPSHOT_MS) this.writeSnapshot();
      return;
    }
    const payload = this.encode(entry);
    const version = entry.presence ? String(entry.presence.version) : '';
    const checkpoint = ++this.sinceSnapshot < (this.options.snapshotEvery ?? SNAPSHOT_EVERY) ? null : this.options.snapshot();
    if (checkpoint === null) {
      this.enqueue(PUBLISH, [payload, String(FEED_LENGTH), version], 4);
      return;
    }
    this.sinceSnapshot = 0;
    this.enqueue(CHECKPOINT, [payload, String(FEED_LENGTH), version, this.encodeSnapshot(checkpoint)], 5);
  }

  /**
   * A follower cannot catch up from the stream (it no longer reaches back to the snapshot, or an
   * entry after it was bad): a fresh snapshot as a checkpoint, with no marker, so the others read
   * on undisturbed. At most one every RETRY_SNAPSHOT_MS, however many ask.
   */
  checkpoint(): void {
    if (this.fenced || this.snapshotDue || (this.options.clock ?? systemClock).now() - this.lastCheckpointAt < RETRY_SNAPSHOT_MS) return;
    // A leader with nothing yet (it started on an empty Redis, and Zulip has not answered its
    // register) answers no one: an empty snapshot would replace what the followers hold. They
    // ask again, and its register writes one.
    const snapshot = this.options.snapshot();
    if (snapshot === null) return;
    this.lastCheckpointAt = (this.options.clock ?? systemClock).now();
    this.sinceSnapshot = 0;
    const entry: FeedEntry = { meta: snapshot.meta, people: [], teams: [], presence: null };
    this.enqueue(CHECKPOINT, [this.encode(entry), String(FEED_LENGTH), '', this.encodeSnapshot(snapshot)], 5);
  }

  private encode(entry: FeedEntry): string {
    return encodeEntry(entry, this.options.deployment, this.options.sealer);
  }

  private encodeSnapshot(snapshot: ViewSnapshot): string {
    return encodeSnapshot(snapshot, this.options.deployment, this.options.sealer);
  }

  /** Resolves when every write asked for so far has been tried, those a write asked for included (for tests: it waits on while writes keep coming). */
  async flushed(): Promise<void> {
    for (let tried: Promise<void> | null = null; tried !== this.chain; ) {
      tried = this.chain;
      await tried;
    }
  }

  private writeSnapshot(): void {
    if (this.fenced) return;
    const snapshot = this.options.snapshot();
    if (snapshot === null) return;
    this.lastAttemptAt = (this.options.clock ?? systemClock).now();
    this.snapshotDue = false;
    this.sinceSnapshot = 0;
    this.enqueue(RESET, [this.encodeSnapshot(snapshot), String(FEED_LENGTH), String(snapshot.presence.version)], 5);
  }

  /**
   * Only this leader numbers entries, one at a time: a number that is not the next one means Redis
   * lost its latest writes (a failover to a replica that lagged, a restart from an older dump). A
   * follower that had not read the lost entries would take the next ones for them: a snapshot with
   * a marker sends every follower back to it.
   */
  private checkNumbering(seq: number, reset: boolean): void {
    const lost = this.lastSeq !== null && seq !== this.lastSeq + 1;
    this.lastSeq = seq;
    if (!lost || reset) return;
    this.options.logger.warn({ event: 'feed_writes_lost', seq }, 'Redis lost the feed\'s latest entries (a failover or an older dump?); writing a fresh snapshot for every follower');
    this.reset();
  }

  private enqueue(script: string, args: string[], keyCount: 4 | 5): void {
    const { redis, keys, lease, reachability } = this.options;
    const keyList = [keys.lease, keys.feed, keys.seq, keys.presenceVersion, keys.snapshot].slice(0, keyCount);
    this.chain = this.chain.then(async () => {
      if (this.fenced || (this.broken && script !== RESET)) return;
      try {
        const seq = await redis.eval(script, keyCount, ...keyList, lease, ...args);
        reachability.ok();
        if (script === RESET) this.broken = false;
        if (seq === -1) {
          this.fenced = true;
          this.options.logger.warn({ event: 'feed_write_fenced', lease }, 'This instance no longer holds the lease; it stops writing');
          this.options.onFenced();
          return;
        }
        this.checkNumbering(Number(seq), script === RESET);
      } catch (error) {
        reachability.failed(error);
        this.broken = true;
        this.snapshotDue = true;
      }
    });
  }
}
