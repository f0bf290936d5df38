// HTTP basic auth exactly as Zulip checks it (zerver/decorator.py: get_basic_credentials,
// validate_api_key, access_user_by_api_key, validate_account_and_subdomain), including the order
// of the checks and each failure's message (docs/zulip.md §h).
import type { DemoUser } from '../types';
import { ApiError, unauthorized } from './errors';

const BASE64_CHARS = /[^A-Za-z0-9+/=]/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Python's non-strict b64decode: junk characters are skipped, but bad padding is an error. */
function pythonB64Decode(text: string): Uint8Array | null {
  const filtered = text.replace(BASE64_CHARS, '');
  const data = filtered.replace(/=/g, '');
  if (data.length % 4 === 1) return null;
  const padded = data.length % 4 === 0 ? data.length : data.length + (4 - (data.length % 4));
  if (filtered.length < padded) return null; // "Incorrect padding"
  return Buffer.from(data, 'base64');
}

/** Python's str.strip(): whitespace at both ends. */
const pyStrip = (s: string) => s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');

/** Splits the header into (email, key), or throws the 400/401 Zulip sends for a malformed one. */
export function parseBasicCredentials(header: string): { email: string; apiKey: string } {
  const invalid = () => unauthorized('Invalid authorization header for basic auth');
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2) throw invalid();
  const [scheme, credentials] = parts as [string, string];
  if (scheme.toLowerCase() !== 'basic') throw new ApiError(400, 'This endpoint requires HTTP basic authentication.');
  const bytes = pythonB64Decode(credentials);
  if (!bytes) throw invalid();
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    throw invalid();
  }
  const pieces = decoded.split(':');
  if (pieces.length !== 2) throw invalid();
  return { email: pyStrip(pieces[0]!), apiKey: pyStrip(pieces[1]!) };
}

/**
 * Resolves the account a request authenticates as. `findByApiKey` looks a key up in the realm.
 * Order as in Zulip: missing header, header shape, key shape, unknown key, key of another email
 * (compared with the owner's delivery email, case-insensitively), deactivated, webhook bot.
 */
export function authenticate(header: string | undefined, findByApiKey: (key: string) => DemoUser | undefined): DemoUser {
  if (header === undefined || header === '') {
    throw unauthorized('Not logged in: API authentication or user session required');
  }
  const { email, apiKey } = parseBasicCredentials(header);
  if (!/^[A-Za-z0-9]{32}$/.test(apiKey)) throw unauthorized('Malformed API key');
  const user = findByApiKey(apiKey);
  if (!user || email.toLowerCase() !== user.delivery_email.toLowerCase()) throw unauthorized('Invalid API key');
  if (!user.is_active) throw unauthorized('Account is deactivated');
  if (user.bot_type === 2) throw unauthorized('This API is not available to incoming webhook bots.');
  return user;
}
