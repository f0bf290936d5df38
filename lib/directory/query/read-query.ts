import { z } from 'zod';

/** For a strict object schema of an address's query: an unknown parameter is named in the error. */
export const UNKNOWN_PARAMETERS = {
  error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys!.map((k) => `"${k}"`).join(', ')}` : undefined),
};

/**
 * A whole number in an address, written as digits only: "1e3", "0x10", " 7", "+5" or an empty
 * value are refused, never read as some number (`z.coerce` would take each).
 */
export function wholeNumber(min: number, max: number, what = 'a whole number') {
  const message = `must be ${what} from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,16}$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message)
    // The API's description says it as sent: digits (a pattern), and the bounds in words.
    .describe(`${what[0]!.toUpperCase()}${what.slice(1)} from ${min} to ${max}, in digits`);
}

/** An address's query as Next or URLSearchParams hands it over. */
export type QueryParams = URLSearchParams | Record<string, string | string[] | undefined>;

/**
 * The one reading of an address's query (the directory's, a team page's, the org chart's, a
 * picture's, presence's `since`, the sign-in page's): a parameter given twice is an error, never "the last one wins", then `schema`
 * reads the rest, and its first problem becomes one plain sentence (bounded: a key or message
 * from a link is not echoed at any length).
 */
export function readQuery<T>(schema: { safeParse(data: unknown): z.ZodSafeParseResult<T> }, params: QueryParams): { ok: true; value: T } | { ok: false; error: string } {
  const entries: Record<string, string> = Object.create(null) as Record<string, string>;
  const pairs = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    if (Array.isArray(value) || Object.hasOwn(entries, key)) return { ok: false, error: `"${key.slice(0, 50)}" is given more than once` };
    entries[key] = value;
  }
  const parsed = schema.safeParse({ ...entries });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, error: 'invalid query' };
  if (issue.code === 'unrecognized_keys' || issue.path.length === 0) return { ok: false, error: issue.message.slice(0, 200) };
  return { ok: false, error: `"${issue.path.join('.')}" ${issue.message}` };
}
