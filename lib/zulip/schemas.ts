import { z } from 'zod';

// zod schemas for the Zulip responses we read, one per endpoint, types inferred. Objects are
// loose (unknown keys pass through: every Zulip release adds some) and fields that only exist
// on some feature levels are optional; the fields the directory actually relies on are required.
// Facts per version: the project notes zulip-api.md (sections in brackets below).

/** Every response: `{result, msg, code?}` plus the endpoint's fields. */
export const envelopeSchema = z.looseObject({
  result: z.enum(['success', 'error']),
  msg: z.string(),
  code: z.string().optional(),
});

// ---- users [f] ---------------------------------------------------------------------------------

export const profileDataSchema = z.record(
  z.string(),
  z.looseObject({ value: z.string(), rendered_value: z.string().optional() }),
);

export const userSchema = z.looseObject({
  user_id: z.number().int(),
  /** The Zulip API email: a dummy `user{id}@…` address when the real one is hidden. */
  email: z.string(),
  /** The real address, or null when we may not see it (always present since FL 163). */
  delivery_email: z.string().nullable().optional(),
  full_name: z.string(),
  date_joined: z.string(),
  is_active: z.boolean(),
  is_bot: z.boolean(),
  is_owner: z.boolean().optional(),
  is_admin: z.boolean().optional(),
  is_guest: z.boolean().optional(),
  role: z.number().int().optional(),
  bot_type: z.number().int().nullable().optional(),
  bot_owner_id: z.number().int().nullable().optional(),
  is_system_bot: z.boolean().optional(),
  timezone: z.string().optional(),
  /** null with client_gravatar=true for Gravatar users; may be relative ("/user_avatars/…"). */
  avatar_url: z.string().nullable().optional(),
  avatar_version: z.number().int().optional(),
  /** Only with include_custom_profile_fields=true, humans only. */
  profile_data: profileDataSchema.optional(),
  is_imported_stub: z.boolean().optional(),
});
export type ZulipUser = z.infer<typeof userSchema>;

// register's realm_users / realm_non_active_users omit `is_active`: the array says it.
const registerUserSchema = userSchema.extend({ is_active: z.boolean().optional() });

// GET /users
export const getUsersResponseSchema = z.looseObject({ members: z.array(userSchema) });
// GET /users/{user_id} and GET /users/{email}
export const getUserResponseSchema = z.looseObject({ user: userSchema });
// GET /users/me: the caller's own user object, at the top level (plus max_message_id).
export const getOwnUserResponseSchema = userSchema;

// ---- authentication [h] ------------------------------------------------------------------------

// POST /fetch_api_key (no auth): the account's key, its delivery email, and (FL 171+) its id.
export const apiKeyResponseSchema = z.looseObject({
  api_key: z.string(),
  email: z.string(),
  user_id: z.number().int().optional(),
});

// ---- custom profile fields [f] -----------------------------------------------------------------

export const customProfileFieldSchema = z.looseObject({
  id: z.number().int(),
  /** 1 short text, 2 long text, 3 select, 4 date, 5 link, 6 person picker, 7 external account, 8 pronouns. */
  type: z.number().int(),
  order: z.number().int(),
  name: z.string(),
  hint: z.string().default(''),
  /** JSON text for select (3) and external account (7); absent or "" otherwise. */
  field_data: z.string().default(''),
  display_in_profile_summary: z.boolean().optional(),
  required: z.boolean().optional(),
  editable_by_user: z.boolean().optional(),
});
export type ZulipCustomProfileField = z.infer<typeof customProfileFieldSchema>;

// GET /realm/profile_fields
export const getProfileFieldsResponseSchema = z.looseObject({ custom_fields: z.array(customProfileFieldSchema) });

// ---- user status [f] ---------------------------------------------------------------------------

/** `{}` when no status is set; otherwise only the non-empty keys. */
export const userStatusSchema = z.looseObject({
  status_text: z.string().optional(),
  emoji_name: z.string().optional(),
  emoji_code: z.string().optional(),
  reaction_type: z.string().optional(),
  /** Deprecated (FL 148): equals !presence_enabled; present only when true. */
  away: z.boolean().optional(),
});
export type ZulipUserStatus = z.infer<typeof userStatusSchema>;

// GET /users/{user_id}/status
export const getUserStatusResponseSchema = z.looseObject({ status: userStatusSchema });

// ---- presence [a], [b] -------------------------------------------------------------------------

/** The spec says active|idle, but the single-user endpoint overrides aggregated with "offline". */
export const presenceStatusSchema = z.enum(['active', 'idle', 'offline']);

/** One legacy `{status, timestamp}` record; `client`/`pushable` appear only in bulk data and events. */
export const legacyPresenceSchema = z.looseObject({
  status: presenceStatusSchema,
  timestamp: z.number(),
  client: z.string().optional(),
  pushable: z.boolean().optional(),
});
export type LegacyPresence = z.infer<typeof legacyPresenceSchema>;

/** The modern (slim) entry, keyed by user id in register and simplified presence events. */
export const modernPresenceSchema = z.looseObject({
  active_timestamp: z.number(),
  idle_timestamp: z.number(),
});
export type ModernPresence = z.infer<typeof modernPresenceSchema>;

const USER_PRESENCE_SCALARS = new Set(['active_timestamp', 'idle_timestamp']);

/**
 * The `presence` object of GET /users/{user_id_or_email}/presence, in all three generations:
 * before 7.0 one legacy record per client (website, ZulipMobile, …) + aggregated; 7.0–11.x
 * exactly website + aggregated; 12.0-dev (FL ~497) additionally active_timestamp and
 * idle_timestamp. Every other key is a client's legacy record.
 */
export const userPresenceSchema = z.preprocess(
  // Lenient about future scalar keys inside `presence`: drop unknown non-object values so the
  // catch-all "every other key is a client" rule does not reject a newer server.
  (value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).filter(
            ([k, v]) => USER_PRESENCE_SCALARS.has(k) || (v !== null && typeof v === 'object'),
          ),
        )
      : value,
  z
    .object({
      aggregated: legacyPresenceSchema.optional(),
      active_timestamp: z.number().optional(),
      idle_timestamp: z.number().optional(),
    })
    .catchall(legacyPresenceSchema)
    .refine((p) => p.aggregated !== undefined || p.active_timestamp !== undefined, {
      message: 'has neither "aggregated" nor "active_timestamp"',
    }),
);
export type UserPresence = z.infer<typeof userPresenceSchema>;

// GET /users/{user_id_or_email}/presence
export const getUserPresenceResponseSchema = z.looseObject({
  presence: userPresenceSchema,
  /** 12.0-dev only. */
  server_timestamp: z.number().optional(),
});

/** Legacy bulk entry: client name (and "aggregated") → record. */
export const legacyUserPresencesSchema = z.record(z.string(), legacyPresenceSchema);

// GET /realm/presence: keyed by Zulip API email, 14-day window, no "offline" (compute it).
const realmPresencesSchema = z.record(z.string(), legacyUserPresencesSchema);

/**
 * The same check as realmPresencesSchema without copying anything. A 20,000-person organization's
 * answer is ~3.5 MB, and zod's record/object parsing (which rebuilds every object) held the event
 * loop for 100–450 ms on every refresh; this takes a few milliseconds. Only when it fails does
 * the zod schema run, to report exactly what it would have reported.
 */
function isRealmPresences(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const email in value) {
    if (!Object.hasOwn(value, email)) continue;
    const clients = value[email];
    if (!isPlainObject(clients)) return false;
    for (const client in clients) {
      if (!Object.hasOwn(clients, client)) continue;
      const entry = clients[client];
      if (!isPlainObject(entry)) return false;
      if (!PRESENCE_STATUSES.has(entry.status) || typeof entry.timestamp !== 'number' || !Number.isFinite(entry.timestamp)) return false;
      if (entry.client !== undefined && typeof entry.client !== 'string') return false;
      if (entry.pushable !== undefined && typeof entry.pushable !== 'boolean') return false;
    }
  }
  return true;
}

const PRESENCE_STATUSES = new Set<unknown>(presenceStatusSchema.options);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const getRealmPresenceResponseSchema = z.looseObject({
  server_timestamp: z.number(),
  // Passed through as received when the fast check accepts it; otherwise the issues are zod's.
  presences: z.custom<z.output<typeof realmPresencesSchema>>(() => true).superRefine((value, ctx) => {
    if (isRealmPresences(value)) return;
    const result = realmPresencesSchema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  }),
});

// ---- server settings [h] -----------------------------------------------------------------------

// GET /server_settings (no auth needed)
export const serverSettingsSchema = z.looseObject({
  zulip_version: z.string(),
  /** Absent only on servers older than FL 1 (and in the spec's own example). */
  zulip_feature_level: z.number().int().optional(),
  zulip_merge_base: z.string().optional(),
  push_notifications_enabled: z.boolean().optional(),
  is_incompatible: z.boolean().optional(),
  realm_url: z.string().optional(),
  realm_uri: z.string().optional(),
  realm_name: z.string().optional(),
  realm_icon: z.string().optional(),
  realm_description: z.string().optional(),
  realm_web_public_access_enabled: z.boolean().optional(),
});
export type ServerSettings = z.infer<typeof serverSettingsSchema>;

// ---- register [e] ------------------------------------------------------------------------------

// POST /register: what is present depends on fetch_event_types.
export const registerResponseSchema = z.looseObject({
  queue_id: z.string(),
  last_event_id: z.number().int(),
  zulip_feature_level: z.number().int(),
  zulip_version: z.string(),
  zulip_merge_base: z.string().optional(),
  // presence: modern entries keyed by user id. Register with slim_presence=true (Zulip 3.0+);
  // without it the server sends legacy entries keyed by email, which this schema rejects rather
  // than silently dropping (use GET /realm/presence for legacy data).
  presences: z.record(z.string(), modernPresenceSchema).optional(),
  presence_last_update_id: z.number().int().optional(),
  server_timestamp: z.number().optional(),
  // realm_user
  realm_users: z.array(registerUserSchema).optional(),
  realm_non_active_users: z.array(registerUserSchema).optional(),
  // custom_profile_fields
  custom_profile_fields: z.array(customProfileFieldSchema).optional(),
  // user_status: user id → status
  user_status: z.record(z.string(), userStatusSchema).optional(),
  // realm
  realm_presence_disabled: z.boolean().optional(),
  server_presence_ping_interval_seconds: z.number().optional(),
  server_presence_offline_threshold_seconds: z.number().optional(),
  event_queue_longpoll_timeout_seconds: z.number().optional(),
  realm_url: z.string().optional(),
  realm_uri: z.string().optional(),
  realm_name: z.string().optional(),
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;
