import 'server-only';
import { PeopleStore, type MemberKeyer } from '@/lib/directory/domain/people-store';
import { PeopleQueries } from '@/lib/directory/search/query-people';
import { TeamsStore } from '@/lib/directory/domain/teams-store';
import type { OrganizationInfo, PresenceDiff } from '@/lib/directory/domain/types';
import { PresenceFanOut } from '@/lib/presence/fan-out';
import { PresenceLog } from '@/lib/presence/presence-log';
import { PresenceStore } from '@/lib/presence/presence-store';
import type { FeedEntry, ViewMeta, ViewSnapshot } from '@/lib/server/cluster/feed';
import { systemClock, type Clock } from '@/lib/clock';

/** This instance's own settings for what it adopts from the leader (never read from Redis). */
export interface ReplicaSettings {
  allowGuests: boolean;
  keyOf: MemberKeyer;
  /** This instance's own DIRECTORY_HIDDEN_FIELDS, applied on top of the leader's. */
  hiddenFields: string[];
}

/**
 * What every page, route and stream of this instance reads: people, teams, presence, the
 * numbered presence diffs and the fan-out to this instance's open streams. Written by one of two:
 * the Zulip source, when this instance is the one talking to Zulip (zulip-source.ts), or the
 * leader's snapshot and entries, when it follows another (docs/architecture.md §10).
 */
export class DirectoryData {
  readonly people = new PeopleStore();
  readonly presence: PresenceStore;
  readonly teams = new TeamsStore();
  readonly queries: PeopleQueries;
  readonly log = new PresenceLog();
  readonly fanOut = new PresenceFanOut();
  org: OrganizationInfo;
  presenceDisabled = false;
  thresholdSeconds = 200;
  /** True once a first snapshot is in, from Zulip or from the leader. */
  loaded = false;
  private onLoaded: Array<() => void> = [];
  /** The people and teams versions the open streams were last told of. */
  private peopleAnnounced = '';
  private structureAnnounced = '';
  /** The people's revision (peopleRevision) and the local versions it numbers. */
  private revision = { value: 0, of: '' };

  constructor(
    org: OrganizationInfo,
    private readonly clock: Clock = systemClock,
  ) {
    this.org = org;
    this.presence = new PresenceStore(200, clock);
    this.queries = new PeopleQueries(this.people, this.presence, this.teams);
  }

  /** A first snapshot is in: whoever waits for it goes on. */
  markLoaded(): void {
    this.loaded = true;
    for (const resolve of this.onLoaded.splice(0)) resolve();
  }

  /** Resolves once a first snapshot is in. */
  whenLoaded(): Promise<void> {
    return this.loaded ? Promise.resolve() : new Promise((resolve) => this.onLoaded.push(resolve));
  }

  /** Zulip's clock now, in Unix seconds: what every "Active N minutes ago" is measured against. */
  zulipNow(): number {
    return this.presence.serverNow();
  }

  /** Tells this instance's open streams; the bytes are encoded once for all of them. */
  announce(diff: PresenceDiff): void {
    this.fanOut.publish(diff);
    this.announcePeopleChanges();
  }

  /**
   * Tells this instance's open streams when people or teams changed since it last did (their
   * browsers refetch the people index), and whether only statuses did: those may wait a little.
   */
  announcePeopleChanges(): void {
    const version = this.localVersion();
    if (version === this.peopleAnnounced) return;
    const structure = `${this.people.structureVersion}/${this.teams.version}`;
    const statusOnly = this.peopleAnnounced !== '' && structure === this.structureAnnounced;
    this.peopleAnnounced = version;
    this.structureAnnounced = structure;
    this.fanOut.publishPeopleChanged(this.peopleRevision(), statusOnly);
  }

  /**
   * The people and teams as they are now, numbered alike on every instance (docs/architecture.md
   * §10): the instance that talks to Zulip numbers each change above the last and above its clock
   * in milliseconds (so a new leader, or a restarted process, never numbers below one before it),
   * and followers take the leader's number with the change. A browser holding a people index of a
   * later revision knows one of an earlier revision comes from an instance behind (§17).
   */
  peopleRevision(): number {
    const of = this.localVersion();
    if (this.revision.of !== of) this.revision = { value: Math.max(this.revision.value + 1, this.clock.now()), of };
    return this.revision.value;
  }

  /** This instance's own count of changes to people and teams (what its caches key on). */
  localVersion(): string {
    return `${this.people.version}/${this.teams.version}`;
  }

  /** Everything a follower needs to show what this instance shows now: only what a member may see. */
  snapshot(meta: ViewMeta, presence: PresenceDiff, keyOf: MemberKeyer): ViewSnapshot {
    return { meta, people: this.people.exportReplica(keyOf), teams: this.teams.exportRecords(), presence };
  }

  /** The leader's snapshot replaces everything; open streams get it as a full diff. (Loaded once caught up with the entries after it.) */
  adoptSnapshot(snapshot: ViewSnapshot, replica: ReplicaSettings): void {
    this.adoptMeta(snapshot.meta);
    // The leader's number even if applying stops part way (the follower then waits for a later
    // snapshot): this instance never numbers the people by its own clock while it follows.
    try {
      this.people.adoptReplica(snapshot.people, replica);
      this.teams.replaceAll(snapshot.teams);
    } finally {
      this.adoptRevision(snapshot.meta.peopleRevision);
    }
    this.presence.adoptChanges(snapshot.presence.changes, true);
    this.log.restartAt(snapshot.presence.version);
    this.announce(snapshot.presence);
  }

  /** One of the leader's entries, in order: the same people and team changes, the same numbered diff. */
  adoptEntry(entry: FeedEntry): void {
    this.adoptMeta(entry.meta);
    try {
      for (const record of entry.people) this.people.applyReplica(record);
      for (const update of entry.teams) this.teams.apply(update);
    } finally {
      this.adoptRevision(entry.meta.peopleRevision);
    }
    if (entry.presence) {
      this.presence.adoptChanges(entry.presence.changes, entry.presence.full);
      this.log.adopt(entry.presence);
      this.announce(entry.presence);
    }
    this.announcePeopleChanges();
  }

  /** The leader's number for the people and teams as they now are here. */
  private adoptRevision(value: number): void {
    this.revision = { value, of: this.localVersion() };
  }

  private adoptMeta(meta: ViewMeta): void {
    this.org = meta.org;
    this.presenceDisabled = meta.presenceDisabled;
    this.thresholdSeconds = meta.thresholdSeconds;
    this.presence.setThreshold(meta.thresholdSeconds);
    const nowMs = this.clock.now();
    this.presence.setServerTime((nowMs + meta.zulipOffsetMs) / 1000, nowMs / 1000);
  }
}
