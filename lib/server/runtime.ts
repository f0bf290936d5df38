import 'server-only';
import type { ZulipConnection } from '@/lib/server/connection';
import { leaseMs, refreshMs, zulipTimeoutMs, type DirectorySettings } from '@/lib/server/settings';
import { UpstreamHealth } from '@/lib/server/upstream-health';
import type { UserPresenceDetail } from '@/lib/zulip/records';
import type { RecordIssue } from '@/lib/zulip/record-issues';
import type { Freshness } from '@/lib/directory/domain/types';
import type { Logger } from '@/lib/server/log';
import { SkippedRecords } from '@/lib/server/skipped-records';
import { DirectoryData, type ReplicaSettings } from '@/lib/server/directory-data';
import { memberKeyer } from '@/lib/server/cluster/deployment';
import { ZulipSource } from '@/lib/server/zulip-source';
import type { ViewMeta } from '@/lib/server/cluster/feed';
import { soleCoordination, type Coordination } from '@/lib/server/cluster/coordination';
import { systemClock, type Clock, type Timer } from '@/lib/clock';

/** Without a word from the leader for this long (and at least two leases), a follower says its data may be old. */
const LEADER_SILENT_REFRESHES = 3;

/**
 * The directory's server side, assembled from its parts (docs/architecture.md §10):
 * - the view every page, route and stream reads (directory-data.ts);
 * - the Zulip source, the one part that talks to Zulip in the background (zulip-source.ts);
 * - the coordination: alone, this instance is the source's only home; with others (REDIS_URL), a
 *   lease decides which instance runs it and the rest follow its feed (cluster/).
 * One per process, shared by every page, route and viewer, so upstream cost does not grow with
 * the audience, nor with the number of instances.
 */
export class DirectoryRuntime {
  readonly view: DirectoryData;
  readonly health: UpstreamHealth;
  readonly skipped: SkippedRecords;
  private source: ZulipSource | null = null;
  private following: { close(): void } | null = null;
  private leaderMeta: ViewMeta | null = null;
  private lastHeardAt: number;
  /** Bumped at every change of role, so a change that finishes late does not undo a newer one. */
  private term = 0;
  private announced: { stale: boolean; problem: string | null } = { stale: false, problem: null };
  /** A whole wait for the first data ended without it: later requests wait no more (ready()). */
  private waitedOut = false;
  /** Another deployment's identity, once its data turned up under this one's keys: then nothing is led or followed. */
  private foreign: string | null = null;
  /** What this instance adopts from the leader goes by its own settings, never by what Redis says. */
  private readonly replica: ReplicaSettings;
  private stopWatching = () => {};
  private stopRelay = () => {};

  constructor(
    readonly connection: ZulipConnection,
    readonly settings: DirectorySettings,
    readonly logger: Logger,
    readonly coordination: Coordination = soleCoordination('directory'),
    readonly clock: Clock = systemClock,
  ) {
    this.health = new UpstreamHealth(logger, clock);
    this.skipped = new SkippedRecords(logger);
    this.view = new DirectoryData({ name: 'Directory', realmUrl: connection.config.site, zulipVersion: '', featureLevel: 0, demo: connection.demo }, clock);
    this.lastHeardAt = clock.now();
    this.replica = {
      allowGuests: settings.DIRECTORY_ALLOW_GUESTS ?? false,
      keyOf: memberKeyer(connection.config.apiKey),
      hiddenFields: settings.DIRECTORY_HIDDEN_FIELDS ?? [],
    };
  }

  get client() {
    return this.connection.client;
  }
  get loaded(): boolean {
    return this.view.loaded;
  }

  /** How often presence is polled (by the leader); followers hear from it at least this often. */
  private get refreshMs(): number {
    return refreshMs(this.settings);
  }

  start(): void {
    const { coordination } = this;
    if (coordination.reachability) {
      const unsubscribe = coordination.reachability.onChange(() => this.announceFreshness());
      // A follower's data ages without a word when the leader goes quiet: look now and then.
      const timer = this.clock.setInterval(() => this.announceFreshness(), Math.min(this.refreshMs, 5_000));
      timer.unref();
      this.stopWatching = () => {
        unsubscribe();
        this.clock.clearInterval(timer);
      };
    }
    coordination.onForeign((deployment) => this.refuseForeign(deployment));
    coordination.leadership.start({ lead: (fence) => void this.lead(fence), follow: () => this.follow() });
  }

  /**
   * Another deployment's data is under this one's keys (copied or forged: each deployment's keys
   * carry its identity): serve nothing of it, lead nothing, follow nothing; unhealthy until restarted.
   */
  private refuseForeign(deployment: string): void {
    if (this.foreign !== null) return;
    this.foreign = deployment;
    ++this.term;
    void this.stopSource();
    this.following?.close();
    this.following = null;
    this.logger.error(
      { event: 'redis_foreign_deployment', deployment: this.coordination.deployment, found: deployment },
      'Redis holds data of another directory deployment (another Zulip site or bot) under this one\'s keys; this instance will neither lead nor follow it. Give each deployment its own Redis or REDIS_KEY_PREFIX, and restart.',
    );
    this.announceFreshness();
  }

  /** This instance talks to Zulip now: numbering goes on above every version an instance may have served. */
  private async lead(fence: number): Promise<void> {
    if (this.foreign !== null) return;
    const term = ++this.term;
    this.following?.close();
    this.following = null;
    const floor = await this.coordination.presenceVersionFloor();
    if (term !== this.term) return;
    if (floor > this.view.log.current) this.view.log.restartAt(floor);
    this.leaderMeta = null;
    let source: ZulipSource | null = null;
    // Nothing to tell before the view has data (from a register, or followed from a leader before).
    const snapshot = () => (this.view.loaded ? this.view.snapshot(source!.meta(), source!.currentPresence(), this.replica.keyOf) : null);
    const feed = this.coordination.writer(fence, snapshot, () => this.coordination.leadership.stepDown());
    source = new ZulipSource({
      view: this.view,
      connection: this.connection,
      settings: this.settings,
      health: this.health,
      skipped: this.skipped,
      logger: this.logger,
      feed,
      freshness: () => this.freshness(),
      keyOf: this.replica.keyOf,
      clock: this.clock,
    });
    this.source = source;
    this.stopRelay = this.coordination.onRelayedDetail((userId, detail) => source.absorbPresenceDetail(userId, detail));
    source.start();
  }

  /** Stops talking to Zulip; resolves once the event queue is deleted. */
  private stopSource(): Promise<void> {
    this.stopRelay();
    const stopped = this.source?.close();
    this.source = null;
    return stopped ?? Promise.resolve();
  }

  /** Another instance talks to Zulip: take its snapshot and entries. */
  private follow(): void {
    ++this.term;
    void this.stopSource();
    if (this.coordination.mode === 'single' || this.foreign !== null) return;
    this.lastHeardAt = this.clock.now();
    this.following?.close();
    const records = { site: this.connection.config.site, report: (issue: RecordIssue) => this.skipped.report(issue) };
    this.following = this.coordination.follow({
      adoptSnapshot: (snapshot) => {
        this.view.adoptSnapshot(snapshot, this.replica);
        this.adoptMeta(snapshot.meta);
      },
      adoptEntry: (entry) => {
        this.view.adoptEntry(entry);
        this.adoptMeta(entry.meta);
      },
      caughtUp: () => {
        if (!this.view.loaded) this.view.markLoaded();
      },
      onForeign: (deployment) => this.refuseForeign(deployment),
    }, records);
  }

  private adoptMeta(meta: ViewMeta): void {
    this.leaderMeta = meta;
    this.lastHeardAt = this.clock.now();
    this.health.adopt(meta.upstream);
  }

  /**
   * Waits for the first snapshot (from Zulip, or from the leader), but never longer than a Zulip
   * call may take, and not at all once a first attempt has failed: a page must render something
   * (marked stale). A failed attempt is Zulip's failure, the shared store out of reach, or one
   * whole wait without data (a follower whose leader has none yet cannot say why).
   */
  async ready(): Promise<void> {
    if (this.loaded || this.health.lastError !== null || this.waitedOut || this.freshness().stale) return;
    let timer: Timer | undefined;
    let unsubscribe = () => {};
    let stopWatchingStore = () => {};
    await Promise.race([
      this.view.whenLoaded(),
      new Promise<void>((resolve) => {
        timer = this.clock.setTimeout(() => {
          this.waitedOut = !this.loaded;
          resolve();
        }, zulipTimeoutMs(this.settings));
        timer.unref();
        unsubscribe = this.health.onFailure(resolve);
        stopWatchingStore = this.coordination.reachability?.onChange(resolve) ?? (() => {});
      }),
    ]);
    this.clock.clearTimeout(timer);
    unsubscribe();
    stopWatchingStore();
  }

  /** A per-person presence answer is newer than the snapshot: the leader folds it in and tells every viewer. */
  absorbPresenceDetail(userId: number, detail: UserPresenceDetail): void {
    if (this.source) this.source.absorbPresenceDetail(userId, detail);
    else this.coordination.relayDetail(userId, detail);
  }

  /** Zulip's clock now, in Unix seconds: what every "Active N minutes ago" is measured against. */
  zulipNow(): number {
    return this.view.zulipNow();
  }

  /** Zulip's clock minus this server's, in ms (ages are measured on Zulip's, wall-clock answers on ours). */
  zulipAheadMs(): number {
    return Math.round(this.zulipNow() * 1000 - this.clock.now());
  }

  /** Skipped Zulip records by kind: the leader's, since it is the one that reads them. */
  skippedCounts(): ViewMeta['skipped'] {
    return this.leaderMeta?.skipped ?? this.skipped.counts();
  }

  freshness(): Freshness {
    const freshness = this.health.freshness(this.view.presenceDisabled, this.zulipAheadMs());
    const problem = this.clusterProblem();
    return problem ? { ...freshness, stale: true, problem } : freshness;
  }

  /** Trouble of the instances' own, which makes the data stale whatever Zulip says. */
  private clusterProblem(): string | null {
    const { reachability, leadership } = this.coordination;
    if (this.foreign !== null) return 'Redis holds another directory deployment\'s data under this one\'s keys: check REDIS_URL and REDIS_KEY_PREFIX';
    if (reachability && !reachability.reachable) return 'The directory cannot reach its shared store (Redis)';
    if (leadership.status().role === 'follower' && this.loaded) {
      const silentMs = Math.max(LEADER_SILENT_REFRESHES * this.refreshMs, 2 * leaseMs(this.settings));
      if (this.clock.now() - this.lastHeardAt > silentMs) return 'No directory instance is talking to Zulip right now';
    }
    return null;
  }

  /** Who leads, and whether the shared store answers: for /api/health. */
  cluster() {
    const status = this.coordination.leadership.status();
    const reachability = this.coordination.reachability;
    return {
      mode: this.coordination.mode,
      instance: this.coordination.instanceId,
      role: status.role,
      leader: status.leader,
      deployment: this.coordination.deployment,
      /** "foreign_deployment": another deployment's data is under this one's keys, and nothing is led or followed. */
      redis: reachability === null ? null : this.foreign !== null ? ('foreign_deployment' as const) : reachability.reachable ? ('ok' as const) : ('unreachable' as const),
    };
  }

  /**
   * Tells this instance's viewers when its own trouble starts or ends (Redis away, the leader
   * silent): a diff with no changes at the current version, which moves no one's badge.
   */
  private announceFreshness(): void {
    const freshness = this.freshness();
    if (freshness.stale === this.announced.stale && freshness.problem === this.announced.problem) return;
    this.announced = { stale: freshness.stale, problem: freshness.problem };
    this.view.announce({ version: this.view.log.current, full: false, changes: [], freshness });
  }

  /**
   * Stops for good. The lease is given up while the event queue is being deleted, so that another
   * instance leads at once rather than when the lease would expire (docs/architecture.md §10).
   */
  async close(): Promise<void> {
    ++this.term;
    const stopped = this.stopSource();
    this.following?.close();
    this.stopWatching();
    await Promise.all([stopped, this.coordination.close()]);
  }
}
