// Feature levels: which Zulip version a level belongs to, and the levels at which the behaviour
// the demo server imitates changed. Handlers ask `fl >= FL.X`. The presence-related levels, and
// the Zulip source each one comes from, are explained in docs/zulip-versions.md.
import { createHash } from 'node:crypto';

/** The feature levels where something the demo implements changed. */
export const FL = {
  /** 4.0-dev: no presence events in realms with more than 100 active users (docs/zulip-versions.md §2). */
  PRESENCE_EVENT_USER_LIMIT: 62,
  /** 5.0: register's presence comes with `server_timestamp` (zulip.yaml; docs/zulip.md §e). */
  REGISTER_SERVER_TIMESTAMP: 70,
  BILLING_ADMIN_FIELD: 73,
  /** 5.0: a system bot's user object says `is_system_bot`; before, `is_cross_realm_bot` (zulip.yaml). */
  IS_SYSTEM_BOT_FIELD: 83,
  /** 5.0: a status may have an emoji (`emoji_name`, `emoji_code`, `reaction_type`); before, text and `away` only (zulip.yaml). */
  STATUS_EMOJI: 86,
  /** 5.0: `client_gravatar` defaults to true; before, false (zulip.yaml's ClientGravatar). */
  CLIENT_GRAVATAR_DEFAULT_TRUE: 92,
  LONGPOLL_TIMEOUT_IN_REGISTER: 74,
  MERGE_BASE: 88,
  /** 6.0-dev: toggling presence_enabled rewrites presence and forces a presence event (§4). */
  PRESENCE_ENABLED_TOGGLE_EVENT: 139,
  /** 6.0-dev: someone else's event queue answers BAD_EVENT_QUEUE_ID, like an unknown one (§6). */
  FOREIGN_QUEUE_IS_BAD_ID: 145,
  PROFILE_SUMMARY_FLAG: 146,
  /** 6.0: a status's `away` became a mirror of presence_enabled (`away = !presence_enabled`); before, a flag of its own. */
  AWAY_IS_PRESENCE_ENABLED: 148,
  PRONOUNS_FIELD_TYPE: 151,
  /**
   * 7.0: `delivery_email` in every user object (null where the viewer may not see it), and who
   * may see a real address became each person's own setting instead of the realm's.
   */
  DELIVERY_EMAIL_ALWAYS: 163,
  PER_USER_EMAIL_VISIBILITY: 163,
  /** 7.0-dev: OFFLINE_THRESHOLD_SECS went from 300 to 200, and register started exposing it. */
  PRESENCE_THRESHOLDS_IN_REGISTER: 164,
  IGNORED_PARAMETERS: 167,
  /** 7.0: presence no longer stored per client; the wire shows `website` + `aggregated`. */
  AGGREGATED_PRESENCE_ONLY: 178,
  DEACTIVATION_AS_UPDATE_EVENT: 222,
  PROFILE_FIELD_REQUIRED: 244,
  REALM_URL: 257,
  /**
   * 10.0-dev: `date_joined` to the minute (isoformat(timespec="minutes"), zulip/zulip PR #31190 of
   * 31 Jul 2024, also in 9.1); before, with seconds and microseconds. The exact level is not known.
   */
  DATE_JOINED_MINUTES: 280,
  GET_USER_STATUS: 262,
  PRESENCE_LAST_UPDATE_ID: 263,
  PRESENCE_HISTORY_LIMIT_DAYS: 288,
  /**
   * 10.0: hiding one's availability backdates the stored times to now − 265 s instead of
   * replacing the row (§4). The exact 10.0-dev level is not known; 10.0's release level is used.
   */
  INVISIBLE_BACKDATE_IN_PLACE: 371,
  /**
   * 10.0: an uploaded avatar's file name hashes its version in (`user_avatar_base_path_from_ids`)
   * and its URL has no `?version=` (docs/zulip.md §f). The exact 10.0-dev level is not known
   * (chat.zulip.org sent such URLs in October 2024); 10.0's release level is used.
   */
  AVATAR_VERSION_IN_FILE_NAME: 371,
  PROFILE_FIELD_EDITABLE_BY_USER: 296,
  USER_BY_DELIVERY_EMAIL: 302,
  BILLING_ADMIN_REMOVED: 363,
  GET_USERS_USER_IDS: 384,
  SIMPLIFIED_PRESENCE_EVENTS: 419,
  IMPORTED_STUB_FIELD: 433,
  PROFILE_FIELD_USER_MATCHING: 455,
  /**
   * 12.0-dev: GET /users/{id}/presence answers only `active_timestamp` + `idle_timestamp`;
   * `website` and `aggregated` are gone (docs/zulip-versions.md §9).
   */
  SINGLE_USER_MODERN_PRESENCE: 487,
  /** 12.0-dev: `website` + `aggregated` are back beside the modern fields, with a top-level `server_timestamp` (§9). */
  SINGLE_USER_LEGACY_RESTORED: 497,
  // ---- user groups (docs/zulip.md §n, docs/zulip-versions.md §8) ----
  /** 5.0-dev: `is_system_group`; the role-based system groups exist from here (migration 0382). */
  SYSTEM_USER_GROUPS: 93,
  /** 6.0-dev: subgroups, as `subgroups` in group objects and `subgroup_ids` in events. */
  USER_GROUP_SUBGROUPS: 127,
  /** 6.0-dev: both renamed `direct_subgroup_ids`. */
  DIRECT_SUBGROUP_IDS: 131,
  /** 8.0-dev: `can_mention_group_id` (the role:nobody group it may name is assumed from here). */
  CAN_MENTION_GROUP_ID: 191,
  /** 8.0-dev: renamed `can_mention_group`. */
  CAN_MENTION_GROUP: 198,
  /**
   * 8.0: system groups lose their "@" (`@role:owners` → `role:owners`, PR #26180, merged during
   * 8.0 development). The exact level is not known; 8.0's release level is used.
   */
  SYSTEM_GROUP_NAMES_WITHOUT_AT: 237,
  CAN_MANAGE_GROUP: 283,
  /** 10.0-dev: groups are deactivated (an `update` event) instead of deleted (a `remove` event). */
  USER_GROUP_DEACTIVATION: 290,
  USER_GROUP_CREATOR: 292,
  /** 10.0-dev: the `include_deactivated_groups` capability; without it, deactivated groups are left out and deactivation is a `remove`. */
  INCLUDE_DEACTIVATED_GROUPS: 294,
  CAN_JOIN_GROUP: 301,
  /** 10.0-dev: deactivated users are no group's members; reactivation sends `add_members`. */
  GROUP_MEMBERS_ACTIVE_ONLY: 303,
  CAN_ADD_MEMBERS_GROUP: 305,
  CAN_LEAVE_GROUP: 308,
  CAN_REMOVE_MEMBERS_GROUP: 324,
} as const;

export const DEFAULT_FEATURE_LEVEL = 372;
export const MIN_FEATURE_LEVEL = 1;
export const MAX_FEATURE_LEVEL = 999;

/**
 * The release whose `zulip_version` a server at exactly this level reports, from the API
 * changelog's "Changes in Zulip N" headings (docs/zulip.md §m). Where several releases share a
 * level, the one named is a tag whose `version.py` was read at that level (3.4, 4.11, 5.7, 6.1,
 * 10.2) or else the release the changelog names for it; every level between is a development one.
 */
const RELEASES: Array<{ level: number; version: string; major: number }> = [
  { level: 25, version: '3.0', major: 3 },
  { level: 27, version: '3.4', major: 3 },
  { level: 65, version: '4.11', major: 4 },
  { level: 122, version: '5.7', major: 5 },
  { level: 156, version: '6.1', major: 6 },
  { level: 157, version: '6.2', major: 6 },
  { level: 185, version: '7.0', major: 7 },
  { level: 237, version: '8.0', major: 8 },
  { level: 277, version: '9.0', major: 9 },
  { level: 278, version: '9.2', major: 9 },
  { level: 371, version: '10.0', major: 10 },
  { level: 372, version: '10.2', major: 10 },
  { level: 421, version: '11.0', major: 11 },
];

/**
 * The `zulip_version` a server at this level would report: a release number when a release has
 * exactly this level, else a git-describe style development version of the next major
 * (`12.0-dev-1234-g0123456789`), with a hash derived from the level so it is stable.
 */
export function zulipVersionFor(level: number): { version: string; mergeBase: string } {
  const release = [...RELEASES].reverse().find((r) => r.level === level);
  if (release) return { version: release.version, mergeBase: release.version };
  const previous = [...RELEASES].reverse().find((r) => r.level < level);
  const major = (previous?.major ?? 2) + 1;
  const commits = (level - (previous?.level ?? 0)) * 37 + 100;
  const hash = createHash('sha1').update(`zulip-demo-${level}`).digest('hex').slice(0, 10);
  const version = `${major}.0-dev-${commits}-g${hash}`;
  return { version, mergeBase: version };
}
