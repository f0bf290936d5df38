// User status: GET /users/{user_id}/status (FL 262) and POST /users/me/status
// (zerver/views/user_status.py, docs/zulip.md §f).
import { badRequest } from '../http/errors';
import type { ApiContext, ApiResult } from './types';
import { FL } from '../core/versions';

const REACTION_TYPES = new Set(['unicode_emoji', 'realm_emoji', 'zulip_extra_emoji']);
const MAX_STATUS_TEXT = 60;

/** The unicode emoji the demo knows by name (Zulip's full table has ~1,800; these cover the usual statuses). */
const EMOJI_CODES: Record<string, string> = {
  palm_tree: '1f334', sick: '1f912', hurt: '1f915', baby: '1f476', calendar: '1f4c5', house: '1f3e0', office: '1f3e2',
  bus: '1f68c', headphones: '1f3a7', microphone: '1f3a4', coffee: '2615', rocket: '1f680', car: '1f697',
  airplane: '2708', hospital: '1f3e5', spiral_calendar: '1f5d3', stopwatch: '23f1', zzz: '1f4a4',
  smile: '1f642', tada: '1f389', working_on_it: '1f6e0', writing: '270d', book: '1f4d6', pizza: '1f355',
  umbrella: '2602', computer: '1f4bb', phone: '1f4de', mute: '1f507', thought: '1f4ad', heart: '2764',
  octopus: '1f419', sunny: '2600', snowflake: '2744', thumbs_up: '1f44d', check: '2714', busy: '26d4',
};

/** GET /users/{user_id}/status: `{}` when none was set; bots are "No such user". */
export function getUserStatus(ctx: ApiContext): ApiResult {
  const state = ctx.app.state;
  const user = state.usersById.get(Number(ctx.args.user_id));
  if (!user || user.is_bot || state.isSystemBot(user.user_id)) throw badRequest('No such user');
  if (!user.is_active) throw badRequest('User is deactivated');
  return { data: { status: ctx.app.hasStatusRow(user) ? ctx.app.formatStatus(user) : {} } };
}

/** POST /users/me/status: validates like Zulip, stores, and sends a `user_status` event. */
export function updateOwnStatus(ctx: ApiContext): ApiResult {
  const p = ctx.params;
  const away = p.optionalBool('away');
  let statusText = p.str('status_text');
  // Before FL 86 a status has no emoji: the server does not read these (an emoji alone is "no new values").
  const withEmoji = ctx.app.featureLevel >= FL.STATUS_EMOJI;
  const emojiName = withEmoji ? p.str('emoji_name') : undefined;
  let emojiCode = withEmoji ? p.str('emoji_code') : undefined;
  let reactionType = withEmoji ? p.str('reaction_type') : undefined;

  if (statusText !== undefined) {
    statusText = statusText.trim();
    if ([...statusText].length > MAX_STATUS_TEXT) throw badRequest(`status_text is too long (limit: ${MAX_STATUS_TEXT} characters)`);
  }
  if (away === undefined && statusText === undefined && emojiName === undefined) throw badRequest('Client did not pass any new values.');

  let emoji: { emoji_name: string; emoji_code: string; reaction_type: string } | undefined;
  if (emojiName === '') {
    // An empty name clears the emoji.
    emoji = { emoji_name: '', emoji_code: '', reaction_type: 'unicode_emoji' };
  } else if (emojiName !== undefined) {
    if (emojiCode === undefined || reactionType === undefined) {
      const known = EMOJI_CODES[emojiName];
      if (known === undefined) throw badRequest(`Emoji '${emojiName}' does not exist`);
      emojiCode = known;
      reactionType = 'unicode_emoji';
    }
    if (!REACTION_TYPES.has(reactionType)) throw badRequest('Invalid emoji type.');
    const known = EMOJI_CODES[emojiName];
    if (reactionType === 'unicode_emoji' && known !== undefined && known !== emojiCode) throw badRequest('Invalid emoji code.');
    emoji = { emoji_name: emojiName, emoji_code: emojiCode, reaction_type: reactionType };
  }
  ctx.app.updateStatus(ctx.user, { away, status_text: statusText, emoji });
  return { data: {} };
}
