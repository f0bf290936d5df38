import 'server-only';
import type { ZulipConnection } from '@/lib/server/connection';
import { refreshMs, type DirectorySettings } from '@/lib/server/settings';
import type { UpstreamHealth } from '@/lib/server/upstream-health';
import type { SkippedRecords } from '@/lib/server/skipped-records';
import type { DirectoryData } from '@/lib/server/directory-data';
import { shownPresenceOfEveryone } from '@/lib/server/shown-presence';
import type { FeedWriter, ViewMeta } from '@/lib/server/cluster/feed';
import type { MemberKeyer } from '@/lib/directory/domain/people-store';
import type { PresenceBatch, RegisterSnapshot, UserGroupUpdate, UserPresenceDetail, ZulipUpdate } from '@/lib/zulip/records';
import type { Freshness, PresenceDiff } from '@/lib/directory/domain/types';
import { thresholdsFor } from '@/lib/presence/status';
import { runEventQueue } from '@/lib/zulip/event-queue';
import { ZulipError } from '@/lib/zulip/errors';
import { inertText } from '@/lib/directory/domain/safe-text';
import { safeHttpUrl } from '@/lib/directory/domain/profile-fields';
import { isUserGroupUpdate } from '@/lib/directory/domain/teams-store';
import { emailRuleFor, ROLE_MEMBER } from '@/lib/directory/domain/email-visibility';
import type { Logger } from '@/lib/server/log';
import type { Clock } from '@/lib/clock';

// `realm` brings the presence thresholds and `realm_presence_disabled`; its events are followed
// too, so a change of that setting applies without a restart (docs/zulip.md §e). User groups
// (teams) are fetched as `realm_user_groups` and followed as `user_group` events (docs/zulip.md §n).
// `restart`: a queue outlives an upgrade, and this event alone says the server's level changed.
const REGISTER_EVENT_TYPES = ['realm_user', 'user_status', 'custom_profile_fields', 'presence', 'realm', 'user_group', 'restart'];
const REGISTER_FETCH_TYPES = ['realm_user', 'user_status', 'custom_profile_fields', 'presence', 'realm', 'realm_user_groups'];
/** Zulip's clock may be off from ours by this much before the log says so. */
const CLOCK_SKEW_WORTH_LOGGING_SECONDS = 60;

export interface ZulipSourceParts {
  view: DirectoryData;
  connection: ZulipConnection;
  settings: DirectorySettings;
  health: UpstreamHealth;
  skipped: SkippedRecords;
  logger: Logger;
  /** Where each change goes besides this instance's own view: other instances (cluster/feed.ts). */
  feed: FeedWriter;
  /** How fresh the data is, as every page says it (the runtime adds trouble of its own). */
  freshness: () => Freshness;
  /** How a real address members may not see is sent to followers (cluster/deployment.ts). */
  keyOf: MemberKeyer;
  clock: Clock;
}

/** What a batch of Zulip's events changed, for the followers. */
interface Changes {
  people: Set<number>;
  teams: UserGroupUpdate[];
  /** Every person was derived anew (field definitions, the bot's role): followers take a new snapshot. */
  everyone: boolean;
}

const noChanges = (): Changes => ({ people: new Set(), teams: [], everyone: false });

/**
 * The one part that talks to Zulip in the background: the event queue (register, then long-poll)
 * and the bulk presence poll, writing into the view. One per deployment: one process on its own
 * runs it always; of several instances, only the leader does (docs/architecture.md §10), so the
 * calls to Zulip do not grow with the number of instances or viewers.
 */
export class ZulipSource {
  private readonly stop = new AbortController();
  /** The event queue's loop: over once its queue is deleted (or given up on). */
  private loop: Promise<void> = Promise.resolve();
  private published: { stale: boolean; problem: string | null } = { stale: false, problem: null };
  private registrations = 0;
  /** Registered at least once: until then presence holds what this instance followed, with no raw times to recompute from. */
  private registered = false;
  /** Zulip's last word on presence for the organization (view.presenceDisabled follows once presence is in). */
  private presenceWanted = true;
  private loggedSkewSeconds = 0;
  private loggedBotRole: number | null = null;

  constructor(private readonly parts: ZulipSourceParts) {}

  private get view() {
    return this.parts.view;
  }

  private get health() {
    return this.parts.health;
  }

  private get client() {
    return this.parts.connection.client;
  }

  /** How often presence is polled; also the longest the event queue backs off after a failure. */
  private get refreshMs(): number {
    return refreshMs(this.parts.settings);
  }

  start(): void {
    this.loop = runEventQueue({
      client: this.client,
      signal: this.stop.signal,
      // Backing off longer than the poll interval would make recovery slower than the poll's.
      backoff: { maxMs: this.refreshMs },
      clock: this.parts.clock,
      registerParams: {
        event_types: REGISTER_EVENT_TYPES,
        fetch_event_types: REGISTER_FETCH_TYPES,
        slim_presence: true,
        presence_history_limit_days: 365,
        client_gravatar: false,
        include_subscribers: false,
        // notification_settings_null is required by every Zulip once the object is sent (docs/zulip.md §e).
        // include_deactivated_groups (FL 294+): a deactivated team stays known, hidden, and comes back on reactivation.
        client_capabilities: { notification_settings_null: true, simplified_presence_events: true, user_list_incomplete: true, include_deactivated_groups: true },
      },
      onRegister: (state) => this.loadSnapshot(state),
      onPoll: () => {
        const wasFailing = this.parts.freshness().stale;
        this.health.succeeded('events');
        if (wasFailing) this.publish(false);
      },
      onEvents: (updates) => {
        const changes = noChanges();
        for (const update of updates) this.applyUpdate(update, changes);
        this.publish(false, changes);
      },
      onError: (error) => {
        // A lost queue is routine (Zulip restarted or collected it): the loop registers again at once.
        if (ZulipError.isBadEventQueue(error)) return;
        this.health.failed(error, 'events');
        this.publish(false);
      },
    }).catch((error: unknown) => {
      // runEventQueue handles its own failures; this is a last guard against an unhandled rejection.
      this.health.failed(error, 'events');
    });
    this.schedulePresenceRefresh();
  }

  /** Stops both loops; resolves once the event queue is deleted on the way out (best effort, so Zulip need not wait 10 minutes to collect it). */
  close(): Promise<void> {
    this.stop.abort();
    return this.loop;
  }

  /** A per-person presence answer is newer than the snapshot: fold it in and tell viewers. */
  absorbPresenceDetail(userId: number, detail: UserPresenceDetail): void {
    // Every client row the server keeps: the person's whole state.
    this.applyPresence({ byId: new Map([[userId, detail.record]]), byApiEmail: new Map(), complete: true, serverTimestamp: detail.serverTimestamp });
    this.publish(false);
  }

  /** The small facts followers need with every entry. */
  meta(): ViewMeta {
    return {
      org: this.view.org,
      presenceDisabled: this.view.presenceDisabled,
      thresholdSeconds: this.view.thresholdSeconds,
      zulipOffsetMs: Math.round(this.view.zulipNow() * 1000 - this.parts.clock.now()),
      upstream: this.health.status(),
      skipped: this.parts.skipped.counts(),
      peopleRevision: this.view.peopleRevision(),
    };
  }

  /** Everyone's presence as a full diff at the current version (what a snapshot carries). */
  currentPresence(): PresenceDiff {
    return { version: this.view.log.current, full: true, changes: shownPresenceOfEveryone(this.view), freshness: this.parts.freshness() };
  }

  /** Zulip's realm URL when it is an http(s) URL; else the configured site (links must never be javascript: or data:). */
  private realmUrlFrom(value: string | undefined): string {
    const url = value ? safeHttpUrl(value) : null;
    return (url ?? this.parts.connection.config.site).replace(/\/+$/, '');
  }

  /** A new snapshot from register (at start, and whenever the queue had to be replaced). */
  private loadSnapshot(state: RegisterSnapshot): void {
    const { view, settings, connection, logger } = this.parts;
    view.org = {
      name: settings.DIRECTORY_NAME ?? (state.realm.name ? inertText(state.realm.name) : view.org.name),
      realmUrl: this.realmUrlFrom(state.realm.url ?? undefined),
      zulipVersion: state.zulipVersion,
      featureLevel: state.featureLevel,
      demo: connection.demo,
    };
    view.presenceDisabled = state.realm.presenceDisabled;
    this.presenceWanted = !view.presenceDisabled;
    view.thresholdSeconds = thresholdsFor(state.featureLevel, state.realm).offlineThresholdSeconds;
    view.presence.setThreshold(view.thresholdSeconds);
    view.people.replaceAll({
      users: state.users,
      fields: state.fields,
      statuses: state.statuses,
      realmUrl: view.org.realmUrl,
      // Never more than Zulip shows an ordinary member (docs/zulip.md §f).
      policy: {
        allowGuests: settings.DIRECTORY_ALLOW_GUESTS ?? false,
        emailRule: emailRuleFor(state.featureLevel, state.realm.emailAddressVisibility, state.account.role),
        ownUserId: state.account.userId,
        defaultWorkingHours: settings.DIRECTORY_WORKING_HOURS ?? null,
        hiddenFields: settings.DIRECTORY_HIDDEN_FIELDS ?? [],
      },
    });
    view.teams.replaceAll(state.userGroups);
    this.noteBotRole(state.account.role);
    view.presence.replaceAll(state.presence.byId, state.presence.serverTimestamp);
    // Servers that ignore slim_presence answer in the legacy format, keyed by API email.
    for (const [email, record] of state.presence.byApiEmail) {
      const id = view.people.idForApiEmail(email);
      if (id !== undefined) view.presence.apply(id, record, true);
    }
    this.noteZulipClock();
    this.health.succeeded('events');
    this.registered = true;
    this.nextDiff(true);
    view.markLoaded();
    this.parts.feed.reset();
    logger.info(
      {
        event: this.registrations++ === 0 ? 'zulip_connected' : 'zulip_reregistered',
        site: connection.config.site,
        zulipVersion: state.zulipVersion,
        featureLevel: state.featureLevel,
        people: view.people.list().length,
        presenceDisabled: view.presenceDisabled,
        offlineThresholdSeconds: view.thresholdSeconds,
      },
      `Zulip ${state.zulipVersion} (feature level ${state.featureLevel}) at ${connection.config.site}: ${view.people.list().length} people`,
    );
    // Register has said what time it is on Zulip only since FL 70: ask the presence poll now.
    if (state.presence.serverTimestamp === null && !view.presenceDisabled) void this.refreshPresence().then(() => this.publish(false));
  }

  /** Applies one event, noting in `changes` what followers must apply too. */
  private applyUpdate(update: ZulipUpdate, changes: Changes): void {
    if (isUserGroupUpdate(update)) {
      this.view.teams.apply(update);
      changes.teams.push(update);
      return;
    }
    switch (update.kind) {
      case 'presence_changed':
        this.applyPresence(update.presence);
        return;
      case 'realm_changed':
        // What Zulip says last counts: presence turned back on shows once it is fetched, unless it
        // was turned off again meanwhile.
        if (update.presenceDisabled === !this.presenceWanted) return;
        this.presenceWanted = !update.presenceDisabled;
        this.parts.logger.info({ event: 'presence_setting_changed', presenceDisabled: update.presenceDisabled }, `Zulip says presence is now ${update.presenceDisabled ? 'off' : 'on'} for this organization`);
        if (update.presenceDisabled) {
          this.view.presenceDisabled = true;
          this.publish(true);
          return;
        }
        // Back on: fetched at once, and shown once it is in (pages told sooner would show everyone
        // without presence until the full diff came).
        void this.refreshPresence().then(() => {
          if (!this.presenceWanted || !this.view.presenceDisabled) return;
          this.view.presenceDisabled = false;
          this.publish(true);
        });
        return;
      case 'restart':
        // The event loop registers again when the level changed (lib/zulip/event-queue.ts).
        return;
      default: {
        const rederived = this.view.people.apply(update);
        if (rederived === 'all') changes.everyone = true;
        else for (const id of rederived) changes.people.add(id);
      }
    }
  }

  private applyPresence(batch: PresenceBatch): void {
    const { presence, people } = this.view;
    for (const [id, record] of batch.byId) presence.apply(id, record, batch.complete);
    for (const [email, record] of batch.byApiEmail) {
      const id = people.idForApiEmail(email);
      if (id !== undefined) presence.apply(id, record, batch.complete);
    }
    if (batch.serverTimestamp !== null) {
      presence.setServerTime(batch.serverTimestamp);
      this.noteZulipClock();
    }
  }

  /** Says in the log when the bot may read more than a member (an owner, administrator or moderator bot). */
  private noteBotRole(role: number | null): void {
    if (role === null || role >= ROLE_MEMBER || role === this.loggedBotRole) return;
    this.loggedBotRole = role;
    const name = role <= 100 ? 'owner' : role <= 200 ? 'admin' : 'moderator';
    this.parts.logger.warn(
      { event: 'bot_has_more_rights_than_a_member', role: name },
      `The directory's Zulip bot is an organization ${name}: it can read more than a member (such as hidden email addresses). The directory shows only what members see; a Generic bot with the member role is enough.`,
    );
  }

  /** Says once in the log when Zulip's clock is off from ours (every age is measured on Zulip's). */
  private noteZulipClock(): void {
    const skew = Math.round(this.view.zulipNow() - this.parts.clock.now() / 1000);
    if (Math.abs(skew - this.loggedSkewSeconds) < CLOCK_SKEW_WORTH_LOGGING_SECONDS) return;
    this.loggedSkewSeconds = skew;
    this.parts.logger.warn({ event: 'zulip_clock_skew', skewSeconds: skew }, `Zulip's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} this server's; ages are measured on Zulip's`);
  }

  /** Bulk presence on an interval: 4 calls a minute at the default 15 s, whatever the audience. */
  private schedulePresenceRefresh(): void {
    const tick = async () => {
      if (this.stop.signal.aborted) return;
      try {
        if (this.registered && !this.view.presenceDisabled) await this.refreshPresence();
        // Even without new data, time moves people from active to idle to offline; and the
        // followers hear from the leader at least once a tick (the data's age moves on).
        this.publish(false, noChanges(), true);
      } catch (error) {
        this.health.failed(error, 'presence');
      } finally {
        if (!this.stop.signal.aborted) this.parts.clock.setTimeout(() => void tick(), this.refreshMs).unref();
      }
    };
    this.parts.clock.setTimeout(() => void tick(), this.refreshMs).unref();
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

  /** This instance's viewers, then the followers: what changed (`always`: the facts even when nothing did). */
  private publish(full: boolean, changes: Changes = noChanges(), always = false): void {
    if (this.stop.signal.aborted) return;
    const diff = this.nextDiff(full);
    this.view.announcePeopleChanges();
    // A new leader with nothing yet (it started on an empty Redis) has nothing to tell followers
    // before its first register: its empty view must not replace theirs. (A register loads the view.)
    if (!this.view.loaded) return;
    if (changes.everyone) {
      this.parts.feed.reset();
      return;
    }
    const people = [...changes.people].map((id) => this.view.people.replicaRecord(id, this.parts.keyOf));
    if (diff || people.length > 0 || changes.teams.length > 0 || always) this.parts.feed.publish({ meta: this.meta(), people, teams: changes.teams, presence: diff });
  }

  /** The next numbered diff, told to this instance's viewers; also when only the data's freshness changed (Zulip went away or came back). */
  private nextDiff(full: boolean): PresenceDiff | null {
    const { presence, people, log } = this.view;
    // Before its first register, a new leader has only the states it followed (no raw times):
    // recomputing would clear them; it can only say how fresh the data is.
    const recomputed = this.registered ? presence.recompute(people.list()) : [];
    // With presence off for the organization, what viewers are told carries no one's (shown-presence.ts).
    const changes = this.view.presenceDisabled ? [] : recomputed;
    const freshness = this.parts.freshness();
    const freshnessChanged = freshness.stale !== this.published.stale || freshness.problem !== this.published.problem;
    if (!full && changes.length === 0 && !freshnessChanged) return null;
    this.published = { stale: freshness.stale, problem: freshness.problem };
    const diff = log.append(full ? shownPresenceOfEveryone(this.view) : changes, full, freshness);
    this.view.announce(diff);
    return diff;
  }
}
