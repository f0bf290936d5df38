import { z } from 'zod';

// zod schemas for the envelope of each Zulip answer we read: what makes it a Zulip answer at all
// (its result, its queue and version fields, the containers holding records). Objects are loose
// (every Zulip release adds keys). The records inside (users, fields, statuses, presence entries,
// events) are `unknown` here and read one by one by ./parse-*.ts, so one odd record never fails
// a whole answer (docs/zulip.md §l).

/** Every response: `{result, msg, code?}` plus the endpoint's fields. */
export const envelopeSchema = z.looseObject({
  result: z.enum(['success', 'error']),
  msg: z.string(),
  code: z.string().optional(),
});

/** A JSON object passed through as it is: no copy of a 20,000-entry map on every refresh. */
const plainObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'expected an object' },
);
const records = z.array(z.unknown());

// ---- users [§f] --------------------------------------------------------------------------------

// GET /users
export const getUsersResponseSchema = z.looseObject({ members: records });
// GET /users/{user_id} and GET /users/{email}
export const getUserResponseSchema = z.looseObject({ user: z.unknown() });
// GET /users/me: the caller's own user object at the top level; sign-in reads who it is.
export const getOwnUserResponseSchema = z.looseObject({
  user_id: z.number().int(),
  email: z.string(),
  delivery_email: z.string().nullable().optional(),
  is_bot: z.boolean(),
});

// ---- authentication [§h] -----------------------------------------------------------------------

// POST /fetch_api_key (no auth): the account's key, its delivery email, and (FL 171+) its id.
export const apiKeyResponseSchema = z.looseObject({
  api_key: z.string(),
  email: z.string(),
  user_id: z.number().int().optional(),
});

// ---- custom profile fields and status [§f] -----------------------------------------------------

// GET /realm/profile_fields
export const getProfileFieldsResponseSchema = z.looseObject({ custom_fields: records });
// GET /users/{user_id}/status: `{}` when no status is set.
export const getUserStatusResponseSchema = z.looseObject({ status: plainObject });

// ---- presence [§a], [§b] -----------------------------------------------------------------------

// GET /users/{user_id_or_email}/presence (server_timestamp: from FL 497 only)
export const getUserPresenceResponseSchema = z.looseObject({ presence: plainObject, server_timestamp: z.unknown().optional() });

// GET /realm/presence: keyed by Zulip API email, 14-day window, no "offline" (compute it).
export const getRealmPresenceResponseSchema = z.looseObject({ server_timestamp: z.number(), presences: plainObject });

// ---- server settings [§h] ----------------------------------------------------------------------

// GET /server_settings (no auth needed)
export const serverSettingsSchema = z.looseObject({
  zulip_version: z.string(),
  /** Absent only on servers older than FL 1 (and in the spec's own example). */
  zulip_feature_level: z.number().int().optional(),
  zulip_merge_base: z.string().optional(),
  realm_url: z.string().optional(),
  realm_uri: z.string().optional(),
  realm_name: z.string().optional(),
});
export type ServerSettings = z.infer<typeof serverSettingsSchema>;

// ---- register and events [§e] ------------------------------------------------------------------

// POST /register: what is present depends on fetch_event_types; realm_* fields are read leniently.
export const registerEnvelopeSchema = z.looseObject({
  queue_id: z.string(),
  last_event_id: z.number().int(),
  zulip_feature_level: z.number().int(),
  zulip_version: z.string(),
  presences: plainObject.optional(),
  realm_users: records.optional(),
  realm_non_active_users: records.optional(),
  custom_profile_fields: records.optional(),
  user_status: plainObject.optional(),
});
export type RegisterEnvelope = z.infer<typeof registerEnvelopeSchema>;

// GET /events
export const getEventsResponseSchema = z.looseObject({ events: records, queue_id: z.string().optional() });
