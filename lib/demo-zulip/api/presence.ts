// Presence endpoints (zerver/views/presence.py): GET /users/{user_id_or_email}/presence,
// GET /realm/presence, POST /users/me/presence. What changed between Zulip versions is in
// docs/zulip-versions.md §1 and §3.
import type { DemoApp } from '../core/app';
import { LEGACY_OFFLINE_THRESHOLD_SECS, OFFLINE_THRESHOLD_SECS } from '../core/presence-rows';
import { clientRowsSince, legacyFragment, legacyUserPresence, modernFragment, modernUserPresence } from '../core/presence-format';
import { FL } from '../core/versions';
import { badRequest } from '../http/errors';
import { pythonInt } from '../http/path';
import type { DemoUser } from '../types';
import type { ApiContext, ApiResult } from './types';

const DAY = 86_400;
/** Bulk presence covers users connected in the last two weeks unless told otherwise. */
const DEFAULT_HISTORY_DAYS = 14;

export interface PresenceQuery {
  modern: boolean;
  /** Only rows changed after this presence sequence value. */
  lastUpdateId?: number;
  /** Only rows connected in this many days; 0 returns nothing. */
  historyDays?: number;
}

/**
 * The realm's `presences` map as JSON text (zerver/lib/presence.py:get_presence_dict_by_realm):
 * active humans only, keyed by user id (modern) or API email (legacy); plus
 * `presence_last_update_id` computed as Zulip does. Before FL 178 the window applies to each
 * client row, and a user none of whose rows is in it is left out.
 */
export function realmPresences(app: DemoApp, query: PresenceQuery): { json: string; lastUpdateId: number } {
  const state = app.state;
  // get_presences_for_realm: nothing, and -1, whatever the client holds.
  if (state.presenceDisabled) return { json: '{}', lastUpdateId: -1 };
  if (query.historyDays === 0) return { json: '{}', lastUpdateId: query.lastUpdateId ?? -1 };
  const since = app.now() - (query.historyDays ?? DEFAULT_HISTORY_DAYS) * DAY;
  // A client that already holds data gets every newer change, however old its connection time.
  const useWindow = query.lastUpdateId === undefined || query.lastUpdateId <= 0;
  const parts: string[] = [];
  let maxId = -Infinity;
  const fl = app.featureLevel;
  const perClient = fl < FL.AGGREGATED_PRESENCE_ONLY;
  const rowSince = perClient ? since : undefined;
  for (const [userId, row] of state.presence.entries()) {
    if (query.lastUpdateId !== undefined && row.lastUpdateId <= query.lastUpdateId) continue;
    if (perClient ? clientRowsSince(row, since).length === 0 : useWindow && row.lastConnected < since) continue;
    const user = state.usersById.get(userId);
    if (!user || !user.is_active || user.is_bot) continue;
    const joined = state.dateJoined(user);
    if (query.modern) parts.push(`"${userId}":${modernFragment(row, joined, fl, rowSince)}`);
    else parts.push(`${JSON.stringify(state.apiEmail(user))}:${legacyFragment(row, joined, fl, rowSince)}`);
    if (row.lastUpdateId > maxId) maxId = row.lastUpdateId;
  }
  const lastUpdateId = parts.length > 0 ? maxId : (query.lastUpdateId ?? -1);
  return { json: `{${parts.join(',')}}`, lastUpdateId };
}

/** GET /realm/presence: legacy format, two weeks, no parameters (docs/zulip-versions.md §3). */
export function getRealmPresence(ctx: ApiContext): ApiResult {
  const { json } = realmPresences(ctx.app, { modern: false });
  return { data: { server_timestamp: ctx.app.now() }, raw: [['presences', json]] };
}

/** Finds the target of the single-user endpoint: an int is an id, anything else an API email. */
function presenceTarget(ctx: ApiContext, value: string): DemoUser {
  const state = ctx.app.state;
  const id = pythonInt(value);
  const user = id !== null ? state.usersById.get(id) : state.byEmail(value.trim());
  if (!user || !user.is_active || state.isSystemBot(user.user_id)) throw badRequest('No such user');
  return user;
}

/**
 * GET /users/{user_id_or_email}/presence, in the shape of the server's level
 * (docs/zulip-versions.md §9): legacy per-client or `website` + `aggregated` entries until
 * FL 487; only the modern pair at FL 487–496; both, and `server_timestamp`, from FL 497.
 */
export function getUserPresence(ctx: ApiContext): ApiResult {
  const raw = ctx.args.user_id_or_email!;
  const target = presenceTarget(ctx, raw);
  if (target.is_bot) throw badRequest('Presence is not supported for bot users.');
  const row = ctx.app.state.presence.get(target.user_id);
  if (!row) throw badRequest(`No presence data for ${raw}`);

  const fl = ctx.app.featureLevel;
  const joined = ctx.app.state.dateJoined(target);
  // FL 487–496 (commit 4c3aa4c007, PR #38597): the modern pair alone, not marked offline.
  if (fl >= FL.SINGLE_USER_MODERN_PRESENCE && fl < FL.SINGLE_USER_LEGACY_RESTORED) {
    return { data: { presence: modernUserPresence(row, joined, fl) } };
  }

  const now = ctx.app.now();
  const presence: Record<string, unknown> = {};
  const legacy = legacyUserPresence(row, joined, fl);
  const aggregated = legacy.aggregated!;
  // settings.OFFLINE_THRESHOLD_SECS: 300 until FL 164, 200 since.
  const threshold = fl >= FL.PRESENCE_THRESHOLDS_IN_REGISTER ? OFFLINE_THRESHOLD_SECS : LEGACY_OFFLINE_THRESHOLD_SECS;
  if (Math.floor(now) - (aggregated.timestamp as number) > threshold) aggregated.status = 'offline';
  for (const [key, info] of Object.entries(legacy)) {
    // The endpoint strips `client` and `pushable` from every entry.
    presence[key] = { status: info.status, timestamp: info.timestamp };
  }
  if (fl < FL.SINGLE_USER_LEGACY_RESTORED) return { data: { presence } };
  // FL 497 (PR #39112): the legacy entries back beside the modern pair, and Zulip's clock.
  return { data: { presence: { ...presence, ...modernUserPresence(row, joined, fl) }, server_timestamp: now } };
}

/**
 * POST /users/me/presence: humans report their own presence; the answer is the realm's presence
 * (unless `ping_only`), modern when `slim_presence` or `last_update_id` is sent.
 */
export function updatePresence(ctx: ApiContext): ApiResult {
  if (ctx.user.is_bot) throw badRequest('This endpoint does not accept bot requests.');
  const fl = ctx.app.featureLevel;
  const p = ctx.params;
  // Read in the view's parameter order, so the first invalid one is the one reported.
  const lastUpdateId = fl >= FL.PRESENCE_LAST_UPDATE_ID ? p.int('last_update_id') : undefined;
  const historyDays = fl >= FL.PRESENCE_HISTORY_LIMIT_DAYS ? p.int('history_limit_days') : undefined;
  p.bool('new_user_input', false);
  const pingOnly = p.bool('ping_only', false);
  const slim = p.bool('slim_presence', false);
  const status = p.str('status', true);
  if (status !== 'active' && status !== 'idle') throw badRequest(`Invalid status: ${status}`);

  ctx.app.reportPresence(ctx.user, ctx.clientName, status);
  if (pingOnly) return { data: {} };

  const result = realmPresences(ctx.app, { modern: slim || lastUpdateId !== undefined, lastUpdateId, historyDays });
  const raw: Array<[string, string]> = [['presences', result.json]];
  const data: Record<string, unknown> = {};
  data.server_timestamp = ctx.app.now();
  if (fl >= FL.PRESENCE_LAST_UPDATE_ID) data.presence_last_update_id = result.lastUpdateId;
  return { data, raw };
}
