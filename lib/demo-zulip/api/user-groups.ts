// GET /user_groups (zerver/views/user_groups.py get_user_group, docs/zulip.md §n). Decorated
// with require_member_or_admin (zerver/decorator.py): guests and bots are refused, so a
// directory's bot reads groups from register's `realm_user_groups` instead.
import { FL } from '../core/versions';
import { badRequest } from '../http/errors';
import type { ApiContext, ApiResult } from './types';

export function getUserGroups(ctx: ApiContext): ApiResult {
  const { app, params, user } = ctx;
  if (user.role === 600) throw badRequest('Not allowed for guest users');
  if (user.is_bot) throw badRequest('This endpoint does not accept bot requests.');
  // `allow_deactivated` from FL 290, renamed `include_deactivated_groups` at FL 294; default false.
  const fl = app.featureLevel;
  const include =
    fl >= FL.INCLUDE_DEACTIVATED_GROUPS
      ? params.bool('include_deactivated_groups', false)
      : fl >= FL.USER_GROUP_DEACTIVATION
        ? params.bool('allow_deactivated', false)
        : false;
  return { data: { user_groups: app.groups.list(include).map((g) => app.groups.format(g)) } };
}
