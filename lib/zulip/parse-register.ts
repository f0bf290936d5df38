// POST /register's answer → the app's snapshot (docs/zulip.md §e). The envelope (queue, versions)
// must be right; every user, field, status and presence entry in it is read on its own.
import type { RegisterSnapshot } from './records';
import { read } from './record-issues';
import { parsePresenceMap } from './parse-presence';
import { parseFieldDefinitions, parseStatuses, parseUsers, type ParseContext } from './parse-users';
import { parseUserGroups } from './parse-user-groups';
import type { RegisterEnvelope } from './schemas';

export function parseRegister(body: RegisterEnvelope, ctx: ParseContext): RegisterSnapshot {
  const positive = (value: unknown) => {
    const n = read.number(value);
    return n !== null && n > 0 ? n : null;
  };
  const users = [...parseUsers(body.realm_users ?? [], ctx, true), ...parseUsers(body.realm_non_active_users ?? [], ctx, false)];
  const ownId = read.int(body.user_id);
  return {
    queueId: body.queue_id,
    lastEventId: body.last_event_id,
    featureLevel: body.zulip_feature_level,
    zulipVersion: body.zulip_version,
    users,
    fields: parseFieldDefinitions(body.custom_profile_fields ?? [], ctx),
    statuses: parseStatuses(body.user_status ?? {}, ctx),
    presence: parsePresenceMap(body.presences ?? {}, ctx, {
      // Slim entries before 7.0 are built from per-client rows: still each person's whole state.
      complete: true,
      // Register has sent server_timestamp since FL 70 (5.0).
      serverTimestamp: read.number(body.server_timestamp),
    }),
    realm: {
      name: read.string(body.realm_name),
      url: read.string(body.realm_url) ?? read.string(body.realm_uri),
      presenceDisabled: read.bool(body.realm_presence_disabled) ?? false,
      offlineThresholdSeconds: positive(body.server_presence_offline_threshold_seconds),
      pingIntervalSeconds: positive(body.server_presence_ping_interval_seconds),
      longpollTimeoutSeconds: positive(body.event_queue_longpoll_timeout_seconds),
      // Sent with `realm` until FL 163 made it each person's setting (docs/zulip.md §f).
      emailAddressVisibility: read.int(body.realm_email_address_visibility),
    },
    // With `realm_user` register describes the caller: its id and role flags at the top level,
    // and its own user object (with `role`, FL 59+) among realm_users (docs/zulip.md §f).
    account: { userId: ownId, role: users.find((u) => u.id === ownId)?.role ?? roleFromFlags(body) },
    // Read leniently, container included: teams are an extra (docs/zulip.md §n).
    userGroups: parseUserGroups(body.realm_user_groups, ctx),
  };
}

/** The caller's role from register's top-level flags; null when none was sent. */
function roleFromFlags(body: RegisterEnvelope): number | null {
  const flags = ['is_owner', 'is_admin', 'is_moderator', 'is_guest'].map((key) => read.bool(body[key]));
  if (flags.every((f) => f === null)) return null;
  const [owner, admin, moderator, guest] = flags;
  if (owner) return 100;
  if (admin) return 200;
  if (moderator) return 300;
  if (guest) return 600;
  return 400;
}
