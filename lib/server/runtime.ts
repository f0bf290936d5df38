import 'server-only';
import { openZulipConnection, type ZulipConnection } from '@/lib/server/connection';
import { loadSettings, zulipTimeoutMs, type DirectorySettings } from '@/lib/server/settings';
import { UpstreamHealth } from '@/lib/server/upstream-health';
import { PeopleStore, type DirectoryEvent } from '@/lib/directory/people-store';
import { PresenceStore, type LegacyClientPresence, type ModernPresence } from '@/lib/presence/presence-store';
import type { RegisterResponse } from '@/lib/zulip/schemas';
import { PresenceFanOut } from '@/lib/presence/fan-out';
import { PresenceLog } from '@/lib/presence/presence-log';
import { thresholdsFor } from '@/lib/presence/status';
import { runEventQueue } from '@/lib/zulip/event-queue';
import { ZulipError } from '@/lib/zulip/errors';
import { inertText } from '@/lib/directory/safe-text';
import { safeHttpUrl } from '@/lib/directory/profile-fields';
import { PeopleQueries } from '@/lib/directory/query-people';
import { registerUsers } from '@/lib/directory/to-person';
import type { Freshness, OrganizationInfo } from '@/lib/directory/types';

const REGISTER_EVENT_TYPES = ['realm_user', 'user_status', 'custom_profile_fields', 'presence'];

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
  readonly health = new UpstreamHealth();
  readonly queries = new PeopleQueries(this.people, this.presence);
  org: OrganizationInfo = { name: 'Directory', realmUrl: '', zulipVersion: '', featureLevel: 0, demo: false };
  presenceDisabled = false;
  thresholdSeconds = 200;
  private firstLoad: Promise<void>;
  private markLoaded!: () => void;
  private stop = new AbortController();
  private published: { stale: boolean; problem: string | null } = { stale: false, problem: null };

  constructor(
    readonly connection: ZulipConnection,
    readonly settings: DirectorySettings,
  ) {
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
    runEventQueue({
      client: this.client,
      signal: this.stop.signal,
      // Backing off longer than the poll interval would make recovery slower than the poll's.
      backoff: { maxMs: this.refreshMs },
      registerParams: {
        event_types: REGISTER_EVENT_TYPES,
        fetch_event_types: [...REGISTER_EVENT_TYPES, 'realm'],
        slim_presence: true,
        presence_history_limit_days: 365,
        client_gravatar: false,
        include_subscribers: false,
        client_capabilities: { simplified_presence_events: true, user_list_incomplete: true },
      },
      onRegister: (state) => {
        this.org = {
          name: this.settings.DIRECTORY_NAME ?? (state.realm_name ? inertText(state.realm_name) : this.org.name),
          realmUrl: this.realmUrlFrom(state.realm_url ?? state.realm_uri),
          zulipVersion: state.zulip_version,
          featureLevel: state.zulip_feature_level,
          demo: this.connection.demo,
        };
        this.presenceDisabled = state.realm_presence_disabled ?? false;
        this.thresholdSeconds = thresholdsFor(state.zulip_feature_level, state).offlineThresholdSeconds;
        this.presence.setThreshold(this.thresholdSeconds);
        this.people.replaceAll({
          users: registerUsers(state.realm_users, state.realm_non_active_users),
          fields: state.custom_profile_fields ?? [],
          statuses: state.user_status ?? {},
          realmUrl: this.org.realmUrl,
        });
        this.loadRegisterPresence(state.presences ?? {}, state.server_timestamp ?? Date.now() / 1000);
        this.health.succeeded('events');
        this.publishPresence(true);
        this.markLoaded();
      },
      onPoll: () => {
        const wasFailing = this.freshness().stale;
        this.health.succeeded('events');
        if (wasFailing) this.publishPresence(false);
      },
      onEvents: (events) => {
        let presenceChanged = false;
        for (const event of events) {
          if (event.type === 'presence') {
            presenceChanged = true;
            if ('presences' in event && event.presences) this.presence.mergeModern(event.presences);
            else if ('user_id' in event && event.presence) this.presence.mergeLegacy(event.user_id, event.presence);
          } else if (event.type === 'realm_user' || event.type === 'user_status' || event.type === 'custom_profile_fields') {
            this.people.applyEvent(event as DirectoryEvent);
            presenceChanged = true;
          }
        }
        if (presenceChanged) this.publishPresence(false);
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

  /** Register answers in the modern format (keyed by id) when asked; older servers send legacy (keyed by email). */
  private loadRegisterPresence(presences: NonNullable<RegisterResponse['presences']>, serverTimestamp: number): void {
    const modern: Record<string, ModernPresence> = {};
    const legacy: Array<[number, Record<string, LegacyClientPresence>]> = [];
    for (const [key, entry] of Object.entries(presences)) {
      if (typeof entry.active_timestamp === 'number' && typeof entry.idle_timestamp === 'number') {
        modern[key] = { active_timestamp: entry.active_timestamp, idle_timestamp: entry.idle_timestamp };
      } else {
        const id = this.people.idForApiEmail(key);
        if (id !== undefined) legacy.push([id, entry as Record<string, LegacyClientPresence>]);
      }
    }
    this.presence.replaceAll(modern, serverTimestamp);
    for (const [id, clients] of legacy) this.presence.mergeLegacy(id, clients);
  }

  /** A per-person presence answer is newer than the snapshot: fold it in and tell viewers. */
  absorbPresenceDetail(userId: number, response: { presence: Record<string, unknown> }): void {
    const { active_timestamp, idle_timestamp, ...clients } = response.presence;
    if (typeof active_timestamp === 'number' && typeof idle_timestamp === 'number') {
      this.presence.mergeModern({ [userId]: { active_timestamp, idle_timestamp } });
    } else {
      const legacy: Record<string, LegacyClientPresence> = {};
      for (const [client, entry] of Object.entries(clients)) {
        const e = entry as Partial<LegacyClientPresence> | null;
        if (e && typeof e.status === 'string' && typeof e.timestamp === 'number') legacy[client] = { status: e.status, timestamp: e.timestamp };
      }
      this.presence.mergeLegacy(userId, legacy);
    }
    this.publishPresence(false);
  }

  freshness(): Freshness {
    return this.health.freshness(this.presenceDisabled);
  }

  close(): void {
    this.stop.abort();
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
      const { server_timestamp, presences } = await this.client.getRealmPresence({ priority: 'background', signal: this.stop.signal });
      for (const [email, clients] of Object.entries(presences)) {
        const id = this.people.idForApiEmail(email);
        if (id !== undefined) this.presence.mergeLegacy(id, clients);
      }
      this.presence.setServerTime(server_timestamp);
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
    const runtime = new DirectoryRuntime(await openZulipConnection(process.env, { timeoutMs: zulipTimeoutMs(settings) }), settings);
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
