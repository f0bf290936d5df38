import type { UserRecord } from '@/lib/zulip/records';

// Which real addresses the directory may show: exactly those Zulip shows an ordinary member of
// the organization, whatever the bot itself may read (an administrator bot reads nearly all).
// How Zulip decides, per version, is in docs/zulip.md §f ("Who sees a real address"):
//
// - before 7.0 (FL 163) one realm setting decides for every human, and members see real
//   addresses only when it is "everyone" (1); the API `email` is then the real address and no
//   `delivery_email` is sent;
// - from 7.0 each person's own setting decides: members see it at "everyone" (1) and "members"
//   (2). "everyone" is the one level where the API `email` is the real address, so
//   `email === delivery_email` means "everyone" whatever the bot's role. "members" can only be
//   told apart from "moderators" and "admins" when the bot is itself a member: then Zulip
//   already sent `delivery_email` only where a member may read it.

/** Zulip's EMAIL_ADDRESS_VISIBILITY_EVERYONE. */
export const EMAIL_VISIBLE_TO_EVERYONE = 1;
/** The feature level from which each person chooses (before, the realm did). */
export const PER_PERSON_EMAIL_VISIBILITY_FEATURE_LEVEL = 163;
/** Zulip's ROLE_MEMBER: 100 owner, 200 admin, 300 moderator, 400 member, 600 guest. */
export const ROLE_MEMBER = 400;

export type EmailRule =
  /** Before FL 163: the realm's setting. `everyone`: its value is EVERYONE (and was read). */
  | { by: 'realm'; everyone: boolean }
  /** FL 163 on: each person's setting. `botIsMember`: Zulip's answers are already what a member gets. */
  | { by: 'person'; botIsMember: boolean };

/** The safest rule: only addresses whose owners show them to everyone. */
export const STRICTEST_EMAIL_RULE: EmailRule = { by: 'person', botIsMember: false };

/**
 * The rule for a server, from register: its feature level, the realm's
 * `email_address_visibility` (sent before FL 163 only; null when not sent) and the bot's role
 * (null when unknown, which counts as "not a member").
 */
export function emailRuleFor(featureLevel: number, realmEmailVisibility: number | null, botRole: number | null): EmailRule {
  if (featureLevel < PER_PERSON_EMAIL_VISIBILITY_FEATURE_LEVEL) return { by: 'realm', everyone: realmEmailVisibility === EMAIL_VISIBLE_TO_EVERYONE };
  return { by: 'person', botIsMember: botRole === ROLE_MEMBER };
}

/** The real address an ordinary member of the organization would see for this person, or null. */
export function memberVisibleEmail(user: UserRecord, rule: EmailRule): string | null {
  const { apiEmail, deliveryEmail } = user;
  if (deliveryEmail !== null && sameAddress(apiEmail, deliveryEmail)) return deliveryEmail;
  if (rule.by === 'person') return rule.botIsMember ? deliveryEmail : null;
  // Before 7.0 a public realm sends the real address as the API email. Should the realm turn
  // private while we run, Zulip sends everyone's new (dummy) API email: never show one of those.
  return rule.everyone && !isDummyAddress(user) ? apiEmail : null;
}

/** Zulip's stand-in for a hidden address, `user{id}@{realm host}` (zerver/lib/create_user.py). */
export function isDummyAddress(user: Pick<UserRecord, 'id' | 'apiEmail'>): boolean {
  return user.apiEmail.toLowerCase().startsWith(`user${user.id}@`);
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
