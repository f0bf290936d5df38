// What switching "Display my availability to other users" (presence_enabled) off does to the
// stored presence, by Zulip version (zerver/actions/user_settings.py do_change_user_setting;
// docs/zulip-versions.md §4):
//   before FL 139   nothing: reports simply stop being stored;
//   FL 139–370      every row deleted, one idle `website` report stored at now − (threshold + 120 s);
//   FL 371+         stored times newer than now − 265 s are moved back to it; older ones, or no
//                   row at all, are left alone.
// Switching it back on stores an active `website` report at now (FL 139+). Both directions then
// send a presence event that ignores the 100-user limit and the realm's presence_disabled.
import type { PresenceRow, PresenceRows } from './presence-rows';
import { LEGACY_OFFLINE_THRESHOLD_SECS, OFFLINE_THRESHOLD_SECS, PRESENCE_UPDATE_MIN_FREQ_SECONDS } from './presence-rows';
import { FL } from './versions';

/** 10.0+: far enough back that every client shows the user offline (200 + 55 + 10). */
export const INVISIBLE_BACKDATE_SECS = OFFLINE_THRESHOLD_SECS + PRESENCE_UPDATE_MIN_FREQ_SECONDS + 10;
/** 6.0–9.x: OFFLINE_THRESHOLD_SECS + 120 s "fudge factor" (420 s before FL 164, 320 s after). */
const REPLACED_BACKDATE_EXTRA_SECS = 120;

/** Whether toggling the setting touches stored presence and sends an event at this level. */
export const togglingRewritesPresence = (featureLevel: number) => featureLevel >= FL.PRESENCE_ENABLED_TOGGLE_EVENT;

/** How far back the replacement row goes at levels that replace rows (6.0–9.x). */
export function replacedBackdateSecs(featureLevel: number): number {
  const threshold = featureLevel >= FL.PRESENCE_THRESHOLDS_IN_REGISTER ? OFFLINE_THRESHOLD_SECS : LEGACY_OFFLINE_THRESHOLD_SECS;
  return threshold + REPLACED_BACKDATE_EXTRA_SECS;
}

/**
 * Applies the level's rule for switching availability off at `now`; returns the row to announce
 * in the (forced) presence event, or undefined when Zulip changes nothing and sends nothing.
 */
export function hidePresence(store: PresenceRows, userId: number, now: number, featureLevel: number): PresenceRow | undefined {
  if (!togglingRewritesPresence(featureLevel)) return undefined;
  if (featureLevel < FL.INVISIBLE_BACKDATE_IN_PLACE) return store.replaceWithIdle(userId, now - replacedBackdateSecs(featureLevel));
  return store.backdate(userId, now - INVISIBLE_BACKDATE_SECS);
}
