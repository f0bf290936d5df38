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
  const parsed = personRefSchema.safeParse(raw);
  return parsed.success ? { ok: true, ref: parsed.data } : { ok: false, error: `Person reference ${parsed.error.issues[0]?.message}` };
}
