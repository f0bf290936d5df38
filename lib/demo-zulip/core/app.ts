// The demo realm's actions: every change (a presence report, a status, a new or changed user, a
// realm setting) goes through here, so it updates the state, invalidates cached payloads and
// sends the events Zulip would send, to the queues Zulip would send them to.
import type { DemoOrganization, DemoProfileField, DemoUser, DemoUserStatus, RealmEmailVisibility } from '../types';
import { EventQueues, type EventQueue, type NewEvent } from './event-queues';
import { RateLimiter } from '../http/rate-limit';
import { consolidateClient } from '../http/user-agent';
import { escapeHtml } from './html';
import { hidePresence, togglingRewritesPresence } from './invisible-mode';
import { presenceEventFor, realmTooBigForPresenceEvents, reportTriggersEvent } from './presence-events';
import { DemoState, EMAIL_VISIBILITY_CODES } from './state';
import { avatarUrl, formatUser, profileData, UsersListCache } from './users-format';
import { DemoUserGroups } from './user-groups';
import { FL } from './versions';

export interface AppOptions {
  featureLevel: number;
  /** Current time in milliseconds (Date.now unless a test drives the clock). */
  clock: () => number;
  /**
   * How far the server's own clock is off, in seconds: every time it reports (and stores) is
   * shifted by this, as on a Zulip server whose clock is wrong (docs/zulip-versions.md §7).
   */
  clockOffsetSeconds?: number;
  heartbeatMs: () => number;
}

export interface UserPatch {
  full_name?: string;
  is_active?: boolean;
  timezone?: string;
  role?: DemoUser['role'];
  presence_enabled?: boolean;
  email_visibility?: DemoUser['email_visibility'];
  avatar_source?: DemoUser['avatar_source'];
  /** Field id → new value, or null to clear it. */
  profile_data?: Record<string, string | null>;
}

export class DemoApp {
  readonly state: DemoState;
  readonly queues: EventQueues;
  readonly usersList: UsersListCache;
  /** User groups and their `user_group` events (user-groups.ts). */
  readonly groups: DemoUserGroups;
  /** Unix seconds when the server started (Zulip's `server_generation`). */
  readonly startedAt: number;
  /** Zulip's `authenticate_by_username` rule: 5 sign-in attempts per 30 minutes per user name. */
  readonly authLimiter = new RateLimiter(5, 30 * 60);

  constructor(
    org: DemoOrganization,
    private readonly opts: AppOptions,
  ) {
    this.state = new DemoState(org, opts.featureLevel);
    this.usersList = new UsersListCache(this.state);
    this.queues = new EventQueues({ clock: () => this.now(), heartbeatMs: opts.heartbeatMs });
    this.groups = new DemoUserGroups(this.state, this.queues, (userId) => this.isActiveUser(userId));
    this.startedAt = this.now();
  }

  get featureLevel(): number {
    return this.opts.featureLevel;
  }

  /** The server's clock: Unix seconds, fractional, including the configured clock offset. */
  now(): number {
    return this.realNow() + this.clockOffset;
  }

  /** The true time (no offset): when simulated people actually act. */
  realNow(): number {
    return this.opts.clock() / 1000;
  }

  /** Seconds the server's clock is ahead of the true time (negative: behind). */
  get clockOffset(): number {
    return this.opts.clockOffsetSeconds ?? 0;
  }

  private isActiveUser = (userId: number): boolean => this.state.usersById.get(userId)?.is_active === true;

  private usersChanged(): void {
    this.state.usersVersion++;
  }

  // --- presence ------------------------------------------------------------------------------

  /**
   * A presence report from one of `user`'s clients. Nothing is stored for users who hide their
   * availability. Whether a presence event goes out follows the level's rule
   * (presence-events.ts), unless the realm has presence disabled or is too big for events.
   */
  reportPresence(user: DemoUser, client: string, status: 'active' | 'idle', now = this.now()): void {
    if (!user.presence_enabled) return;
    const outcome = this.state.presence.report(user.user_id, client, status, now);
    if (reportTriggersEvent(this.featureLevel, outcome)) this.sendPresenceEvent(user, consolidateClient(client), now, false);
  }

  /** Sends the presence event for `user`'s stored row; `force` (settings changes) skips the realm checks. */
  private sendPresenceEvent(user: DemoUser, client: string, now: number, force: boolean): void {
    if (!force && (this.state.presenceDisabled || realmTooBigForPresenceEvents(this.featureLevel, this.state.activeUserCount()))) return;
    const row = this.state.presence.get(user.user_id);
    if (!row) return;
    const source = { featureLevel: this.featureLevel, user, email: this.state.apiEmail(user), row, client, dateJoined: this.state.dateJoined(user), now };
    this.queues.send('presence', this.isActiveUser, (queue) => presenceEventFor(queue.settings, source));
  }

  // --- user status ---------------------------------------------------------------------------

  /** POST /users/me/status after validation: stores the changed keys and sends `user_status`. */
  updateStatus(user: DemoUser, change: { away?: boolean; status_text?: string; emoji?: { emoji_name: string; emoji_code: string; reaction_type: string } }): void {
    const status: DemoUserStatus = { ...user.status };
    if (change.status_text !== undefined) {
      if (change.status_text) status.status_text = change.status_text;
      else delete status.status_text;
    }
    if (change.emoji) {
      if (change.emoji.emoji_name) {
        status.emoji_name = change.emoji.emoji_name;
        status.emoji_code = change.emoji.emoji_code;
        status.reaction_type = change.emoji.reaction_type as DemoUserStatus['reaction_type'];
      } else {
        delete status.emoji_name;
        delete status.emoji_code;
        delete status.reaction_type;
      }
    }
    user.status = status;
    this.statusRows.add(user.user_id);
    if (change.away !== undefined) {
      if (this.featureLevel >= FL.AWAY_IS_PRESENCE_ENABLED) this.setPresenceEnabled(user, !change.away, false);
      else if (change.away) this.awayStatuses.add(user.user_id);
      else this.awayStatuses.delete(user.user_id);
    }
    const event: NewEvent = { type: 'user_status', user_id: user.user_id };
    if (change.away !== undefined) event.away = change.away;
    if (change.status_text !== undefined) event.status_text = change.status_text;
    if (change.emoji) Object.assign(event, change.emoji);
    this.queues.send('user_status', this.isActiveUser, () => ({ ...event }));
  }

  /** Users who ever set a status through the API have a UserStatus row even if it is now empty. */
  readonly statusRows = new Set<number>();
  /** Before FL 148: who marked themself away, a flag of the status row apart from presence_enabled. */
  private readonly awayStatuses = new Set<number>();

  /**
   * Zulip's `format_user_status`: only non-empty keys, plus `away`: the status row's own flag
   * before FL 148, from then the deprecated mirror of the setting, `away = !presence_enabled`.
   */
  formatStatus(user: DemoUser): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const away = this.featureLevel >= FL.AWAY_IS_PRESENCE_ENABLED ? !user.presence_enabled : this.awayStatuses.has(user.user_id);
    if (away) out.away = true;
    if (user.status.status_text) out.status_text = user.status.status_text;
    if (user.status.emoji_name && this.featureLevel >= FL.STATUS_EMOJI) {
      out.emoji_name = user.status.emoji_name;
      out.emoji_code = user.status.emoji_code ?? '';
      out.reaction_type = user.status.reaction_type ?? 'unicode_emoji';
    }
    return out;
  }

  /** Whether the user has a UserStatus row (generated statuses count as rows). */
  hasStatusRow(user: DemoUser): boolean {
    return this.statusRows.has(user.user_id) || Object.keys(user.status).length > 0;
  }

  // --- users -----------------------------------------------------------------------------------

  /** A new account (demo control surface): indexed, cached lists dropped, `realm_user` add sent. */
  createUser(user: DemoUser): void {
    this.state.org.users.push(user);
    this.state.org.users.sort((a, b) => a.user_id - b.user_id);
    this.state.index(user);
    this.state.nextUserId = Math.max(this.state.nextUserId, user.user_id + 1);
    this.usersChanged();
    this.sendUserAdd(user, true);
  }

  /**
   * A `realm_user` add: Zulip's `notify_created_user` sends the account with empty `profile_data`
   * ("initial values are expected to be added in a later event"), for a new account and, before
   * FL 222, for a reactivated one that keeps its values. A new account made with values gets
   * them as the updates that follow, as when they are set right after it is made.
   */
  private sendUserAdd(user: DemoUser, created: boolean): void {
    this.queues.send('realm_user', this.isActiveUser, (queue) => ({
      type: 'realm_user',
      op: 'add',
      person: this.personFor(queue, user),
    }));
    if (!created) return;
    for (const [fieldId, entry] of Object.entries(profileData(this.state, user))) {
      this.queues.send('realm_user', this.isActiveUser, () => ({
        type: 'realm_user',
        op: 'update',
        person: { user_id: user.user_id, custom_profile_field: { id: Number(fieldId), ...entry } },
      }));
    }
  }

  /** The user object in a `realm_user` add event, as the queue's owner may see it. */
  private personFor(queue: EventQueue, user: DemoUser): Record<string, unknown> {
    const viewer = this.state.usersById.get(queue.settings.userId) ?? user;
    const person = formatUser(this.state, viewer, user, { clientGravatar: false, includeCustomProfileFields: false });
    if (!user.is_bot) person.profile_data = {};
    return person;
  }

  /** Applies a change to a user and sends one `realm_user` event per changed key group. */
  updateUser(user: DemoUser, patch: UserPatch): void {
    const updates: Array<Record<string, unknown>> = [];
    if (patch.full_name !== undefined && patch.full_name !== user.full_name) {
      user.full_name = patch.full_name;
      updates.push({ full_name: user.full_name });
    }
    if (patch.timezone !== undefined && patch.timezone !== user.timezone) {
      user.timezone = patch.timezone;
      updates.push({ email: this.state.apiEmail(user), timezone: user.timezone });
    }
    let oldRole: number | null = null;
    if (patch.role !== undefined && patch.role !== user.role) {
      oldRole = user.role;
      user.role = patch.role;
      updates.push({ role: user.role });
    }
    if (patch.email_visibility !== undefined && patch.email_visibility !== user.email_visibility) {
      this.setEmailVisibility(user, patch.email_visibility);
    }
    // 'U' again is a new picture uploaded: a new version, as Zulip's do_change_avatar_fields makes.
    if (patch.avatar_source !== undefined && (patch.avatar_source !== user.avatar_source || patch.avatar_source === 'U')) {
      user.avatar_source = patch.avatar_source;
      user.avatar_version += 1;
      updates.push({
        avatar_source: user.avatar_source,
        avatar_url: avatarUrl(this.state, user, { clientGravatar: false }),
        avatar_url_medium: avatarUrl(this.state, user, { clientGravatar: false, medium: true }),
        avatar_version: user.avatar_version,
      });
    }
    for (const [fieldId, value] of Object.entries(patch.profile_data ?? {})) {
      if (value === null) {
        delete user.profile_data[fieldId];
        updates.push({ custom_profile_field: { id: Number(fieldId), value: null } });
      } else {
        const field = this.state.org.profileFields.find((f) => String(f.id) === fieldId);
        const rendered = field && (field.type === 1 || field.type === 2) ? { rendered_value: `<p>${escapeHtml(value)}</p>` } : {};
        user.profile_data[fieldId] = { value, ...rendered };
        updates.push({ custom_profile_field: { id: Number(fieldId), value, ...rendered } });
      }
    }
    if (patch.presence_enabled !== undefined) this.setPresenceEnabled(user, patch.presence_enabled, true);
    // presence_enabled is not part of user objects, so only real changes drop cached user lists.
    if (updates.length > 0) this.usersChanged();
    for (const person of updates) {
      this.queues.send('realm_user', this.isActiveUser, () => ({ type: 'realm_user', op: 'update', person: { user_id: user.user_id, ...person } }));
    }
    if (oldRole !== null) this.groups.roleChanged(user, oldRole);
    if (patch.is_active !== undefined && patch.is_active !== user.is_active) this.setActive(user, patch.is_active);
  }

  /**
   * A person's own `email_address_visibility` (FL 163+), as zerver/actions/user_settings.py
   * do_change_user_setting sends it: `delivery_email` (the address, or null) to each user who
   * gains or loses access (send_delivery_email_update_events), then, when "everyone" is the old
   * or the new level, the new API email to everyone (send_user_email_update_event).
   */
  private setEmailVisibility(user: DemoUser, value: DemoUser['email_visibility']): void {
    const before = new Map<number, boolean>();
    for (const viewer of this.state.org.users) if (viewer.is_active) before.set(viewer.user_id, this.state.canSeeDeliveryEmail(viewer, user));
    const wasPublic = this.state.emailVisibility(user) === 'everyone';
    this.state.unindex(user);
    user.email_visibility = value;
    this.state.index(user);
    this.usersChanged();
    this.queues.send('realm_user', this.isActiveUser, (queue) => {
      const viewer = this.state.usersById.get(queue.settings.userId);
      if (!viewer) return null;
      const sees = this.state.canSeeDeliveryEmail(viewer, user);
      if (before.get(viewer.user_id) === sees) return null;
      return { type: 'realm_user', op: 'update', person: { user_id: user.user_id, delivery_email: sees ? user.delivery_email : null } };
    });
    if (wasPublic !== (this.state.emailVisibility(user) === 'everyone')) {
      this.queues.send('realm_user', this.isActiveUser, () => ({ type: 'realm_user', op: 'update', person: { user_id: user.user_id, new_email: this.state.apiEmail(user) } }));
    }
  }

  /** Replaces a user's API key: the old one stops working at once (Zulip's "Generate new API key"). */
  setApiKey(user: DemoUser, apiKey: string): void {
    this.state.unindex(user);
    user.api_key = apiKey;
    this.state.index(user);
  }

  /** Deactivation/reactivation: an `is_active` update since FL 222, remove/add before. */
  private setActive(user: DemoUser, active: boolean): void {
    user.is_active = active;
    this.usersChanged();
    if (this.featureLevel >= FL.DEACTIVATION_AS_UPDATE_EVENT) {
      this.queues.send('realm_user', this.isActiveUser, () => ({ type: 'realm_user', op: 'update', person: { user_id: user.user_id, is_active: active } }));
    } else if (active) {
      this.sendUserAdd(user, false);
    } else {
      this.queues.send('realm_user', this.isActiveUser, () => ({ type: 'realm_user', op: 'remove', person: { user_id: user.user_id, full_name: user.full_name } }));
    }
    if (active) this.groups.userReactivated(user);
  }

  /**
   * "Display my availability": from FL 139 switching it off rewrites stored presence as the
   * level did, switching it on stores an active report, and either way a forced presence event
   * goes out (invisible-mode.ts, docs/zulip-versions.md §4).
   */
  private setPresenceEnabled(user: DemoUser, enabled: boolean, notifyAway: boolean): void {
    if (user.presence_enabled === enabled) return;
    user.presence_enabled = enabled;
    if (togglingRewritesPresence(this.featureLevel)) {
      const now = this.now();
      const store = this.state.presence;
      let announce = true;
      if (enabled) store.report(user.user_id, 'website', 'active', now);
      else announce = hidePresence(store, user.user_id, now, this.featureLevel) !== undefined;
      if (announce) this.sendPresenceEvent(user, 'website', now, true);
    }
    if (notifyAway && this.featureLevel >= FL.AWAY_IS_PRESENCE_ENABLED && this.hasStatusRow(user)) {
      // The deprecated `away` mirrors the setting (FL 148+), so status listeners hear about it.
      this.queues.send('user_status', this.isActiveUser, () => ({ type: 'user_status', user_id: user.user_id, away: !enabled }));
    }
  }

  // --- realm -----------------------------------------------------------------------------------

  /**
   * The organization's "presence disabled" flag, for tests. Zulip computes it (zephyr mirror
   * realms) and never sends an event for it; the demo announces a change in the `realm/update`
   * shape every version uses for realm properties (docs/zulip-versions.md §4).
   */
  setPresenceDisabled(disabled: boolean): void {
    if (this.state.presenceDisabled === disabled) return;
    this.state.presenceDisabled = disabled;
    this.queues.send('realm', this.isActiveUser, () => ({ type: 'realm', op: 'update', property: 'presence_disabled', value: disabled }));
  }

  /**
   * The realm's `email_address_visibility` before 7.0 (FL 163), as do_set_realm_property sent
   * it (zerver/lib/actions.py at 4.x): a `realm` update event with the level's number, then,
   * when "everyone" is the old or the new level, every human's new API email.
   */
  setRealmEmailVisibility(value: RealmEmailVisibility): void {
    const old = this.state.realmEmailVisibility;
    if (old === value) return;
    this.state.setRealmEmailVisibility(value);
    this.usersChanged();
    this.queues.send('realm', this.isActiveUser, () => ({ type: 'realm', op: 'update', property: 'email_address_visibility', value: EMAIL_VISIBILITY_CODES[value] }));
    if (old !== 'everyone' && value !== 'everyone') return;
    for (const user of this.state.org.users) {
      if (user.is_bot) continue;
      this.queues.send('realm_user', this.isActiveUser, () => ({ type: 'realm_user', op: 'update', person: { user_id: user.user_id, new_email: this.state.apiEmail(user) } }));
    }
  }

  /** A change to a custom profile field definition: the full list goes out in `custom_profile_fields`. */
  updateProfileField(field: DemoProfileField, patch: Partial<Pick<DemoProfileField, 'name' | 'hint' | 'display_in_profile_summary' | 'required'>>): void {
    Object.assign(field, patch);
    this.usersChanged();
    const fields = this.state.visibleProfileFields().map((f) => this.state.formatProfileField(f));
    this.queues.send('custom_profile_fields', this.isActiveUser, () => ({ type: 'custom_profile_fields', fields }));
  }
}
