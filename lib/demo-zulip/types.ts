// The demo organization's data model. Plain JSON: the generator produces it, the simulation
// reads it, and the HTTP server turns it into Zulip's wire shapes. Nothing here is Zulip's
// wire format; see server code for that.

/** Zulip's custom profile field types (zerver/models/custom_profile_fields.py). */
export const PROFILE_FIELD_TYPES = {
  SHORT_TEXT: 1,
  LONG_TEXT: 2,
  SELECT: 3,
  DATE: 4,
  URL: 5,
  USER: 6,
  EXTERNAL_ACCOUNT: 7,
  PRONOUNS: 8,
} as const;
export type ProfileFieldType = (typeof PROFILE_FIELD_TYPES)[keyof typeof PROFILE_FIELD_TYPES];

export interface DemoProfileField {
  id: number;
  type: ProfileFieldType;
  name: string;
  hint: string;
  /** JSON text for SELECT (`{"0":{"text":"Lisbon","order":"1"}}`) and EXTERNAL_ACCOUNT (`{"subtype":"github"}`), else "". */
  field_data: string;
  order: number;
  display_in_profile_summary: boolean;
  required: boolean;
  editable_by_user: boolean;
}

/**
 * Zulip's `email_address_visibility` levels (UserBaseSettings.EMAIL_ADDRESS_VISIBILITY_*: 1
 * everyone, 2 members, 3 admins, 4 nobody, 5 moderators). "members" exists from 7.0 only.
 */
export type EmailVisibility = 'everyone' | 'members' | 'moderators' | 'admins' | 'nobody';
/** The realm-wide setting before 7.0: no "members" level (it was never implemented then). */
export type RealmEmailVisibility = Exclude<EmailVisibility, 'members'>;

/** The clients Zulip knew before 7.0. ZulipDesktop reported as `website` on the wire. */
export type DemoClient = 'website' | 'ZulipMobile' | 'ZulipTerminal' | 'ZulipDesktop';

export interface DemoUserStatus {
  status_text?: string;
  emoji_name?: string;
  emoji_code?: string;
  reaction_type?: 'unicode_emoji' | 'realm_emoji' | 'zulip_extra_emoji';
}

/** One client's stored presence, as Zulip stored it per client before 7.0 (unix seconds). */
export interface DemoClientPresence {
  last_active_time: number | null;
  last_connected_time: number;
}

/** When and how a person works; drives the presence simulation. */
export interface DemoWorkPattern {
  /** Local working hours, [start, end) in fractional hours of the person's own timezone. */
  startHour: number;
  endHour: number;
  /** Working days, 0 = Sunday. */
  workDays: number[];
  /** Clients this person uses during the day; the first is their main one. */
  clients: DemoClient[];
  /** 0..1: how much of a working hour they are at the keyboard (active rather than idle). */
  focus: number;
}

export interface DemoUser {
  user_id: number;
  full_name: string;
  /** The real address. The API `email` is derived: this when visibility is "everyone", else user{id}@{fake domain}. */
  delivery_email: string;
  /**
   * Who may see the real address: the person's own setting from Zulip 7.0 (FL 163). Before,
   * the realm's setting applies to every human instead (DemoState.emailVisibility, docs/zulip.md §f).
   */
  email_visibility: EmailVisibility;
  is_active: boolean;
  is_bot: boolean;
  /** null for humans; 1 generic, 2 incoming webhook, 3 outgoing webhook, 4 embedded. */
  bot_type: 1 | 2 | 3 | 4 | null;
  bot_owner_id: number | null;
  /** 100 owner, 200 admin, 300 moderator, 400 member, 600 guest. */
  role: 100 | 200 | 300 | 400 | 600;
  /** IANA name, or "" when unset. */
  timezone: string;
  /** ISO 8601 with minute precision, e.g. "2019-10-20T07:50+00:00". */
  date_joined: string;
  /** "G" gravatar (no upload), "U" uploaded avatar served by the demo server. */
  avatar_source: 'G' | 'U';
  avatar_version: number;
  /** Keyed by field id as a string; values encoded as Zulip encodes them. */
  profile_data: Record<string, { value: string; rendered_value?: string }>;
  status: DemoUserStatus;
  /** false = "Display my availability to other users" switched off (invisible mode). */
  presence_enabled: boolean;
  /** 32 characters, [A-Za-z0-9], deterministic per seed. */
  api_key: string;
  /** null: never connected a client (no presence row at all). */
  work: DemoWorkPattern | null;
}

export interface DemoRealm {
  id: number;
  name: string;
  description: string;
  /** Domain of real addresses, e.g. "acme.example". */
  email_domain: string;
  /** ISO date the organization was created. */
  date_created: string;
}

export interface DemoOrganization {
  seed: number;
  realm: DemoRealm;
  profileFields: DemoProfileField[];
  /** Every account: humans, bots (the directory bot included), deactivated users. Sorted by user_id. */
  users: DemoUser[];
  /** The generic bot whose key the directory app uses. */
  directoryBotId: number;
  /** The organization's owner and root of the manager tree. */
  ceoId: number;
  /** People whose client habits give the presence shapes old servers send (org/showcase.ts). */
  presenceShowcase: DemoPresenceShowcase;
  /** Zulip's role-based system groups and the organization's teams, by id (org/teams.ts). */
  userGroups: DemoUserGroup[];
}

/** Zulip's role-based system groups (zerver/models/groups.py SystemGroups). */
export type DemoSystemRole = 'owners' | 'administrators' | 'moderators' | 'fullmembers' | 'members' | 'everyone' | 'internet' | 'nobody';

/**
 * One user group, whatever the feature level; the server shows it as the level does
 * (core/user-groups.ts, docs/zulip-versions.md §8).
 */
export interface DemoUserGroup {
  id: number;
  /** A team's name, or a system group's current one (`role:owners`; `@role:owners` before 8.0). */
  name: string;
  description: string;
  /** Direct members' user ids; for system groups, derived from roles instead (always []). */
  members: number[];
  /** Direct subgroups' ids. */
  subgroups: number[];
  system: DemoSystemRole | null;
  /** Deactivated (FL 290+); below that level such a group has been deleted and does not exist. */
  deactivated: boolean;
  creator_id: number | null;
  /** Unix seconds; null for groups that predate the metadata (the system groups). */
  date_created: number | null;
}

/** User ids of the presence showcase people (org/showcase.ts); null when the organization is too small. */
export interface DemoPresenceShowcase {
  /** Only ever idle, in one browser tab: before Zulip 7.0 a slim entry with only `idle_timestamp`. */
  idleOnly: number | null;
  /** Only uses the mobile app: before Zulip 7.0 a slim entry with only `active_timestamp`. */
  activeOnly: number | null;
}

export interface GenerateOptions {
  seed: number;
  /** Number of people (active humans excluded bots/deactivated are extra); default 250, up to 50,000. */
  users: number;
}

/** One entry of GET /demo/credentials: what tests and benchmarks need to act as a person. */
export interface DemoCredentials {
  user_id: number;
  /** The Zulip API email (a dummy address when the real one is hidden). */
  email: string;
  delivery_email: string;
  full_name: string;
  is_bot: boolean;
  is_active: boolean;
  /** 100 owner, 200 admin, 300 moderator, 400 member, 600 guest. */
  role: DemoUser['role'];
  presence_enabled: boolean;
  api_key: string;
  /** For Zulip's fetch_api_key (email + password sign-in); bots have none. */
  password: string | null;
}
