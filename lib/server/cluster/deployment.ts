import 'server-only';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Which deployment a Redis key belongs to, and proof that an instance of it wrote the value
// (docs/architecture.md §10, "One deployment per prefix"). Several directories may share one
// Redis by mistake (one REDIS_URL, the same prefix); an instance must never serve another's data.

/**
 * A deployment is one Zulip site and one bot: every instance pointed at them shows the same
 * organization through the same eyes. Its identity is a hash of the two (no secret in it: it is
 * written into Redis and shown in /api/health), 16 hex characters.
 */
export function deploymentIdentity(site: string, botEmail: string): string {
  return createHash('sha256').update(`zulip-directory\n${site.replace(/\/+$/, '').toLowerCase()}\n${botEmail.trim().toLowerCase()}`).digest('hex').slice(0, 16);
}

/**
 * Signs what an instance writes for the others, and checks what it reads back. Without
 * REDIS_SHARED_SECRET there is nothing to sign with: `seal` adds nothing and `open` accepts any
 * text (the data is still parsed record by record, and links pinned to ZULIP_SITE). With it,
 * every value carries an HMAC-SHA256 over the deployment and the value, and one without a valid
 * one is refused: someone who can write to Redis but does not know the secret cannot forge it.
 */
export interface Sealer {
  readonly signing: boolean;
  /** The text to store: `text` itself, or "<mac> <text>". */
  seal(text: string): string;
  /** The text a sealed value carries, or null when it is not proven to be ours. */
  open(stored: string): string | null;
}

export function sealer(deployment: string, secret: string | null): Sealer {
  if (!secret) return { signing: false, seal: (text) => text, open: (stored) => stored };
  const key = createHash('sha256').update(`zulip-directory-redis\n${deployment}\n${secret}`).digest();
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  return {
    signing: true,
    seal: (text) => `${mac(text)} ${text}`,
    open(stored) {
      const space = stored.indexOf(' ');
      if (space <= 0) return null;
      const given = Buffer.from(stored.slice(0, space));
      const text = stored.slice(space + 1);
      const expected = Buffer.from(mac(text));
      return given.length === expected.length && timingSafeEqual(given, expected) ? text : null;
    },
  };
}

/**
 * A key for a real address the bot may read but members may not, so a follower can still tell
 * who is signing in (a proxy's header, Zulip's answer to a sign-in) without the address ever
 * being written to Redis. Keyed with the bot's API key, which every instance of the deployment
 * holds and Redis never sees, so the key cannot be reversed by guessing addresses.
 */
export function memberKeyer(apiKey: string): (email: string) => string {
  const key = createHash('sha256').update(`zulip-directory-member\n${apiKey}`).digest();
  return (email) => createHmac('sha256', key).update(email.trim().toLowerCase()).digest('base64url');
}
