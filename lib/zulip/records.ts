// The app's own view of what Zulip sends: plain JSON, one meaning per field, the same for every
// Zulip version. lib/zulip turns Zulip's wire shapes (which differ by feature level, docs/zulip.md)
// into these, record by record (./parse-*.ts); nothing outside lib/zulip sees a wire shape.

/** One account, human or bot, active or not. */
export interface UserRecord {
  id: number;
  fullName: string;
  /** Zulip's API email: the real address, or a dummy `user{id}@…` when it is hidden (docs/zulip.md §f). */
  apiEmail: string;
  /** The real address when the bot may see it, else null. */
  deliveryEmail: string | null;
  /** Absolute or realm-relative ("/user_avatars/…"), as sent, always with `version=` (parse-users.ts); null when there is none. */
  avatarUrl: string | null;
  /** IANA zone name as sent, or "" when unset. */
  timezone: string;
  /** ISO 8601 as sent, or "" when the server sent none we could read. */
  dateJoined: string;
  /** 100 owner, 200 admin, 300 moderator, 400 member, 600 guest. */
  role: number;
  isGuest: boolean;
  isBot: boolean;
  isActive: boolean;
  /** Custom profile field values (raw `value` strings) by field id. */
  profile: Record<string, string>;
}

/** The parts of a user a `realm_user` update can change (Zulip sends one group per event). */
export type UserChanges = Partial<
  Pick<UserRecord, 'fullName' | 'apiEmail' | 'deliveryEmail' | 'avatarUrl' | 'timezone' | 'dateJoined' | 'role' | 'isActive'>
> & {
  /** One custom profile field's new value; null when it was cleared. */
  profileField?: { id: number; value: string | null };
};

/** One custom profile field definition. */
export interface FieldRecord {
  id: number;
  /** docs/zulip.md §f: 1 short text … 8 pronouns; any other number is a type newer than this app. */
  type: number;
  name: string;
  hint: string;
  /** JSON text for option lists (3) and external accounts (7); "" otherwise. */
  fieldData: string;
  order: number;
  /** `editable_by_user` (FL 296, docs/zulip.md §f); absent from older servers, which do not say. */
  editableByUser?: boolean;
}

/** A user status; in a `user_status` event only the changed keys are present ("" clears one). */
export interface StatusRecord {
  text?: string;
  emojiName?: string;
  emojiCode?: string;
  reactionType?: string;
}

/**
 * Zulip's modern presence pair, in Unix seconds on Zulip's clock; 0 means "no such time" (what
 * Zulip's web app reads a missing key as). Before 7.0 these are the newest active and the newest
 * idle client rows; from 7.0 last active and last connected (docs/zulip.md §b).
 */
export interface PresenceRecord {
  activeTimestamp: number;
  idleTimestamp: number;
}

/** One legacy per-client presence record (`website`, `ZulipMobile`, … or `aggregated`). */
export interface ClientPresence {
  client: string;
  status: 'active' | 'idle' | 'offline';
  /** Unix seconds on Zulip's clock. */
  timestamp: number;
}

/** GET /users/{id}/presence, every generation (docs/zulip.md §a). */
export interface UserPresenceDetail {
  /** Per-client records as sent: several before 7.0, only `website` from 7.0 on, none at FL 487–496. */
  clients: ClientPresence[];
  aggregated: ClientPresence | null;
  /** 12.0-dev from FL 487 only. */
  modern: PresenceRecord | null;
  /** The person's whole state as the modern pair: `modern` when sent, else the client records folded. */
  record: PresenceRecord;
  /** 12.0-dev from FL 497 only: Zulip's clock when it answered. */
  serverTimestamp: number | null;
}

/**
 * Bulk presence, whichever format the server answered in: modern entries keyed by user id, or
 * legacy ones keyed by API email (servers that ignore slim_presence, and GET /realm/presence).
 * `complete` data is a person's whole row, so a time earlier than what we hold means Zulip moved
 * it back (invisible mode, docs/zulip.md §a) rather than an older report.
 */
export interface PresenceBatch {
  byId: Map<number, PresenceRecord>;
  byApiEmail: Map<string, PresenceRecord>;
  complete: boolean;
  /** Zulip's clock when it answered; null when the answer did not say (register before FL 70). */
  serverTimestamp: number | null;
}

/** What the realm says about presence and the event queue (register's `realm` part). */
export interface RealmRecord {
  name: string | null;
  /** realm_url (FL 257+) or realm_uri, as sent. */
  url: string | null;
  presenceDisabled: boolean;
  /** FL 164+; null before (docs/zulip.md §d gives the fallbacks). */
  offlineThresholdSeconds: number | null;
  pingIntervalSeconds: number | null;
  /** FL 74+; null before. */
  longpollTimeoutSeconds: number | null;
  /**
   * Before FL 163: `realm_email_address_visibility` (1 everyone, 3 admins, 4 nobody, 5
   * moderators), which applies to every human; null from FL 163 (each person's own setting) or
   * when not sent (docs/zulip.md §f).
   */
  emailAddressVisibility: number | null;
}

/** The account whose key the app uses (the bot), as register describes it. */
export interface OwnAccount {
  userId: number | null;
  /** 100 owner, 200 admin, 300 moderator, 400 member, 600 guest; null when register did not say. */
  role: number | null;
}

/** POST /register, as the app uses it. */
export interface RegisterSnapshot {
  queueId: string;
  lastEventId: number;
  featureLevel: number;
  zulipVersion: string;
  users: UserRecord[];
  fields: FieldRecord[];
  statuses: Map<number, StatusRecord>;
  presence: PresenceBatch;
  realm: RealmRecord;
  account: OwnAccount;
  /** `realm_user_groups`, system and deactivated groups included ([] when not sent). */
  userGroups: UserGroupRecord[];
}

/**
 * One Zulip user group (docs/zulip.md §n), the same whatever the server's feature level. The
 * directory shows the groups that are neither system groups nor deactivated as teams.
 */
export interface UserGroupRecord {
  id: number;
  name: string;
  description: string;
  /** Direct members only; before FL 303 deactivated users may be among them. */
  memberIds: number[];
  /** Direct subgroups: `direct_subgroup_ids` (FL 131+) or `subgroups` (FL 127–130); [] before. */
  subgroupIds: number[];
  /** `is_system_group` (FL 93+); where the flag is missing, a `role:`/`@role:` name. */
  isSystem: boolean;
  /** `deactivated` (FL 290+); false before. */
  deactivated: boolean;
}

/** The `user_group` events (docs/zulip.md §n), in the app's terms. */
export type UserGroupUpdate =
  | { kind: 'group_added'; group: UserGroupRecord }
  | { kind: 'group_updated'; groupId: number; changes: Partial<Pick<UserGroupRecord, 'name' | 'description' | 'deactivated'>> }
  | { kind: 'group_members_added' | 'group_members_removed'; groupId: number; userIds: number[] }
  | { kind: 'group_subgroups_added' | 'group_subgroups_removed'; groupId: number; subgroupIds: number[] }
  /** Deleted (before FL 294), or deactivated for a queue without `include_deactivated_groups`. */
  | { kind: 'group_removed'; groupId: number };

/** One event from the queue, in the app's terms. Event types the app does not use never get here. */
export type ZulipUpdate =
  | { kind: 'user_added'; user: UserRecord }
  | { kind: 'user_updated'; userId: number; changes: UserChanges }
  | { kind: 'user_removed'; userId: number }
  | { kind: 'status_changed'; userId: number; status: StatusRecord }
  | { kind: 'fields_changed'; fields: FieldRecord[] }
  | { kind: 'presence_changed'; presence: PresenceBatch }
  | { kind: 'realm_changed'; presenceDisabled: boolean }
  | UserGroupUpdate
  /** Zulip restarted; its feature level, when the event says (from 4.0), may be a new one after an upgrade. */
  | { kind: 'restart'; featureLevel: number | null };

/** One answered poll: the updates, and the id to acknowledge (heartbeats and ignored events included). */
export interface EventBatch {
  updates: ZulipUpdate[];
  lastEventId: number | null;
}
