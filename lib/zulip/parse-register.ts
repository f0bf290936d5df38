// POST /register's answer → the app's snapshot (docs/zulip.md §e). The envelope (queue, versions)
// must be right; every user, field, status and presence entry in it is read on its own.
import type { RegisterSnapshot } from './records';
import { read } from './record-issues';
import { parsePresenceMap } from './parse-presence';
import { parseFieldDefinitions, parseStatuses, parseUsers, type ParseContext } from './parse-users';
import type { RegisterEnvelope } from './schemas';

export function parseRegister(body: RegisterEnvelope, ctx: ParseContext): RegisterSnapshot {
  const positive = (value: unknown) => {
    const n = read.number(value);
    return n !== null && n > 0 ? n : null;
  };
  return {
    queueId: body.queue_id,
    lastEventId: body.last_event_id,
    featureLevel: body.zulip_feature_level,
    zulipVersion: body.zulip_version,
    users: [...parseUsers(body.realm_users ?? [], ctx, true), ...parseUsers(body.realm_non_active_users ?? [], ctx, false)],
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
    },
  };
}
