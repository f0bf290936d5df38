import { PROFILE_FIELD_TYPE } from '@/lib/directory/field-types';
import type { FieldRoles } from '@/lib/directory/field-roles';
import type { FieldDefinition, Person, PersonStatus } from '@/lib/directory/types';
import { inertText } from '@/lib/directory/safe-text';

/** The parts of Zulip's User object the directory reads (GET /users, register realm_users). */
export interface ZulipUserFields {
  user_id: number;
  full_name: string;
  email: string;
  delivery_email?: string | null;
  avatar_url?: string | null;
  timezone?: string;
  date_joined: string;
  role?: number;
  is_guest?: boolean;
  is_bot: boolean;
  is_active: boolean;
  profile_data?: Record<string, { value: string }>;
}

/**
 * Only what the directory reads of a Zulip user, in a fresh object: Zulip's users carry many
 * more keys (and each text field's rendered HTML), and at 20,000 people keeping whole users
 * costs tens of megabytes. `isActive` is for register's lists, whose users lack `is_active`
 * (the list says it); a user Zulip has just added is active.
 */
export function userFields(user: Omit<ZulipUserFields, 'is_active'> & { is_active?: boolean }, isActive = user.is_active ?? true): ZulipUserFields {
  let profile: Record<string, { value: string }> | undefined;
  if (user.profile_data) {
    profile = {};
    for (const id in user.profile_data) {
      const value = user.profile_data[id]?.value;
      if (typeof value === 'string') profile[id] = { value };
    }
  }
  return {
    user_id: user.user_id,
    full_name: user.full_name,
    email: user.email,
    delivery_email: user.delivery_email,
    avatar_url: user.avatar_url,
    timezone: user.timezone,
    date_joined: user.date_joined,
    role: user.role,
    is_guest: user.is_guest,
    is_bot: user.is_bot,
    is_active: isActive,
    profile_data: profile,
  };
}

type RegisterUser = Omit<ZulipUserFields, 'is_active'>;

/** Register's two user lists (which say who is active; their users lack `is_active`), trimmed. */
export function registerUsers(active: RegisterUser[] = [], inactive: RegisterUser[] = []): ZulipUserFields[] {
  return [...active.map((u) => userFields(u, true)), ...inactive.map((u) => userFields(u, false))];
}

export interface ZulipStatusFields {
  status_text?: string;
  emoji_name?: string;
  emoji_code?: string;
  reaction_type?: string;
}

/**
 * Maps Zulip's user shape to the directory's Person, in one place. Every string a person shows
 * passes through inertText here (see safe-text.ts), and values a browser API would choke on (a
 * time zone Intl does not know) are dropped, so hostile data from Zulip cannot act on the page.
 */
export function toPerson(
  user: ZulipUserFields,
  ctx: { roles: FieldRoles; fields: Map<number, FieldDefinition>; realmUrl: string; status?: ZulipStatusFields },
): Person {
  const fields: Record<string, string> = {};
  for (const [id, entry] of Object.entries(user.profile_data ?? {})) {
    if (entry && typeof entry.value === 'string' && entry.value !== '') fields[id] = inertText(entry.value);
  }
  const text = (id: number | null) => (id === null ? null : (displayValue(ctx.fields.get(id), fields[String(id)]) ?? null));
  return {
    id: user.user_id,
    name: inertText(user.full_name),
    apiEmail: user.email,
    email: user.delivery_email ?? null,
    avatarUrl: resolveAvatarUrl(user.avatar_url, ctx.realmUrl),
    timezone: knownTimeZone(user.timezone ?? ''),
    dateJoined: user.date_joined,
    role: user.role ?? 400,
    isGuest: user.is_guest ?? false,
    pronouns: text(ctx.roles.pronouns),
    title: text(ctx.roles.title),
    department: text(ctx.roles.department),
    office: text(ctx.roles.office),
    managerIds: ctx.roles.manager === null ? [] : parseUserIds(fields[String(ctx.roles.manager)]),
    fields,
    status: toStatus(ctx.status),
  };
}

/** The text a short field shows: option lists store a key, everything else its own text. */
function displayValue(field: FieldDefinition | undefined, value: string | undefined): string | undefined {
  if (!field || value === undefined) return undefined;
  if (field.type !== PROFILE_FIELD_TYPE.SELECT) return value;
  const text = selectOptions(field)?.[value]?.text;
  return typeof text === 'string' ? inertText(text) : value;
}

type SelectOptions = Record<string, { text?: unknown }> | null;
/** Parsed once per definition, not once per person (20,000 parses on every rebuild). */
const parsedOptions = new WeakMap<FieldDefinition, SelectOptions>();

function selectOptions(field: FieldDefinition): SelectOptions {
  let options = parsedOptions.get(field);
  if (options === undefined) {
    try {
      const parsed: unknown = JSON.parse(field.fieldData);
      options = parsed && typeof parsed === 'object' ? (parsed as Record<string, { text?: unknown }>) : null;
    } catch {
      options = null;
    }
    parsedOptions.set(field, options);
  }
  return options;
}

export function parseUserIds(value: string | undefined): number[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}

/** Relative avatar paths are resolved against the realm; anything but http(s) is dropped. */
export function resolveAvatarUrl(avatarUrl: string | null | undefined, realmUrl: string): string | null {
  if (!avatarUrl) return null;
  try {
    const url = new URL(avatarUrl, realmUrl + '/');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

const zoneCache = new Map<string, boolean>();

/** An IANA zone the runtime's Intl knows, or "" (an unknown zone would make date formatting throw). */
export function knownTimeZone(zone: string): string {
  if (zone === '' || zone.length > 100) return '';
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (zoneCache.size < 2_000) zoneCache.set(zone, known);
  }
  return known ? zone : '';
}

export function toStatus(status: ZulipStatusFields | undefined): PersonStatus | null {
  if (!status) return null;
  const text = (status.status_text && inertText(status.status_text).trim()) || null;
  const emojiName = (status.emoji_name && inertText(status.emoji_name)) || null;
  const emoji = status.reaction_type === 'unicode_emoji' && status.emoji_code ? unicodeFromCode(status.emoji_code) : null;
  if (!text && !emojiName) return null;
  return { text, emoji, emojiName };
}

/** Zulip encodes unicode emoji as dash-separated hex code points, e.g. "1f3e0" or "1f468-200d-1f4bb". */
function unicodeFromCode(code: string): string | null {
  const points = code.split('-').map((hex) => Number.parseInt(hex, 16));
  if (points.some((p) => !Number.isInteger(p) || p < 0 || p > 0x10ffff)) return null;
  return String.fromCodePoint(...points);
}
