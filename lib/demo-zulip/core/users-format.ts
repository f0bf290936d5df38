// DemoUser → Zulip's User object (zerver/lib/users.py:format_user_row, docs/zulip.md §f), with
// the keys a server at the configured feature level sends, as seen by the acting user.
import type { DemoUser } from '../types';
import { gravatarUrl, uploadedAvatarHash, uploadedAvatarPath } from './avatars';
import type { DemoState } from './state';
import { FL } from './versions';

export interface UserFormatOptions {
  /** The client computes gravatars itself: gravatar avatar_url becomes null where the email is public. */
  clientGravatar: boolean;
  includeCustomProfileFields: boolean;
}

/**
 * avatar_url for a user (zerver/lib/avatar.py:get_avatar_field): with `version=N`, except an
 * upload's from 10.0, whose file name carries the version instead (uploadedAvatarFile).
 */
export function avatarUrl(state: DemoState, user: DemoUser, opts: { clientGravatar: boolean; medium?: boolean }): string | null {
  if (state.isSystemBot(user.user_id)) return state.systemBots.find((b) => b.user.user_id === user.user_id)!.avatarPath;
  if (user.avatar_source === 'U') {
    const path = uploadedAvatarPath(state.org.realm.id, uploadedAvatarFile(state, user), opts.medium);
    return state.featureLevel >= FL.AVATAR_VERSION_IN_FILE_NAME ? path : `${path}?version=${user.avatar_version}`;
  }
  // The gravatar shortcut only applies where the address is public (the realm's or, since FL 163, the person's setting).
  if (opts.clientGravatar && state.emailVisibility(user) === 'everyone') return null;
  return gravatarUrl(user.delivery_email, user.avatar_version, opts.medium);
}

/** The hash naming a user's uploaded avatar file at this level (its current version's, from 10.0). */
export function uploadedAvatarFile(state: DemoState, user: DemoUser): string {
  return uploadedAvatarHash(state.avatarSalt, user.user_id, state.featureLevel >= FL.AVATAR_VERSION_IN_FILE_NAME ? user.avatar_version : null);
}

/** The user's custom profile values, limited to the fields this feature level knows. */
export function profileData(state: DemoState, user: DemoUser): Record<string, { value: string; rendered_value?: string }> {
  const known = state.visibleProfileFieldIds();
  const out: Record<string, { value: string; rendered_value?: string }> = {};
  for (const [id, entry] of Object.entries(user.profile_data)) if (known.has(id)) out[id] = { ...entry };
  return out;
}

/**
 * date_joined as servers before FL 280 wrote it, Python's isoformat(): seconds and microseconds
 * (made up from the user id, the stored value having only minutes).
 */
function withSeconds(user: DemoUser): string {
  const seconds = String((user.user_id * 37) % 60).padStart(2, '0');
  const micros = String(((user.user_id * 104_729) % 999_999) + 1).padStart(6, '0');
  return user.date_joined.replace(/(T\d{2}:\d{2})/, `$1:${seconds}.${micros}`);
}

/** One User object, as `acting` receives it. */
export function formatUser(state: DemoState, acting: DemoUser, user: DemoUser, opts: UserFormatOptions): Record<string, unknown> {
  const fl = state.featureLevel;
  const canSeeEmail = state.canSeeDeliveryEmail(acting, user);
  const out: Record<string, unknown> = {
    email: state.apiEmail(user),
    user_id: user.user_id,
    avatar_version: user.avatar_version,
    is_admin: user.role <= 200,
    is_owner: user.role === 100,
    is_guest: user.role === 600,
  };
  if (fl >= FL.BILLING_ADMIN_FIELD && fl < FL.BILLING_ADMIN_REMOVED) out.is_billing_admin = user.role === 100;
  out.role = user.role;
  out.is_bot = user.is_bot;
  out.full_name = user.full_name;
  out.timezone = user.timezone;
  out.is_active = user.is_active;
  out.date_joined = fl >= FL.DATE_JOINED_MINUTES ? user.date_joined : withSeconds(user);
  if (fl >= FL.DELIVERY_EMAIL_ALWAYS) {
    out.delivery_email = canSeeEmail ? user.delivery_email : null;
  } else if (canSeeEmail && state.emailVisibility(user) !== 'everyone') {
    // Before 7.0 the key appeared only for restricted addresses the viewer may read.
    out.delivery_email = user.delivery_email;
  }
  out.avatar_url = avatarUrl(state, user, { clientGravatar: opts.clientGravatar });
  if (user.is_bot) {
    out.bot_type = user.bot_type;
    if (state.isSystemBot(user.user_id)) out[fl >= FL.IS_SYSTEM_BOT_FIELD ? 'is_system_bot' : 'is_cross_realm_bot'] = true;
    out.bot_owner_id = user.bot_owner_id;
  } else if (opts.includeCustomProfileFields) {
    out.profile_data = profileData(state, user);
  }
  if (fl >= FL.IMPORTED_STUB_FIELD) out.is_imported_stub = false;
  return out;
}

/** Which accounts a list holds: GET /users returns all; register splits active and deactivated ones. */
export type UserListKind = 'all' | 'active' | 'inactive';

/**
 * A JSON array of User objects: GET /users `members`, register's `realm_users` and
 * `realm_non_active_users` (which, unlike GET /users, have no `is_active` key). Serializing
 * 50,000 users takes a while, so the text is cached per viewer, options and kind until any user
 * or profile field changes.
 */
export class UsersListCache {
  private readonly entries = new Map<string, { version: number; json: Buffer }>();

  constructor(private readonly state: DemoState) {}

  /** The list as UTF-8 JSON bytes (kept as bytes so each response writes them without copying). */
  json(acting: DemoUser, opts: UserFormatOptions, kind: UserListKind = 'all'): Buffer {
    // Only delivery_email depends on the viewer; the viewer's own row is always visible to them.
    const key = `${kind}|${acting.user_id}|${acting.role}|${opts.clientGravatar}|${opts.includeCustomProfileFields}`;
    const hit = this.entries.get(key);
    if (hit && hit.version === this.state.usersVersion) return hit.json;
    const parts: string[] = [];
    for (const user of this.state.org.users) {
      if ((kind === 'active' && !user.is_active) || (kind === 'inactive' && user.is_active)) continue;
      const formatted = formatUser(this.state, acting, user, opts);
      if (kind !== 'all') delete formatted.is_active;
      parts.push(JSON.stringify(formatted));
    }
    const json = Buffer.from(`[${parts.join(',')}]`);
    if (this.entries.size >= 24) this.entries.clear();
    this.entries.set(key, { version: this.state.usersVersion, json });
    return json;
  }
}
