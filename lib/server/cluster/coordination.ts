import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import { NO_FOLLOWERS, type FeedReadContext, type FeedWriter, type ViewSnapshot } from '@/lib/server/cluster/feed';
import { SoleLeadership, type Leadership } from '@/lib/server/cluster/leadership';
import type { Reachability } from '@/lib/server/cluster/reachability';
import type { Replica } from '@/lib/server/cluster/redis-feed-reader';
import { systemClock, type Clock } from '@/lib/clock';

/**
 * How this instance shares the directory's state with others (docs/architecture.md §10): who
 * talks to Zulip, where the leader's changes go and where a follower reads them. One process on
 * its own (soleCoordination) needs nothing; several share Redis (redis-coordination.ts).
 */
export interface Coordination {
  mode: 'single' | 'redis';
  instanceId: string;
  /** This deployment's identity (deployment.ts); null for one process on its own. */
  deployment: string | null;
  leadership: Leadership;
  /** Called once if another deployment's data turns up where this one's should be: this instance must then neither lead nor follow. */
  onForeign(listener: (deployment: string) => void): void;
  /** Whether the shared store can be reached; null when there is none. */
  reachability: Reachability | null;
  /** Where a new leader numbers on from: above every presence version an instance may have served. */
  presenceVersionFloor(): Promise<number>;
  /**
   * Where the leader's source sends each change. `snapshot` is everything as it is now, or null
   * while this instance has nothing to tell (no data yet: docs/architecture.md §10).
   */
  writer(fence: number, snapshot: () => ViewSnapshot | null, onFenced: () => void): FeedWriter;
  /** Follows the leader's snapshot and entries into `replica` until closed; `records` checks what is read (redis-records.ts). */
  follow(replica: Replica, records: Pick<FeedReadContext, 'site' | 'report'>): { close(): void };
  /** A follower's per-person presence answer, for the leader to fold in. */
  relayDetail(userId: number, detail: UserPresenceDetail): void;
  /** The leader's ear for those; returns how to stop listening. */
  onRelayedDetail(listener: (userId: number, detail: UserPresenceDetail) => void): () => void;
  close(): Promise<void>;
}

/** This instance's name in the log and in /api/health: DIRECTORY_INSTANCE_ID, or host, process and a random tail. */
export function instanceIdFrom(env: Partial<NodeJS.ProcessEnv>): string {
  const named = env.DIRECTORY_INSTANCE_ID?.trim();
  if (named) return named.slice(0, 100).replace(/\s+/g, '-');
  return `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/** One process on its own: it always leads, and writes nowhere. */
export function soleCoordination(instanceId: string, clock: Clock = systemClock): Coordination {
  return {
    mode: 'single',
    instanceId,
    deployment: null,
    onForeign() {},
    leadership: new SoleLeadership(instanceId),
    reachability: null,
    // Above the versions the process before this one served (a tab open across a restart): diffs are far fewer than one a ms.
    presenceVersionFloor: async () => clock.now(),
    writer: () => NO_FOLLOWERS,
    follow: () => ({ close() {} }),
    relayDetail() {},
    onRelayedDetail: () => () => {},
    close: async () => {},
  };
}
