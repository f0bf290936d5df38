import { z } from 'zod';
import {
  customProfileFieldSchema,
  legacyPresenceSchema,
  modernPresenceSchema,
  userSchema,
} from './schemas';
import { summarizeZodError } from './zod-summary';

// Events from GET /events, parsed one by one. The events the directory uses are validated
// strictly; any other type (Zulip has ~70) becomes an `unknown` event that keeps the raw object,
// so a new or unexpected event never fails the whole poll. A known type whose shape does not
// match also becomes `unknown`, with `issue` saying why; its id is still acknowledged.
// Known events use z.object, which drops (never rejects) keys newer servers add: the types then
// have no index signature, so `'presences' in event` tells the two presence formats apart.

const id = z.number().int();

export const heartbeatEventSchema = z.object({ type: z.literal('heartbeat'), id });

/** Legacy (default, and all of 10.2): one user, per-client records; no `email` with slim_presence. */
export const legacyPresenceEventSchema = z.object({
  type: z.literal('presence'),
  id,
  user_id: z.number().int(),
  email: z.string().optional(),
  server_timestamp: z.number(),
  presence: z.record(z.string(), legacyPresenceSchema),
});

/** FL 419+ with client_capabilities.simplified_presence_events: several users, modern entries. */
export const modernPresenceEventSchema = z.object({
  type: z.literal('presence'),
  id,
  presences: z.record(z.string(), modernPresenceSchema),
});

export const realmUserAddEventSchema = z.object({
  type: z.literal('realm_user'),
  op: z.literal('add'),
  id,
  person: userSchema,
});

/** `person` has user_id plus exactly one group of changed keys. */
export const realmUserUpdateEventSchema = z.object({
  type: z.literal('realm_user'),
  op: z.literal('update'),
  id,
  person: z.object({
    user_id: z.number().int(),
    full_name: z.string().optional(),
    avatar_url: z.string().nullable().optional(),
    avatar_source: z.string().optional(),
    avatar_url_medium: z.string().nullable().optional(),
    avatar_version: z.number().int().optional(),
    email: z.string().optional(),
    timezone: z.string().optional(),
    bot_owner_id: z.number().int().nullable().optional(),
    role: z.number().int().optional(),
    delivery_email: z.string().nullable().optional(),
    /** value null = the field was cleared. */
    custom_profile_field: z
      .object({ id: z.number().int(), value: z.string().nullable(), rendered_value: z.string().optional() })
      .optional(),
    new_email: z.string().optional(),
    /** Deactivation/reactivation since FL 222 (8.0). */
    is_active: z.boolean().optional(),
    is_imported_stub: z.boolean().optional(),
    date_joined: z.string().optional(),
  }),
});

/** Since FL 228 only sent to guests who lose access; before FL 222 also deactivation. */
export const realmUserRemoveEventSchema = z.object({
  type: z.literal('realm_user'),
  op: z.literal('remove'),
  id,
  person: z.object({ user_id: z.number().int(), full_name: z.string().optional() }),
});

/** Only the changed keys are present. */
export const userStatusEventSchema = z.object({
  type: z.literal('user_status'),
  id,
  user_id: z.number().int(),
  status_text: z.string().optional(),
  emoji_name: z.string().optional(),
  emoji_code: z.string().optional(),
  reaction_type: z.string().optional(),
  away: z.boolean().optional(),
});

/** The full new list of field definitions. */
export const customProfileFieldsEventSchema = z.object({
  type: z.literal('custom_profile_fields'),
  id,
  fields: z.array(customProfileFieldSchema),
});

export const restartEventSchema = z.object({
  type: z.literal('restart'),
  id,
  zulip_version: z.string().optional(),
  zulip_merge_base: z.string().optional(),
  zulip_feature_level: z.number().int().optional(),
  server_generation: z.number().optional(),
});

export type HeartbeatEvent = z.infer<typeof heartbeatEventSchema>;
export type LegacyPresenceEvent = z.infer<typeof legacyPresenceEventSchema>;
export type ModernPresenceEvent = z.infer<typeof modernPresenceEventSchema>;
export type PresenceEvent = LegacyPresenceEvent | ModernPresenceEvent;
export type RealmUserAddEvent = z.infer<typeof realmUserAddEventSchema>;
export type RealmUserUpdateEvent = z.infer<typeof realmUserUpdateEventSchema>;
export type RealmUserRemoveEvent = z.infer<typeof realmUserRemoveEventSchema>;
export type RealmUserEvent = RealmUserAddEvent | RealmUserUpdateEvent | RealmUserRemoveEvent;
export type UserStatusEvent = z.infer<typeof userStatusEventSchema>;
export type CustomProfileFieldsEvent = z.infer<typeof customProfileFieldsEventSchema>;
export type RestartEvent = z.infer<typeof restartEventSchema>;
/** Any other event type, or a known type that failed validation (`issue` set). */
export type UnknownEvent = {
  type: 'unknown';
  id: number;
  originalType: string;
  raw: Record<string, unknown>;
  issue?: string;
};

export type ZulipEvent =
  | HeartbeatEvent
  | PresenceEvent
  | RealmUserEvent
  | UserStatusEvent
  | CustomProfileFieldsEvent
  | RestartEvent
  | UnknownEvent;

const KNOWN: Record<string, z.ZodType<Exclude<ZulipEvent, UnknownEvent>>> = {
  heartbeat: heartbeatEventSchema,
  // Modern first: a legacy event has no `presences` key, so it cannot match the modern shape.
  presence: z.union([modernPresenceEventSchema, legacyPresenceEventSchema]),
  realm_user: z.discriminatedUnion('op', [realmUserAddEventSchema, realmUserUpdateEventSchema, realmUserRemoveEventSchema]),
  user_status: userStatusEventSchema,
  custom_profile_fields: customProfileFieldsEventSchema,
  restart: restartEventSchema,
};

/** The minimum every event has; anything beyond is checked per type by parseEvent. */
export const rawEventSchema = z.looseObject({ type: z.string(), id });

export function parseEvent(raw: z.infer<typeof rawEventSchema>): ZulipEvent {
  const schema = Object.hasOwn(KNOWN, raw.type) ? KNOWN[raw.type] : undefined;
  if (!schema) return { type: 'unknown', id: raw.id, originalType: raw.type, raw };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return { type: 'unknown', id: raw.id, originalType: raw.type, raw, issue: summarizeZodError(parsed.error) };
}

// GET /events
export const getEventsResponseSchema = z
  .looseObject({ events: z.array(rawEventSchema), queue_id: z.string().optional() })
  .transform((r) => ({ ...r, events: r.events.map(parseEvent) }));
