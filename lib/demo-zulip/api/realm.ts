// GET /server_settings (no auth) and GET /realm/profile_fields.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../core/html';
import { FL, zulipVersionFor } from '../core/versions';
import type { ApiContext, ApiResult } from './types';

/** The realm's icon when none was uploaded: a gravatar identicon of the realm's string id. */
export function realmIconUrl(ctx: Pick<ApiContext, 'app'>): string {
  const stringId = ctx.app.state.org.realm.email_domain.split('.')[0] ?? 'zulip';
  return `https://secure.gravatar.com/avatar/${createHash('md5').update(stringId).digest('hex')}?d=identicon`;
}

export function versionFields(fl: number): Record<string, unknown> {
  const { version, mergeBase } = zulipVersionFor(fl);
  const out: Record<string, unknown> = { zulip_version: version };
  if (fl >= FL.MERGE_BASE) out.zulip_merge_base = mergeBase;
  out.zulip_feature_level = fl;
  return out;
}

/** zerver/views/auth.py:api_get_server_settings, for a server hosting exactly one realm. */
export function getServerSettings(ctx: ApiContext): ApiResult {
  const fl = ctx.app.featureLevel;
  const realm = ctx.app.state.org.realm;
  const data: Record<string, unknown> = {
    authentication_methods: {
      password: true,
      dev: false,
      email: true,
      ldap: false,
      remoteuser: false,
      github: false,
      azuread: false,
      google: false,
      saml: false,
    },
    ...versionFields(fl),
    push_notifications_enabled: false,
    is_incompatible: false,
    email_auth_enabled: true,
    require_email_format_usernames: true,
  };
  if (fl >= FL.REALM_URL) data.realm_url = ctx.site;
  data.realm_uri = ctx.site;
  data.realm_name = realm.name;
  data.realm_icon = realmIconUrl(ctx);
  data.realm_description = `<p>${escapeHtml(realm.description)}</p>`;
  data.realm_web_public_access_enabled = false;
  data.external_authentication_methods = [];
  return { data };
}

/** zerver/views/custom_profile_fields.py:list_realm_custom_profile_fields. */
export function getProfileFields(ctx: ApiContext): ApiResult {
  const state = ctx.app.state;
  return { data: { custom_fields: state.visibleProfileFields().map((f) => state.formatProfileField(f)) } };
}
