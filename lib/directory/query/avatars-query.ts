import { z } from 'zod';
import { AVATARS_PER_REQUEST } from '@/lib/directory/domain/avatar-link';
import { readQuery, UNKNOWN_PARAMETERS } from '@/lib/directory/query/read-query';

// `?ids=1,2,3` on /api/people/avatars (lib/directory/domain/avatar-link.ts): the people whose
// pictures' URLs are asked for, by user id, at most AVATARS_PER_REQUEST and none twice.
export const avatarsQuerySchema = z.strictObject(
  {
    ids: z
      .string()
      .max(AVATARS_PER_REQUEST * 10, `names more than ${AVATARS_PER_REQUEST} people`)
      .regex(/^\d{1,9}(,\d{1,9})*$/, 'must be user ids separated by commas')
      .transform((raw) => raw.split(',').map(Number))
      .refine((ids) => ids.length <= AVATARS_PER_REQUEST, `names more than ${AVATARS_PER_REQUEST} people`)
      .refine((ids) => new Set(ids).size === ids.length, 'names someone twice'),
  },
  UNKNOWN_PARAMETERS,
);

export function parseAvatarsQuery(params: URLSearchParams): { ok: true; ids: number[] } | { ok: false; error: string } {
  const parsed = readQuery(avatarsQuerySchema, params);
  return parsed.ok ? { ok: true, ids: parsed.value.ids } : parsed;
}
