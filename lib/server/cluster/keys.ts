import 'server-only';

/** Every key and channel the instances share for the directory's state (docs/architecture.md §10). */
export function clusterKeys(prefix: string) {
  return {
    /** "<deployment> <instance id> <fence>" of the leader, with a time to live. */
    lease: `${prefix}leader`,
    /** Bumped at every election; the lease's value carries it, and every write is checked against the lease. */
    fence: `${prefix}fence`,
    /** The leader's entries, numbered by `seq`, capped. */
    feed: `${prefix}feed`,
    seq: `${prefix}feed-seq`,
    /** "<seq> <stream id>\n<snapshot json>": where a follower starts. */
    snapshot: `${prefix}snapshot`,
    /** The newest presence version, where a new leader continues numbering. */
    presenceVersion: `${prefix}presence-version`,
    /** Followers' per-person presence answers, for the leader to fold in (pub/sub). */
    presenceDetail: `${prefix}presence-detail`,
    /** Followers that cannot catch up from the stream ask the leader for a fresh snapshot (pub/sub). */
    snapshotWanted: `${prefix}snapshot-wanted`,
    /** A leader that stops cleanly says it gave the lease up, so followers take it now rather than at their next try (pub/sub). */
    leaseReleased: `${prefix}lease-released`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;
