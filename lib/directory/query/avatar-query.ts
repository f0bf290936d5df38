import { z } from 'zod';
import { readQuery, wholeNumber } from '@/lib/directory/query/read-query';

// `?v={version}` on /api/people/{ref}/avatar (lib/directory/domain/avatar-link.ts): the picture's
// version the asker knows of, only to tell one address from the next. Anything else is refused.
export const avatarQuerySchema = z.object({ v: wholeNumber(0, 999_999_999, 'a picture version').optional() }).strict();

export function parseAvatarQuery(params: URLSearchParams): { ok: true; version: number | null } | { ok: false; error: string } {
  const parsed = readQuery(avatarQuerySchema, params);
  return parsed.ok ? { ok: true, version: parsed.value.v ?? null } : { ok: false, error: '"v" must be a picture’s version number, given once, and nothing else is accepted' };
}
