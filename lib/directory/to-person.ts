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
  profile_data?: Record<string, { value: string; rendered_value?: string }>;
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
  try {
    const options = JSON.parse(field.fieldData) as Record<string, { text?: unknown }>;
    const text = options[value]?.text;
    return typeof text === 'string' ? inertText(text) : value;
  } catch {
    return value;
  }
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
