import { z } from 'zod';
import { readQuery, UNKNOWN_PARAMETERS } from '@/lib/directory/query/read-query';

// The inputs of signing in: the form posted to /api/auth/sign-in, and the /sign-in page's own
// parameters (where to go afterwards, and what went wrong last time).

/**
 * A path inside this app: "/", "/people/12?x"… never "//evil.example" or "https://…" (no open
 * redirect), nor what becomes one once its dot segments are resolved ("/.//evil.example",
 * "/%2e//evil.example": the URL parser makes their path "//evil.example", a host to a browser).
 */
export const localPathSchema = z
  .string()
  .max(2000)
  .refine((p) => p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\') && !/[\u0000-\u001f\u007f\\]/.test(p) && staysLocal(p), 'must be a path in this app');

/** Resolved as the redirect will resolve it (auth-response.ts appAddress): still this app's, its path one slash. */
function staysLocal(path: string): boolean {
  const url = new URL(path, 'http://app.invalid');
  return url.origin === 'http://app.invalid' && !url.pathname.startsWith('//');
}

export const SIGN_IN_ERRORS = [
  'invalid_input',
  'invalid_credentials',
  'not_a_member',
  'rate_limited',
  'unavailable',
  'store_unavailable',
  'signed_out',
  'sign_out_incomplete',
] as const;
export type SignInError = (typeof SIGN_IN_ERRORS)[number];

export const signInFormSchema = z.object({
  email: z
    .string()
    .trim()
    .min(3)
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  method: z.enum(['password', 'api_key']).default('password'),
  /** The Zulip password, or the API key with method=api_key. Never logged, stored or echoed. */
  secret: z.string().min(1).max(1024),
  next: localPathSchema.default('/'),
});
export type SignInForm = z.infer<typeof signInFormSchema>;

export const signInPageParamsSchema = z.strictObject(
  {
    next: localPathSchema.optional(),
    error: z.enum(SIGN_IN_ERRORS).optional(),
    retry: z.coerce.number().int().min(1).max(86_400).optional(),
  },
  UNKNOWN_PARAMETERS,
);

/** Parses the /sign-in page's query (repeated keys are an error, as everywhere else). */
export function parseSignInPageParams(params: URLSearchParams): { ok: true; value: z.infer<typeof signInPageParamsSchema> } | { ok: false; error: string } {
  return readQuery(signInPageParamsSchema, params);
}
