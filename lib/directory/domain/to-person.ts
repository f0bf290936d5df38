import { PROFILE_FIELD_TYPE } from '@/lib/directory/domain/field-types';
import type { FieldRoles } from '@/lib/directory/domain/field-roles';
import type { FieldDefinition, Person, PersonStatus } from '@/lib/directory/domain/types';
import { inertText } from '@/lib/directory/domain/safe-text';
import { parseUserIds } from '@/lib/directory/domain/profile-fields';
import { memberVisibleEmail, STRICTEST_EMAIL_RULE, type EmailRule } from '@/lib/directory/domain/email-visibility';
import type { StatusRecord, UserRecord } from '@/lib/zulip/records';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import { workingHoursOf } from '@/lib/directory/domain/availability/working-hours';
import { joinedToTheMinute } from '@/lib/directory/domain/date-joined';

/**
 * Maps a Zulip user record to the directory's Person, in one place. Every string a person shows
 * passes through inertText here (see safe-text.ts), and values a browser API would choke on (a
 * time zone Intl does not know) are dropped, so hostile data from Zulip cannot act on the page.
 */
export function toPerson(
  user: UserRecord,
  ctx: {
    roles: FieldRoles;
    fields: Map<number, FieldDefinition>;
    realmUrl: string;
    status?: StatusRecord;
    emailRule?: EmailRule;
    /** DIRECTORY_WORKING_HOURS: the hours of people who wrote none (docs/architecture.md §18). */
    defaultWorkingHours?: string | null;
    /** DIRECTORY_HIDDEN_FIELDS, as field ids: their values never reach a Person. */
    hiddenFieldIds?: ReadonlySet<string>;
  },
): Person {
  const fields: Record<string, string> = {};
  for (const [id, value] of Object.entries(user.profile)) {
    if (value === '' || ctx.hiddenFieldIds?.has(id) || withdrawnOption(ctx.fields.get(Number(id)), value)) continue;
    fields[id] = inertText(value);
  }
  const text = (id: number | null) => (id === null ? null : (displayValue(ctx.fields.get(id), fields[String(id)]) ?? null));
  // A label on one line: a tab or line break pasted into it is a space, as in a search (which
  // refuses control characters, so a department that kept its tab could never be filtered on).
  const label = (id: number | null) => {
    const value = text(id)?.replace(/\s+/g, ' ').trim();
    return value ? value : null;
  };
  // Only what Zulip shows an ordinary member, never all the bot may read (email-visibility.ts).
  const email = memberVisibleEmail(user, ctx.emailRule ?? STRICTEST_EMAIL_RULE);
  const avatarUrl = resolveAvatarUrl(user.avatarUrl, ctx.realmUrl);
  const status = toStatus(ctx.status);
  const timezone = knownTimeZone(user.timezone);
  return {
    id: user.id,
    name: inertText(user.fullName),
    apiEmail: user.apiEmail,
    email,
    // A Gravatar URL is the md5 of the real address, which anyone can match against a list of
    // guesses: where the address is hidden, no URL (the page shows initials; docs/zulip.md §f).
    avatarUrl: email === null && avatarUrl !== null && isGravatar(avatarUrl) ? null : avatarUrl,
    timezone,
    dateJoined: joinedToTheMinute(user.dateJoined),
    role: user.role,
    isGuest: user.isGuest,
    pronouns: label(ctx.roles.pronouns),
    title: label(ctx.roles.title),
    department: label(ctx.roles.department),
    office: label(ctx.roles.office),
    managerIds: ctx.roles.manager === null ? [] : userIdsIn(fields[String(ctx.roles.manager)]),
    fields,
    status,
    statusMeaning: statusMeaning(status),
    workingHours: workingHoursOf(text(ctx.roles.workingHours), ctx.defaultWorkingHours ?? null, timezone),
  };
}

/** The text a short field shows: option lists store a key, everything else its own text. */
function displayValue(field: FieldDefinition | undefined, value: string | undefined): string | undefined {
  if (!field || value === undefined) return undefined;
  if (field.type !== PROFILE_FIELD_TYPE.SELECT) return value;
  const text = selectOptions(field)?.[value]?.text;
  return typeof text === 'string' ? inertText(text) : value;
}

/**
 * A list-of-options value whose key the field no longer offers: Zulip deletes everyone's choice of
 * an option when it is taken out of the list, with no event per person, only the new list
 * (remove_custom_profile_field_value_if_required; docs/zulip.md §f). So the directory holds no
 * value either, rather than show the bare key ("2") as a department. Options it cannot read
 * say nothing: the value stays.
 */
export function withdrawnOption(field: FieldDefinition | undefined, value: string): boolean {
  if (field?.type !== PROFILE_FIELD_TYPE.SELECT) return false;
  const options = selectOptions(field);
  return options !== null && !Object.hasOwn(options, value);
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

/** The people a person-picker value names (the manager field): none when it is empty or not a list of user ids. */
export function userIdsIn(value: string | undefined): number[] {
  return value ? (parseUserIds(value) ?? []) : [];
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

/** gravatar.com or one of its hosts (Zulip sends secure.gravatar.com). */
export function isGravatar(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'gravatar.com' || host.endsWith('.gravatar.com');
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

export function toStatus(status: StatusRecord | undefined): PersonStatus | null {
  if (!status) return null;
  const text = (status.text && inertText(status.text).trim()) || null;
  const emojiName = (status.emojiName && inertText(status.emojiName)) || null;
  const emoji = status.reactionType === 'unicode_emoji' && status.emojiCode ? unicodeFromCode(status.emojiCode) : null;
  if (!text && !emojiName) return null;
  return { text, emoji, emojiName };
}

/** Zulip encodes unicode emoji as dash-separated hex code points, e.g. "1f3e0" or "1f468-200d-1f4bb". */
function unicodeFromCode(code: string): string | null {
  const points = code.split('-').map((hex) => Number.parseInt(hex, 16));
  if (points.some((p) => !Number.isInteger(p) || p < 0 || p > 0x10ffff)) return null;
  return String.fromCodePoint(...points);
}
