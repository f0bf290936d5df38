// Demo accounts' passwords, so clients can sign in with POST /fetch_api_key as they would on a
// real server. Derived from the organization's seed and the user id, so a given demo server
// always has the same passwords, and listed in GET /demo/credentials. Bots have none (Zulip
// gives bots no usable password).
import { createHash } from 'node:crypto';
import type { DemoUser } from '../types';

export function demoPassword(seed: number, user: Pick<DemoUser, 'user_id' | 'is_bot'>): string | null {
  if (user.is_bot) return null;
  return createHash('sha256').update(`zulip-demo-password:${seed}:${user.user_id}`).digest('base64url').slice(0, 16);
}
