// GET /users, /users/me, /users/{user_id}, /users/{email} (zerver/views/users.py, docs/zulip.md §f).
import { formatUser, type UserFormatOptions } from '../core/users-format';
import { FL } from '../core/versions';
import { badRequest } from '../http/errors';
import type { Params } from '../http/params';
import type { DemoUser } from '../types';
import type { ApiContext, ApiResult } from './types';

function userOptions(params: Params, featureLevel: number): UserFormatOptions {
  return {
    clientGravatar: params.bool('client_gravatar', featureLevel >= FL.CLIENT_GRAVATAR_DEFAULT_TRUE),
    includeCustomProfileFields: params.bool('include_custom_profile_fields', false),
  };
}

export function getUsers(ctx: ApiContext): ApiResult {
  const opts = userOptions(ctx.params, ctx.app.featureLevel);
  const userIds = ctx.app.featureLevel >= FL.GET_USERS_USER_IDS ? ctx.params.intList('user_ids') : undefined;
  if (userIds !== undefined) {
    const state = ctx.app.state;
    const members = userIds.map((id) => {
      const user = state.usersById.get(id);
      if (!user || state.isSystemBot(id)) throw badRequest('No such user');
      return formatUser(state, ctx.user, user, opts);
    });
    return { data: { members } };
  }
  return { data: {}, raw: [['members', ctx.app.usersList.json(ctx.user, opts)]] };
}

/** GET /users/me: the caller's own user object (client_gravatar off, profile data on) and max_message_id. */
export function getOwnUser(ctx: ApiContext): ApiResult {
  const data = formatUser(ctx.app.state, ctx.user, ctx.user, { clientGravatar: false, includeCustomProfileFields: true });
  data.max_message_id = -1; // the demo realm has no messages
  return { data };
}

/** A user of this realm by id; system bots live in another realm. */
function realmUser(ctx: ApiContext, id: number): DemoUser | undefined {
  const user = ctx.app.state.usersById.get(id);
  if (!user || ctx.app.state.isSystemBot(id)) return undefined;
  return user;
}

export function getUserById(ctx: ApiContext): ApiResult {
  const opts = userOptions(ctx.params, ctx.app.featureLevel);
  const user = realmUser(ctx, Number(ctx.args.user_id));
  if (!user) throw badRequest('No such user');
  return { data: { user: formatUser(ctx.app.state, ctx.user, user, opts) } };
}

/**
 * GET /users/{email}: since FL 302 the real address works where the caller may see it, as well
 * as the API email; before that only the API email. Bots and deactivated users are included.
 */
export function getUserByEmail(ctx: ApiContext): ApiResult {
  const opts = userOptions(ctx.params, ctx.app.featureLevel);
  const state = ctx.app.state;
  const email = ctx.args.email!;
  let user: DemoUser | undefined;
  if (ctx.app.featureLevel >= FL.USER_BY_DELIVERY_EMAIL) {
    const byReal = state.byRealEmail(email);
    if (byReal && state.canSeeDeliveryEmail(ctx.user, byReal)) user = byReal;
  }
  user ??= state.byEmail(email);
  if (!user || !realmUser(ctx, user.user_id)) throw badRequest('No such user');
  return { data: { user: formatUser(state, ctx.user, user, opts) } };
}
