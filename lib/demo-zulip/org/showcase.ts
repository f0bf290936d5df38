// Two people every generated organization has, so apps can be tested against the presence
// shapes old servers really send (docs/zulip-versions.md §1): before Zulip 7.0 a user's slim
// presence entry is built from their per-client rows and leaves out a timestamp no row has.
//   idleOnly    keeps Zulip open in a background browser tab all day and never uses it there:
//               their only client row is idle, so servers before 7.0 send {"idle_timestamp": N}
//               (and 7.0+ send active_timestamp = date_joined, having never seen them active).
//   activeOnly  only uses the mobile app, whose reports are always "active": before 7.0 the
//               entry is {"active_timestamp": N}.
// They are picked and reshaped after generation, by a hash, so the random stream (and so every
// other person) is exactly as without them.
import { hash32 } from './random';
import { leaveKind } from './statuses';
import type { DemoPresenceShowcase, DemoUser } from '../types';

const SALT_IDLE_ONLY = 31;
const SALT_ACTIVE_ONLY = 32;

/** Someone who reports presence every working day: active, visible, at work, ever connected. */
function eligible(user: DemoUser, ceoId: number): boolean {
  return user.is_active && !user.is_bot && user.presence_enabled && user.work !== null && leaveKind(user.status) === null && user.user_id !== ceoId;
}

/** The eligible person ranked first by a per-seed hash, excluding `taken`. */
function pick(users: DemoUser[], ceoId: number, seed: number, salt: number, taken: number | null): DemoUser | null {
  let best: DemoUser | null = null;
  let bestRank = Infinity;
  for (const user of users) {
    if (user.user_id === taken || !eligible(user, ceoId)) continue;
    const rank = hash32(user.user_id, seed, salt);
    if (rank < bestRank) {
      best = user;
      bestRank = rank;
    }
  }
  return best;
}

/** Chooses the two people and gives them their client habits; ids are null in tiny organizations. */
export function applyPresenceShowcase(users: DemoUser[], ceoId: number, seed: number): DemoPresenceShowcase {
  const idle = pick(users, ceoId, seed, SALT_IDLE_ONLY, null);
  if (idle?.work) idle.work = { ...idle.work, clients: ['website'], focus: 0 };
  const active = pick(users, ceoId, seed, SALT_ACTIVE_ONLY, idle?.user_id ?? null);
  if (active?.work) active.work = { ...active.work, clients: ['ZulipMobile'] };
  return { idleOnly: idle?.user_id ?? null, activeOnly: active?.user_id ?? null };
}
