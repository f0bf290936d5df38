// The demo realm's mutable state: the generated organization, lookups by id / API key / email,
// the realm settings the API exposes, and the system bots every Zulip server has. Mutations go
// through DemoApp (app.ts) so events and caches stay consistent.
import { createHash } from 'node:crypto';
import type { DemoOrganization, DemoProfileField, DemoUser, EmailVisibility, RealmEmailVisibility } from '../types';
import { FL } from './versions';
import { PresenceRows } from './presence-rows';

/**
 * Domain of dummy API emails for users who hide their address. Zulip derives it from the realm
 * host; a demo server listens on an IP and a port, which is no email domain, so it falls back to
 * the FAKE_EMAIL_DOMAIN a Zulip development server uses.
 */
export const FAKE_EMAIL_DOMAIN = 'zulip.testserver';

/** Zulip's numbers for the visibility levels (UserBaseSettings.EMAIL_ADDRESS_VISIBILITY_*). */
export const EMAIL_VISIBILITY_CODES: Record<EmailVisibility, number> = { everyone: 1, members: 2, admins: 3, nobody: 4, moderators: 5 };

/** The highest role number (100 owner … 600 guest) that may read an address at each level. */
const LOWEST_ROLE_THAT_SEES: Record<EmailVisibility, number> = { everyone: 600, members: 400, moderators: 300, admins: 200, nobody: 0 };

/** Zulip's cross-realm system bots (settings.CROSS_REALM_BOT_EMAILS), sorted by name as register returns them. */
const SYSTEM_BOTS = [
  { email: 'emailgateway@zulip.com', full_name: 'Email Gateway', image: 'emailgateway' },
  { email: 'notification-bot@zulip.com', full_name: 'Notification Bot', image: 'notification-bot' },
  { email: 'welcome-bot@zulip.com', full_name: 'Welcome Bot', image: 'welcome-bot' },
];

export interface SystemBot {
  user: DemoUser;
  avatarPath: string;
}

export class DemoState {
  readonly usersById = new Map<number, DemoUser>();
  private readonly byApiKey = new Map<string, DemoUser>();
  private readonly byApiEmail = new Map<string, DemoUser>();
  private readonly byDeliveryEmail = new Map<string, DemoUser>();
  private readonly dateJoinedCache = new Map<number, number>();
  readonly presence = new PresenceRows();
  readonly systemBots: SystemBot[];
  /** Secret salt of uploaded-avatar paths (Zulip's AVATAR_SALT), stable per seed. */
  readonly avatarSalt: string;
  /** Bumped on every change to users or profile fields; cached payloads compare it. */
  usersVersion = 0;
  presenceDisabled = false;
  /**
   * Before 7.0 (FL 163): the realm's `email_address_visibility`, which applies to every human
   * (docs/zulip.md §f). Change it with setRealmEmailVisibility, which re-indexes API emails.
   */
  realmEmailVisibility: RealmEmailVisibility = 'everyone';
  nextUserId: number;

  constructor(
    readonly org: DemoOrganization,
    readonly featureLevel: number,
  ) {
    this.avatarSalt = createHash('sha1').update(`demo-avatar-salt-${org.seed}`).digest('hex');
    for (const user of org.users) this.index(user);
    const maxId = org.users.reduce((max, u) => Math.max(max, u.user_id), 0);
    // System bots are created with the server, so they hold the lowest free ids.
    const botIds: number[] = [];
    for (let id = 1; botIds.length < SYSTEM_BOTS.length; id++) if (!this.usersById.has(id)) botIds.push(id);
    const created = minutePrecision(org.realm.date_created);
    this.systemBots = SYSTEM_BOTS.map((bot, i) => ({
      avatarPath: `/static/images/static_avatars/${bot.image}.png`,
      user: {
        user_id: botIds[i]!,
        full_name: bot.full_name,
        delivery_email: bot.email,
        email_visibility: 'everyone',
        is_active: true,
        is_bot: true,
        bot_type: 1,
        bot_owner_id: null,
        role: 400,
        timezone: '',
        date_joined: created,
        avatar_source: 'G',
        avatar_version: 1,
        profile_data: {},
        status: {},
        presence_enabled: true,
        api_key: '',
        work: null,
      },
    }));
    for (const bot of this.systemBots) this.systemBotIds.add(bot.user.user_id);
    this.nextUserId = Math.max(maxId, ...botIds) + 1;
  }

  /** Removes a user's lookup keys before a change that may alter them (email, visibility). */
  unindex(user: DemoUser): void {
    if (user.api_key) this.byApiKey.delete(user.api_key);
    this.byApiEmail.delete(this.apiEmail(user).toLowerCase());
    this.byDeliveryEmail.delete(user.delivery_email.toLowerCase());
  }

  /** Adds or re-indexes a user. */
  index(user: DemoUser): void {
    this.usersById.set(user.user_id, user);
    if (user.api_key) this.byApiKey.set(user.api_key, user);
    this.byApiEmail.set(this.apiEmail(user).toLowerCase(), user);
    this.byDeliveryEmail.set(user.delivery_email.toLowerCase(), user);
  }

  /**
   * Who may see this account's real address: bots always "everyone"; humans their own setting
   * from FL 163, the realm's before (zerver/lib/users.py format_user_row at 4.x; docs/zulip.md §f).
   */
  emailVisibility(user: DemoUser): EmailVisibility {
    if (user.is_bot) return 'everyone';
    return this.featureLevel >= FL.PER_USER_EMAIL_VISIBILITY ? user.email_visibility : this.realmEmailVisibility;
  }

  /** Zulip's API `email`: the real address if everyone may see it (always for bots), else `user{id}@{fake domain}`. */
  apiEmail(user: DemoUser): string {
    if (this.emailVisibility(user) === 'everyone') return user.delivery_email;
    return `user${user.user_id}@${FAKE_EMAIL_DOMAIN}`;
  }

  /** Sets the pre-7.0 realm setting, re-indexing every human's API email (which follows it). */
  setRealmEmailVisibility(value: RealmEmailVisibility): void {
    const humans = this.org.users.filter((u) => !u.is_bot);
    for (const user of humans) this.unindex(user);
    this.realmEmailVisibility = value;
    for (const user of humans) this.index(user);
  }

  byKey(apiKey: string): DemoUser | undefined {
    return this.byApiKey.get(apiKey);
  }

  /** Lookup by API email, case-insensitively (Zulip's `email__iexact`). */
  byEmail(email: string): DemoUser | undefined {
    return this.byApiEmail.get(email.toLowerCase());
  }

  byRealEmail(email: string): DemoUser | undefined {
    return this.byDeliveryEmail.get(email.toLowerCase());
  }

  /**
   * Whether `acting` may read `target`'s real address: zerver/lib/users.py can_access_delivery_email
   * with UserProfile.ROLE_TO_ACCESSIBLE_EMAIL_ADDRESS_VISIBILITY_IDS (owners and admins: all but
   * "nobody"; moderators: up to "moderators"; members: "members" and "everyone"; guests:
   * "everyone"). Before 7.0 the realm's level applies, read the same way.
   */
  canSeeDeliveryEmail(acting: DemoUser, target: DemoUser): boolean {
    if (target.is_bot || target.user_id === acting.user_id) return true;
    return acting.role <= LOWEST_ROLE_THAT_SEES[this.emailVisibility(target)];
  }

  /** date_joined as Unix seconds (presence falls back to it). */
  dateJoined(user: DemoUser): number {
    let value = this.dateJoinedCache.get(user.user_id);
    if (value === undefined) {
      value = Date.parse(user.date_joined) / 1000;
      if (!Number.isFinite(value)) value = 0;
      this.dateJoinedCache.set(user.user_id, value);
    }
    return value;
  }

  /** Active accounts, bots included: Zulip's `active_user_ids`, which decides who gets events. */
  activeUserCount(): number {
    if (this.activeCount?.version !== this.usersVersion) {
      let count = 0;
      for (const user of this.org.users) if (user.is_active) count++;
      this.activeCount = { version: this.usersVersion, count };
    }
    return this.activeCount.count;
  }
  private activeCount: { version: number; count: number } | undefined;

  /** Profile fields as this feature level knows them (the Pronouns type arrived at FL 151). */
  visibleProfileFields(): DemoProfileField[] {
    if (this.fieldsCache?.version !== this.usersVersion) {
      const fields = this.org.profileFields
        .filter((f) => f.type !== 8 || this.featureLevel >= FL.PRONOUNS_FIELD_TYPE)
        .sort((a, b) => a.order - b.order);
      this.fieldsCache = { version: this.usersVersion, fields, ids: new Set(fields.map((f) => String(f.id))) };
    }
    return this.fieldsCache.fields;
  }

  /** Ids (as strings) of the fields this feature level knows. */
  visibleProfileFieldIds(): Set<string> {
    this.visibleProfileFields();
    return this.fieldsCache!.ids;
  }
  private fieldsCache: { version: number; fields: DemoProfileField[]; ids: Set<string> } | undefined;

  /** Whether an id is one of the cross-realm system bots (not part of this realm). */
  isSystemBot(userId: number): boolean {
    return this.systemBotIds.has(userId);
  }
  private readonly systemBotIds = new Set<number>();

  /** A profile field as the API shows it (`CustomProfileField.as_dict`), with the keys of this level. */
  formatProfileField(field: DemoProfileField): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: field.id,
      name: field.name,
      type: field.type,
      hint: field.hint,
      field_data: field.field_data,
      order: field.order,
    };
    if (this.featureLevel >= FL.PROFILE_SUMMARY_FLAG && field.display_in_profile_summary) out.display_in_profile_summary = true;
    if (this.featureLevel >= FL.PROFILE_FIELD_REQUIRED) out.required = field.required;
    if (this.featureLevel >= FL.PROFILE_FIELD_EDITABLE_BY_USER) out.editable_by_user = field.editable_by_user;
    if (this.featureLevel >= FL.PROFILE_FIELD_USER_MATCHING) out.use_for_user_matching = false;
    return out;
  }
}

/** An ISO date or timestamp as Zulip's minute-precision `date_joined` ("2019-03-11T09:41+00:00"). */
export function minutePrecision(iso: string): string {
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16)}+00:00`;
}
