import { z } from 'zod';

/**
 * A profile reference from a URL: a user id, a Zulip API email or a real email. It is only
 * ever looked up in the people store (never sent to Zulip as given), but it is still checked so
 * that nonsense gets a clear 404/400 instead of a search through the store.
 */
export const personRefSchema = z
  .string()
  // Checked before trimming: JavaScript's trim() would also strip a byte-order mark or a
  // no-break space and turn "\uFEFF10" into person 10. Only plain spaces around a reference are
  // forgiven (Zulip trims them too); controls, invisible format characters (bidi overrides,
  // zero-width), other spaces and path separators are refused.
  .refine(
    (v) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000/\\]/u.test(v),
    'contains characters no user id or email has',
  )
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'is empty').max(254, 'is longer than any email address'));

export function parsePersonRef(raw: string): { ok: true; ref: string } | { ok: false; error: string } {
  const parsed = personRefSchema.safeParse(decodeOnce(raw));
  return parsed.success ? { ok: true, ref: parsed.data } : { ok: false, error: `Person reference ${parsed.error.issues[0]?.message}` };
}

/**
 * Next hands route params over percent-encoded in some paths (a client-side navigation to
 * `/people/ana%40example.com` arrives as "ana%40example.com"), so decode once. No user id or
 * email contains a literal "%", and a malformed escape is left as it is (and then not found).
 */
function decodeOnce(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
