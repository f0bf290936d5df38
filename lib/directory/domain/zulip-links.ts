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

/** "Message in Zulip": `{realm}/#narrow/dm/{id}-{slug}` (the `dm` operator needs Zulip 7.0+). */
export function dmUrl(realmUrl: string, userId: number, fullName: string): string {
  return `${base(realmUrl)}/#narrow/dm/${userId}-${dmSlug(fullName)}`;
}

/** "Open in Zulip": the same URL as the profile's own "copy link" button. */
export function profileUrl(realmUrl: string, userId: number): string {
  return `${base(realmUrl)}/#user/${userId}`;
}
