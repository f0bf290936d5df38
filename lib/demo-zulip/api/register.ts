// POST /register: allocate an event queue and return the initial state of the requested types
// (zerver/views/events_register.py, zerver/lib/events.py, docs/zulip.md §e). The demo knows the
// types a directory needs: realm_user, presence, user_status, custom_profile_fields, realm and
// realm_user_groups (whose events are `user_group`, docs/zulip.md §n).
import { DEFAULT_EVENT_QUEUE_TIMEOUT_SECS, MAX_QUEUE_TIMEOUT_SECS } from '../core/event-queues';
import { OFFLINE_THRESHOLD_SECS, PRESENCE_PING_INTERVAL_SECS } from '../core/presence-rows';
import { avatarUrl, formatUser } from '../core/users-format';
import { EMAIL_VISIBILITY_CODES } from '../core/state';
import { FL } from '../core/versions';
import { badRequest } from '../http/errors';
import type { Params } from '../http/params';
import type { RawJson } from '../http/respond';
import { realmPresences } from './presence';
import { escapeHtml } from '../core/html';
import { realmIconUrl, versionFields } from './realm';
import type { ApiContext, ApiResult } from './types';

/** Zulip answers an event long-poll within this; clients use it as their HTTP timeout. */
export const EVENT_QUEUE_LONGPOLL_TIMEOUT_SECONDS = 90;

const PROFILE_FIELD_TYPES = {
  SHORT_TEXT: { id: 1, name: 'Text (short)' },
  LONG_TEXT: { id: 2, name: 'Text (long)' },
  SELECT: { id: 3, name: 'List of options' },
  DATE: { id: 4, name: 'Date picker' },
  URL: { id: 5, name: 'Link' },
  USER: { id: 6, name: 'Person picker' },
  EXTERNAL_ACCOUNT: { id: 7, name: 'External account' },
  PRONOUNS: { id: 8, name: 'Pronouns' },
};

const DEFAULT_EXTERNAL_ACCOUNTS = {
  github: { name: 'GitHub', text: 'GitHub', hint: 'Enter your GitHub username', url_pattern: 'https://github.com/%(username)s' },
  twitter: { name: 'Twitter', text: 'Twitter', hint: 'Enter your Twitter username', url_pattern: 'https://twitter.com/%(username)s' },
};

/**
 * Reads `client_capabilities`: a JSON object of booleans; keys this server does not know are
 * ignored, but `notification_settings_null` is required whenever the object is sent (Zulip's
 * `check_dict` in `events_register_backend`; docs/zulip.md §e).
 */
function capabilities(params: Params): Record<string, boolean> {
  const raw = params.dict('client_capabilities');
  if (raw === undefined) return {};
  if (!('notification_settings_null' in raw)) throw badRequest('notification_settings_null key is missing from client_capabilities');
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'boolean') throw badRequest(`client_capabilities[${JSON.stringify(key)}] is not a boolean`);
  }
  return raw as Record<string, boolean>;
}

export function register(ctx: ApiContext): ApiResult {
  const { app, params, user } = ctx;
  const fl = app.featureLevel;
  const state = app.state;
  // Parameters in the view's order, so the first invalid one is reported.
  params.bool('apply_markdown', false);
  const clientGravatar = params.bool('client_gravatar', fl >= FL.CLIENT_GRAVATAR_DEFAULT_TRUE);
  params.accept('include_subscribers');
  const slimPresence = params.bool('slim_presence', false);
  // Unknown before FL 288: left unread, so the window stays two weeks and the parameter is
  // listed in ignored_parameters_unsupported from FL 167 (docs/zulip-versions.md §3).
  const historyDays = fl >= FL.PRESENCE_HISTORY_LIMIT_DAYS ? params.int('presence_history_limit_days') : undefined;
  params.bool('all_public_streams', false);
  const caps = capabilities(params);
  const eventTypes = params.stringList('event_types') ?? null;
  const fetchTypes = params.stringList('fetch_event_types') ?? eventTypes;
  params.accept('narrow');
  const lifespan = params.int('queue_lifespan_secs') ?? 0;

  const queue = app.queues.create({
    userId: user.user_id,
    eventTypes,
    slimPresence,
    simplifiedPresence: fl >= FL.SIMPLIFIED_PRESENCE_EVENTS && caps.simplified_presence_events === true,
    includeDeactivatedGroups: fl >= FL.INCLUDE_DEACTIVATED_GROUPS && caps.include_deactivated_groups === true,
    clientGravatar,
    lifespanSecs: lifespan <= 0 ? DEFAULT_EVENT_QUEUE_TIMEOUT_SECS : Math.min(lifespan, MAX_QUEUE_TIMEOUT_SECS),
  });
  const want = (type: string) => fetchTypes === null || fetchTypes.includes(type);

  const data: Record<string, unknown> = { queue_id: queue.id, last_event_id: -1, ...versionFields(fl) };
  const raw: Array<[string, RawJson]> = [];

  if (want('custom_profile_fields')) {
    data.custom_profile_fields = state.visibleProfileFields().map((f) => state.formatProfileField(f));
    const types: Record<string, unknown> = { ...PROFILE_FIELD_TYPES };
    if (fl < FL.PRONOUNS_FIELD_TYPE) delete types.PRONOUNS;
    data.custom_profile_field_types = types;
  }

  if (want('presence')) {
    const presences = realmPresences(app, { modern: slimPresence, historyDays });
    raw.push(['presences', presences.json]);
    if (fl >= FL.PRESENCE_LAST_UPDATE_ID) data.presence_last_update_id = presences.lastUpdateId;
    if (fl >= FL.REGISTER_SERVER_TIMESTAMP) data.server_timestamp = app.now();
  }

  if (want('realm')) Object.assign(data, realmFields(ctx));

  if (want('realm_user')) {
    const opts = { clientGravatar, includeCustomProfileFields: true };
    raw.push(['realm_users', app.usersList.json(user, opts, 'active')]);
    raw.push(['realm_non_active_users', app.usersList.json(user, opts, 'inactive')]);
    data.cross_realm_bots = state.systemBots.map((bot) => formatUser(state, user, bot.user, { clientGravatar: false, includeCustomProfileFields: false }));
    // The caller's own account; avatars always as URLs (client_gravatar does not apply).
    data.avatar_source = user.avatar_source;
    data.avatar_url_medium = avatarUrl(state, user, { clientGravatar: false, medium: true });
    data.avatar_url = avatarUrl(state, user, { clientGravatar: false });
    data.can_create_streams = user.role <= 400;
    data.can_subscribe_other_users = user.role <= 400;
    data.can_invite_others_to_realm = user.role <= 200;
    data.is_admin = user.role <= 200;
    data.is_owner = user.role === 100;
    if (fl >= FL.BILLING_ADMIN_FIELD && fl < FL.BILLING_ADMIN_REMOVED) data.is_billing_admin = user.role === 100;
    data.is_moderator = user.role === 300;
    data.is_guest = user.role === 600;
    data.user_id = user.user_id;
    data.email = state.apiEmail(user);
    data.delivery_email = user.delivery_email;
    data.full_name = user.full_name;
  }

  if (want('realm_user_groups')) {
    // Deactivated groups (FL 290+) go to every client until FL 294, then only to those with the capability.
    const includeDeactivated = fl < FL.INCLUDE_DEACTIVATED_GROUPS || queue.settings.includeDeactivatedGroups === true;
    data.realm_user_groups = app.groups.list(includeDeactivated).map((g) => app.groups.format(g));
  }

  if (want('user_status')) {
    const statuses: Record<string, unknown> = {};
    for (const u of state.org.users) {
      if (!u.is_active || !app.hasStatusRow(u)) continue;
      const formatted = app.formatStatus(u);
      if (Object.keys(formatted).length > 0) statuses[String(u.user_id)] = formatted;
    }
    data.user_status = statuses;
  }

  return { data, raw };
}

/** The `realm` part of the initial state: the fields a directory reads, plus common ones. */
function realmFields(ctx: ApiContext): Record<string, unknown> {
  const { app, site } = ctx;
  const fl = app.featureLevel;
  const realm = app.state.org.realm;
  const out: Record<string, unknown> = {
    realm_name: realm.name,
    realm_description: `<p>${escapeHtml(realm.description)}</p>`,
    realm_icon_url: realmIconUrl(ctx),
    realm_icon_source: 'G',
    realm_presence_disabled: app.state.presenceDisabled,
    realm_default_language: 'en',
    realm_email_changes_disabled: false,
    realm_name_changes_disabled: false,
    realm_avatar_changes_disabled: false,
    realm_invite_required: true,
    realm_inline_image_preview: true,
    realm_inline_url_embed_preview: false,
    realm_is_zephyr_mirror_realm: false,
    realm_email_auth_enabled: true,
    realm_password_auth_enabled: true,
    realm_waiting_period_threshold: 0,
    realm_plan_type: 1,
    realm_default_external_accounts: DEFAULT_EXTERNAL_ACCOUNTS,
    realm_bot_domain: realm.email_domain,
    realm_uri: site,
    max_message_length: 10000,
    max_topic_length: 60,
    max_stream_name_length: 60,
    max_stream_description_length: 1024,
    max_file_upload_size_mib: 25,
    max_avatar_file_size_mib: 5,
    zulip_plan_is_not_limited: true,
    server_generation: Math.floor(app.startedAt),
    server_avatar_changes_disabled: false,
    server_name_changes_disabled: false,
    server_inline_image_preview: true,
    server_inline_url_embed_preview: false,
    development_environment: false,
  };
  // The realm-wide setting, until 7.0 made it each person's (CL, FL 163: "Removed realm setting email_address_visibility").
  if (fl < FL.PER_USER_EMAIL_VISIBILITY) out.realm_email_address_visibility = EMAIL_VISIBILITY_CODES[app.state.realmEmailVisibility];
  if (fl >= FL.REALM_URL) out.realm_url = site;
  if (fl >= 128) out.realm_org_type = 10;
  if (fl >= 203) out.realm_date_created = Math.floor(Date.parse(realm.date_created) / 1000);
  if (fl >= 216) out.realm_enable_guest_user_indicator = true;
  if (fl >= FL.LONGPOLL_TIMEOUT_IN_REGISTER) {
    out.server_needs_upgrade = false;
    out.event_queue_longpoll_timeout_seconds = EVENT_QUEUE_LONGPOLL_TIMEOUT_SECONDS;
  }
  if (fl >= FL.PRESENCE_THRESHOLDS_IN_REGISTER) {
    out.server_presence_ping_interval_seconds = PRESENCE_PING_INTERVAL_SECS;
    out.server_presence_offline_threshold_seconds = OFFLINE_THRESHOLD_SECS;
  }
  return out;
}
