import { z } from 'zod';

// DIRECTORY_ACCESS=proxy: a reverse proxy in front of the app (oauth2-proxy, an SSO gateway…)
// signs people in and passes their email in a header. A header alone can be sent by anyone who
// reaches the app directly, so the proxy must also send the shared DIRECTORY_PROXY_SECRET in
// X-Directory-Proxy-Secret; without it the identity header is ignored. (A secret rather than a
// trusted proxy address: Next.js does not give route handlers the connection's address, and
// X-Forwarded-For is whatever the client wrote.) The email is then looked up among the
// organization's active members (lib/server/viewer.ts).

export type ProxyIdentity = { ok: true; email: string } | { ok: false; reason: 'no_secret' | 'wrong_secret' | 'no_identity' | 'bad_identity' };

const identitySchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+$/);

/** Compares without returning early at the first difference (a timing side channel on the secret). */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function readProxyIdentity(headers: Headers, config: { identityHeader: string; secretHeader: string; secret: string }): ProxyIdentity {
  const given = headers.get(config.secretHeader);
  if (given === null) return { ok: false, reason: 'no_secret' };
  if (!constantTimeEqual(given, config.secret)) return { ok: false, reason: 'wrong_secret' };
  const identity = headers.get(config.identityHeader);
  if (identity === null || identity.trim() === '') return { ok: false, reason: 'no_identity' };
  const parsed = identitySchema.safeParse(identity);
  return parsed.success ? { ok: true, email: parsed.data } : { ok: false, reason: 'bad_identity' };
}
