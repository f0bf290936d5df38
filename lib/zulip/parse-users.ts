// Users, custom profile field definitions and user statuses: Zulip's wire shapes (docs/zulip.md §f)
// → the app's records, one at a time. A record without what identifies it (id, name, API email,
// bot flag) is skipped and reported; anything else odd is repaired to "unknown" and the record kept.
import type { FieldRecord, StatusRecord, UserChanges, UserRecord } from './records';
import { read, type IssueSink } from './record-issues';
import { withVersion } from './avatar-version';

export interface ParseContext {
  endpoint: string;
  report: IssueSink;
}

/**
 * One user. `isActive` is for register's two lists, whose users lack `is_active` (the list says
 * it); otherwise a user without the flag is taken as active (Zulip has just added them).
 */
export function parseUser(raw: unknown, ctx: ParseContext, isActive?: boolean): UserRecord | null {
  const skip = (reason: string) => {
    ctx.report({ kind: 'user', id: read.idOf(raw, 'user_id'), reason, endpoint: ctx.endpoint });
    return null;
  };
  const u = read.object(raw);
  if (!u) return skip('not an object');
  const id = read.int(u.user_id);
  if (id === null) return skip('user_id is not an integer');
  const fullName = read.string(u.full_name);
  if (fullName === null) return skip('full_name is not a string');
  const apiEmail = read.string(u.email);
  if (apiEmail === null) return skip('email is not a string');
  const isBot = read.bool(u.is_bot);
  if (isBot === null) return skip('is_bot is not a boolean');
  const role = read.int(u.role) ?? roleFromFlags(u);
  return {
    id,
    fullName,
    apiEmail,
    deliveryEmail: read.string(u.delivery_email),
    avatarUrl: versionedAvatarUrl(read.string(u.avatar_url), read.int(u.avatar_version)),
    timezone: read.string(u.timezone) ?? '',
    dateJoined: read.string(u.date_joined) ?? '',
    role,
    isGuest: read.bool(u.is_guest) ?? role === ROLE_GUEST,
    isBot,
    isActive: isActive ?? read.bool(u.is_active) ?? true,
    profile: parseProfileData(u.profile_data, id, ctx),
  };
}

export function parseUsers(list: unknown[], ctx: ParseContext, isActive?: boolean): UserRecord[] {
  const users: UserRecord[] = [];
  for (const raw of list) {
    const user = parseUser(raw, ctx, isActive);
    if (user) users.push(user);
  }
  return users;
}

const ROLE_GUEST = 600;

/** Servers before FL 59 send no `role`, only the flags it replaced. */
function roleFromFlags(u: Record<string, unknown>): number {
  if (u.is_owner === true) return 100;
  if (u.is_admin === true) return 200;
  if (u.is_guest === true) return ROLE_GUEST;
  return 400;
}

/**
 * The avatar URL with its `version={avatar_version}`, which every URL carried until Zulip put the
 * version into an upload's file name instead (its path changes with each picture; docs/zulip.md
 * §f): put back where it was left off, so a new picture is always a new URL, whatever the server.
 */
function versionedAvatarUrl(url: string | null, version: number | null): string | null {
  return url === null || version === null ? url : withVersion(url, version);
}

/** `{ "<field id>": {value, rendered_value?} }`; a value that is not text is dropped alone. */
function parseProfileData(raw: unknown, userId: number, ctx: ParseContext): Record<string, string> {
  const profile: Record<string, string> = {};
  const data = read.object(raw);
  if (!data) return profile;
  for (const fieldId in data) {
    if (!Object.hasOwn(data, fieldId)) continue;
    const value = fieldValue(read.object(data[fieldId])?.value);
    if (value === null) {
      ctx.report({ kind: 'field_value', id: `${userId}/${fieldId}`, reason: 'value is not a string', endpoint: ctx.endpoint });
    } else {
      profile[fieldId] = value;
    }
  }
  return profile;
}

/** Zulip sends text; a person list as a JSON array or a bare number has one clear meaning, so it is repaired. */
function fieldValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((v) => Number.isSafeInteger(v))) return JSON.stringify(value);
  return null;
}

/** The keys a `realm_user` update may carry, read leniently: an unreadable key is left out. */
export function parseUserChanges(person: Record<string, unknown>, ctx: ParseContext): UserChanges {
  const changes: UserChanges = {};
  const text = (key: string) => read.string(person[key]);
  if (text('full_name') !== null) changes.fullName = text('full_name')!;
  if ('avatar_url' in person) changes.avatarUrl = versionedAvatarUrl(text('avatar_url'), read.int(person.avatar_version));
  if ('delivery_email' in person) changes.deliveryEmail = text('delivery_email');
  if (text('timezone') !== null) changes.timezone = text('timezone')!;
  if (text('date_joined') !== null) changes.dateJoined = text('date_joined')!;
  if (read.int(person.role) !== null) changes.role = read.int(person.role)!;
  if (read.bool(person.is_active) !== null) changes.isActive = read.bool(person.is_active)!;
  // A timezone update carries the API email; an email change carries new_email.
  const apiEmail = text('new_email') ?? (changes.timezone !== undefined ? text('email') : null);
  if (apiEmail !== null) changes.apiEmail = apiEmail;
  const field = read.object(person.custom_profile_field);
  if (field) {
    const id = read.int(field.id);
    const value = field.value === null ? null : fieldValue(field.value);
    if (id !== null && (value !== null || field.value === null)) changes.profileField = { id, value };
    else ctx.report({ kind: 'field_value', id: `${read.idOf(person, 'user_id')}/${read.idOf(field, 'id')}`, reason: 'unreadable custom_profile_field', endpoint: ctx.endpoint });
  }
  return changes;
}

/** One custom profile field definition; one without id, type or name is skipped. */
export function parseFieldDefinitions(list: unknown[], ctx: ParseContext): FieldRecord[] {
  const fields: FieldRecord[] = [];
  list.forEach((raw, index) => {
    const f = read.object(raw);
    const id = read.int(f?.id);
    const type = read.int(f?.type);
    const name = read.string(f?.name);
    if (!f || id === null || type === null || name === null) {
      ctx.report({ kind: 'field', id: read.idOf(raw, 'id'), reason: 'needs an integer id and type and a string name', endpoint: ctx.endpoint });
      return;
    }
    const fieldData = f.field_data;
    fields.push({
      id,
      type,
      name,
      hint: read.string(f.hint) ?? '',
      // Some servers' exports hold it as an object: it has one meaning either way.
      fieldData: typeof fieldData === 'string' ? fieldData : read.object(fieldData) ? JSON.stringify(fieldData) : '',
      order: read.int(f.order) ?? index,
      ...(read.bool(f.editable_by_user) !== null ? { editableByUser: read.bool(f.editable_by_user)! } : {}),
    });
  });
  return fields;
}

/** One user status (`{}` when none); keys that are not text are left out. */
export function parseStatus(raw: Record<string, unknown>): StatusRecord {
  const status: StatusRecord = {};
  const text = (key: string) => read.string(raw[key]) ?? undefined;
  if (text('status_text') !== undefined) status.text = text('status_text');
  if (text('emoji_name') !== undefined) status.emojiName = text('emoji_name');
  if (text('emoji_code') !== undefined) status.emojiCode = text('emoji_code');
  if (text('reaction_type') !== undefined) status.reactionType = text('reaction_type');
  return status;
}

/** register's `user_status`: user id → status. */
export function parseStatuses(raw: Record<string, unknown>, ctx: ParseContext): Map<number, StatusRecord> {
  const statuses = new Map<number, StatusRecord>();
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const id = Number(key);
    const entry = read.object(raw[key]);
    if (!Number.isSafeInteger(id) || !entry) {
      ctx.report({ kind: 'status', id: key.slice(0, 100), reason: 'needs a user id key and an object', endpoint: ctx.endpoint });
      continue;
    }
    statuses.set(id, parseStatus(entry));
  }
  return statuses;
}
