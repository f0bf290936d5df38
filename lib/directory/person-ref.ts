import { z } from 'zod';

/**
 * A profile reference from a URL: a user id, a Zulip API email or a real email. It is only
 * ever looked up in the people store (never sent to Zulip as given), but it is still checked so
 * that nonsense gets a clear 404/400 instead of a search through the store.
 */
export const personRefSchema = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(254, 'is longer than any email address')
  .refine((v) => !/[\u0000-\u001f\u007f/\\]/.test(v), 'contains characters no user id or email has');

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
