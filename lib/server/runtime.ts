import 'server-only';
import { openZulipConnection, type ZulipConnection } from '@/lib/server/connection';
import { loadSettings, zulipTimeoutMs, type DirectorySettings } from '@/lib/server/settings';
import { UpstreamHealth } from '@/lib/server/upstream-health';
import { PeopleStore } from '@/lib/directory/people-store';
import { PresenceStore } from '@/lib/presence/presence-store';
import type { PresenceBatch, RegisterSnapshot, UserPresenceDetail, ZulipUpdate } from '@/lib/zulip/records';
import type { IssueSink } from '@/lib/zulip/record-issues';
import { PresenceFanOut } from '@/lib/presence/fan-out';
import { PresenceLog } from '@/lib/presence/presence-log';
import { thresholdsFor } from '@/lib/presence/status';
import { runEventQueue } from '@/lib/zulip/event-queue';
import { ZulipError } from '@/lib/zulip/errors';
import { inertText } from '@/lib/directory/safe-text';
import { safeHttpUrl } from '@/lib/directory/profile-fields';
import { PeopleQueries } from '@/lib/directory/query-people';
import { isUserGroupUpdate, TeamsStore } from '@/lib/directory/teams-store';
import type { Freshness, OrganizationInfo } from '@/lib/directory/types';
import { appLogger, type Logger } from '@/lib/server/log';
import { SkippedRecords } from '@/lib/server/skipped-records';
import { emailRuleFor, ROLE_MEMBER } from '@/lib/directory/email-visibility';
import { provideAvatarOrigins } from '@/lib/http/avatar-origins';

// `realm` brings the presence thresholds and `realm_presence_disabled`; its events are followed
// too, so a change of that setting applies without a restart (docs/zulip.md §e). User groups
// (teams) are fetched as `realm_user_groups` and followed as `user_group` events (docs/zulip.md §n).
const REGISTER_EVENT_TYPES = ['realm_user', 'user_status', 'custom_profile_fields', 'presence', 'realm', 'user_group'];
const REGISTER_FETCH_TYPES = ['realm_user', 'user_status', 'custom_profile_fields', 'presence', 'realm', 'realm_user_groups'];
/** Zulip's clock may be off from ours by this much before the log says so. */
const CLOCK_SKEW_WORTH_LOGGING_SECONDS = 60;

/**
 * The directory's server side: one connection to Zulip, the people and presence stores, the
 * event-queue loop and the presence poller. One per process, shared by every page, route and
 * viewer, so upstream cost does not grow with the audience.
 */
export class DirectoryRuntime {
  readonly people = new PeopleStore();
  readonly presence = new PresenceStore(200);
  readonly fanOut = new PresenceFanOut();
  readonly log = new PresenceLog();
  readonly health: UpstreamHealth;
  readonly skipped: SkippedRecords;
  readonly teams = new TeamsStore();
  readonly queries = new PeopleQueries(this.people, this.presence, this.teams);
  org: OrganizationInfo = { name: 'Directory', realmUrl: '', zulipVersion: '', featureLevel: 0, demo: false };
  presenceDisabled = false;
  thresholdSeconds = 200;
  private firstLoad: Promise<void>;
  private markLoaded!: () => void;
  private stop = new AbortController();
  private published: { stale: boolean; problem: string | null } = { stale: false, problem: null };
  private registrations = 0;
  private loggedSkewSeconds = 0;
  private loggedBotRole: number | null = null;
  private withdrawAvatarOrigins = () => {};

  constructor(
    readonly connection: ZulipConnection,
    readonly settings: DirectorySettings,
    readonly logger: Logger = appLogger(),
  ) {
    this.health = new UpstreamHealth(logger);
    this.skipped = new SkippedRecords(logger);
    this.firstLoad = new Promise((resolve) => (this.markLoaded = resolve));
    this.org.demo = connection.demo;
    this.org.realmUrl = connection.config.site;
  }

  get client() {
    return this.connection.client;
  }

  /** How often presence is polled; also the longest the event queue backs off after a failure. */
  private get refreshMs(): number {
    return this.settings.PRESENCE_REFRESH_SECONDS * 1000;
  }

  start(): void {
    // The Content-Security-Policy allows avatars from where this organization's avatars are.
    this.withdrawAvatarOrigins = provideAvatarOrigins(() => this.people.avatarOrigins());
    runEventQueue({
      client: this.client,
      signal: this.stop.signal,
      // Backing off longer than the poll interval would make recovery slower than the poll's.
      backoff: { maxMs: this.refreshMs },
      registerParams: {
        event_types: REGISTER_EVENT_TYPES,
        fetch_event_types: REGISTER_FETCH_TYPES,
        slim_presence: true,
        presence_history_limit_days: 365,
        client_gravatar: false,
        include_subscribers: false,
        // include_deactivated_groups (FL 294+): a deactivated team stays known, hidden, and comes back on reactivation.
        client_capabilities: { simplified_presence_events: true, user_list_incomplete: true, include_deactivated_groups: true },
      },
      onRegister: (state) => this.loadSnapshot(state),
      onPoll: () => {
        const wasFailing = this.freshness().stale;
        this.health.succeeded('events');
        if (wasFailing) this.publishPresence(false);
      },
      onEvents: (updates) => {
        for (const update of updates) this.applyUpdate(update);
        this.publishPresence(false);
      },
      onError: (error) => {
        // A lost queue is routine (Zulip restarted or collected it): the loop registers again at once.
        if (ZulipError.isBadEventQueue(error)) return;
        this.health.failed(error, 'events');
        this.publishPresence(false);
      },
    }).catch((error: unknown) => {
      // runEventQueue handles its own failures; this is a last guard against an unhandled rejection.
      this.health.failed(error, 'events');
    });
    this.schedulePresenceRefresh();
  }

  /**
   * Waits for the first snapshot from Zulip, but never longer than a Zulip call may take, and
   * not at all once a first attempt has failed: a page must render something (marked stale).
   */
  async ready(): Promise<void> {
    // Loaded, or already known to be failing: no reason to wait.
    if (this.loaded || this.health.lastError !== null) return;
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    await Promise.race([
      this.firstLoad,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, zulipTimeoutMs(this.settings));
        timer.unref();
        unsubscribe = this.health.onFailure(resolve);
      }),
    ]);
    clearTimeout(timer);
    unsubscribe();
  }

  /** Zulip's realm URL when it is an http(s) URL; else the configured site (links must never be javascript: or data:). */
  private realmUrlFrom(value: string | undefined): string {
    const url = value ? safeHttpUrl(value) : null;
    return (url ?? this.connection.config.site).replace(/\/+$/, '');
  }

  get loaded(): boolean {
    return this.health.lastSuccessAt !== null;
  }

  /** A new snapshot from register (at start, and whenever the queue had to be replaced). */
  private loadSnapshot(state: RegisterSnapshot): void {
    this.org = {
      name: this.settings.DIRECTORY_NAME ?? (state.realm.name ? inertText(state.realm.name) : this.org.name),
      realmUrl: this.realmUrlFrom(state.realm.url ?? undefined),
      zulipVersion: state.zulipVersion,
      featureLevel: state.featureLevel,
      demo: this.connection.demo,
    };
    this.presenceDisabled = state.realm.presenceDisabled;
    this.thresholdSeconds = thresholdsFor(state.featureLevel, state.realm).offlineThresholdSeconds;
    this.presence.setThreshold(this.thresholdSeconds);
    this.people.replaceAll({
      users: state.users,
      fields: state.fields,
      statuses: state.statuses,
      realmUrl: this.org.realmUrl,
      // Never more than Zulip shows an ordinary member (docs/zulip.md §f).
      policy: {
        allowGuests: this.settings.DIRECTORY_ALLOW_GUESTS ?? false,
        emailRule: emailRuleFor(state.featureLevel, state.realm.emailAddressVisibility, state.account.role),
        ownUserId: state.account.userId,
      },
    });
    this.teams.replaceAll(state.userGroups);
    this.noteBotRole(state.account.role);
    this.presence.replaceAll(state.presence.byId, state.presence.serverTimestamp);
    // Servers that ignore slim_presence answer in the legacy format, keyed by API email.
    for (const [email, record] of state.presence.byApiEmail) {
      const id = this.people.idForApiEmail(email);
      if (id !== undefined) this.presence.apply(id, record, true);
    }
    this.noteZulipClock();
    this.health.succeeded('events');
    this.publishPresence(true);
    this.markLoaded();
    this.logger.info(
      {
        event: this.registrations++ === 0 ? 'zulip_connected' : 'zulip_reregistered',
        site: this.connection.config.site,
        zulipVersion: state.zulipVersion,
        featureLevel: state.featureLevel,
        people: this.people.list().length,
        presenceDisabled: this.presenceDisabled,
        offlineThresholdSeconds: this.thresholdSeconds,
      },
      `Zulip ${state.zulipVersion} (feature level ${state.featureLevel}) at ${this.connection.config.site}: ${this.people.list().length} people`,
    );
    // Register has said what time it is on Zulip only since FL 70: ask the presence poll now.
    if (state.presence.serverTimestamp === null && !this.presenceDisabled) void this.refreshPresence().then(() => this.publishPresence(false));
  }

  private applyUpdate(update: ZulipUpdate): void {
    if (isUserGroupUpdate(update)) {
      this.teams.apply(update);
      return;
    }
    switch (update.kind) {
      case 'presence_changed':
        this.applyPresence(update.presence);
        return;
      case 'realm_changed':
        if (update.presenceDisabled === this.presenceDisabled) return;
        this.presenceDisabled = update.presenceDisabled;
        this.logger.info({ event: 'presence_setting_changed', presenceDisabled: update.presenceDisabled }, `Zulip says presence is now ${update.presenceDisabled ? 'off' : 'on'} for this organization`);
        // Back on: fetch at once rather than at the next tick.
        if (!update.presenceDisabled) void this.refreshPresence().then(() => this.publishPresence(true));
        else this.publishPresence(true);
        return;
      case 'restart':
        return;
      default:
        this.people.apply(update);
    }
  }

  private applyPresence(batch: PresenceBatch): void {
    for (const [id, record] of batch.byId) this.presence.apply(id, record, batch.complete);
    for (const [email, record] of batch.byApiEmail) {
      const id = this.people.idForApiEmail(email);
      if (id !== undefined) this.presence.apply(id, record, batch.complete);
    }
    if (batch.serverTimestamp !== null) {
      this.presence.setServerTime(batch.serverTimestamp);
      this.noteZulipClock();
    }
  }

  /** A per-person presence answer is newer than the snapshot: fold it in and tell viewers. */
  absorbPresenceDetail(userId: number, detail: UserPresenceDetail): void {
    // Every client row the server keeps: the person's whole state.
    this.applyPresence({ byId: new Map([[userId, detail.record]]), byApiEmail: new Map(), complete: true, serverTimestamp: detail.serverTimestamp });
    this.publishPresence(false);
  }

  /** Says in the log when the bot may read more than a member (an owner, administrator or moderator bot). */
  private noteBotRole(role: number | null): void {
    if (role === null || role >= ROLE_MEMBER || role === this.loggedBotRole) return;
    this.loggedBotRole = role;
    const name = role <= 100 ? 'owner' : role <= 200 ? 'admin' : 'moderator';
    this.logger.warn(
      { event: 'bot_has_more_rights_than_a_member', role: name },
      `The directory's Zulip bot is an organization ${name}: it can read more than a member (such as hidden email addresses). The directory shows only what members see; a Generic bot with the member role is enough.`,
    );
  }

  /** Says once in the log when Zulip's clock is off from ours (every age is measured on Zulip's). */
  private noteZulipClock(): void {
    const skew = Math.round(this.presence.serverNow() - Date.now() / 1000);
    if (Math.abs(skew - this.loggedSkewSeconds) < CLOCK_SKEW_WORTH_LOGGING_SECONDS) return;
    this.loggedSkewSeconds = skew;
    this.logger.warn({ event: 'zulip_clock_skew', skewSeconds: skew }, `Zulip's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} this server's; ages are measured on Zulip's`);
  }

  /** Zulip's clock now, in Unix seconds: what every "Active N minutes ago" is measured against. */
  zulipNow(): number {
    return this.presence.serverNow();
  }

  freshness(): Freshness {
    return this.health.freshness(this.presenceDisabled, this.zulipNow() * 1000 - Date.now());
  }

  close(): void {
    this.stop.abort();
    this.withdrawAvatarOrigins();
  }

  /** Bulk presence on an interval: 4 calls a minute at the default 15 s, whatever the audience. */
  private schedulePresenceRefresh(): void {
    const tick = async () => {
      if (this.stop.signal.aborted) return;
      try {
        if (this.loaded && !this.presenceDisabled) await this.refreshPresence();
        // Even without new data, time moves people from active to idle to offline.
        this.publishPresence(false);
      } catch (error) {
        this.health.failed(error, 'presence');
      } finally {
        if (!this.stop.signal.aborted) setTimeout(() => void tick(), this.refreshMs).unref();
      }
    };
    setTimeout(() => void tick(), this.refreshMs).unref();
  }

  private async refreshPresence(): Promise<void> {
    try {
      this.applyPresence(await this.client.getRealmPresence({ priority: 'background', signal: this.stop.signal }));
      this.health.presenceRefreshed();
    } catch (error) {
      if (this.stop.signal.aborted) return;
      this.health.failed(error, 'presence');
    }
  }

  /** Tells every viewer what changed, and also when only the data's freshness did (Zulip went away or came back). */
  private publishPresence(full: boolean): void {
    const changes = this.presence.recompute(this.people.list().map((p) => p.id));
    const freshness = this.freshness();
    const freshnessChanged = freshness.stale !== this.published.stale || freshness.problem !== this.published.problem;
    if (!full && changes.length === 0 && !freshnessChanged) return;
    this.published = { stale: freshness.stale, problem: freshness.problem };
    const diff = this.log.append(full ? this.presence.all() : changes, full, freshness);
    this.fanOut.publish(diff);
  }
}

const GLOBAL_KEY = Symbol.for('zulip-directory.runtime');
type GlobalWithRuntime = typeof globalThis & { [GLOBAL_KEY]?: Promise<DirectoryRuntime> };

/** The process-wide runtime, started on first use (kept on globalThis so dev reloads reuse it). */
export function getRuntime(): Promise<DirectoryRuntime> {
  const g = globalThis as GlobalWithRuntime;
  g[GLOBAL_KEY] ??= (async () => {
    const settings = loadSettings();
    // The client reports skipped records to the runtime, which exists only once the client does.
    let onRecordIssue: IssueSink = () => {};
    const connection = await openZulipConnection(process.env, { timeoutMs: zulipTimeoutMs(settings), onRecordIssue: (issue) => onRecordIssue(issue) });
    const runtime = new DirectoryRuntime(connection, settings);
    onRecordIssue = (issue) => runtime.skipped.report(issue);
    runtime.start();
    return runtime;
  })();
  g[GLOBAL_KEY].catch(() => {
    // A failed start (bad configuration) is reported to the caller; the next request retries.
    delete g[GLOBAL_KEY];
  });
  return g[GLOBAL_KEY];
}

/** The runtime once its first snapshot is in (or the wait ran out). */
export async function getDirectory(): Promise<DirectoryRuntime> {
  const runtime = await getRuntime();
  await runtime.ready();
  return runtime;
}
