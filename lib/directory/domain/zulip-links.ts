// Links into the Zulip web app (docs/zulip.md §i), built exactly as Zulip builds its own.
//
// The rule followed for DM links: Zulip's `hash_util.pm_with_url` returns
// "#narrow/dm/" + `people.emails_to_slug(...)`, and the slug is `user_id + "-" +
// full_name.replace(/[ "%/<>`\p{C}]+/gu, "-")`. It is NOT passed through `encode_operand` /
// `encodeHashComponent` (the "URL-encode, then % → ." operand encoding is what
// `operators_to_hash` applies to other operands, e.g. channel names). Other characters
// (accents, CJK, "?", "#") are left as they are, just as in Zulip's own links; the parser only
// reads the leading id, so the slug is cosmetic.

// Space, ", %, /, <, >, ` and every "Other" code point (controls, format chars, surrogates,
// private use, unassigned), in runs.
const SLUG_UNSAFE = /[ "%/<>`\p{C}]+/gu;

export function dmSlug(fullName: string): string {
  return fullName.replace(SLUG_UNSAFE, '-');
}

/** `https://chat.example.com/` and `https://chat.example.com` give the same links. */
function base(realmUrl: string): string {
  return realmUrl.replace(/\/+$/, '');
}

/** The feature level of Zulip 7.0, whose web app knows the `dm` narrow operator. */
const FL_DM_OPERATOR = 177;
/** The feature level of Zulip 9.0, whose web app opens a profile from `#user/{id}`. */
const FL_USER_HASH = 240;

/**
 * "Message in Zulip": `{realm}/#narrow/dm/{id}-{slug}`; before Zulip 7.0 the same narrow was
 * `pm-with` (which later servers still accept, but they write `dm`).
 */
export function dmUrl(realmUrl: string, userId: number, fullName: string, featureLevel: number): string {
  const operator = featureLevel >= FL_DM_OPERATOR ? 'dm' : 'pm-with';
  return `${base(realmUrl)}/#narrow/${operator}/${userId}-${dmSlug(fullName)}`;
}

/**
 * "Open in Zulip": the same URL as the profile's own "copy link" button; null before Zulip 9.0,
 * whose web app opens a profile from no link.
 */
export function profileUrl(realmUrl: string, userId: number, featureLevel: number): string | null {
  return featureLevel >= FL_USER_HASH ? userHashUrl(realmUrl, userId) : null;
}

/** The Zulip account's own address, whatever the web app can open (a contact card's UID names it). */
export function userHashUrl(realmUrl: string, userId: number): string {
  return `${base(realmUrl)}/#user/${userId}`;
}
