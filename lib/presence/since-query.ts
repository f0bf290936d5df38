import { z } from 'zod';
import { readQuery } from '@/lib/directory/query/read-query';

// `?since=N` for /api/presence and its stream: the presence version the viewer already has.
export const sinceQuerySchema = z.object({ since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }).strict();

export function parseSinceQuery(params: URLSearchParams): { ok: true; since: number | null } | { ok: false; error: string } {
  const parsed = readQuery(sinceQuerySchema, params);
  return parsed.ok
    ? { ok: true, since: parsed.value.since ?? null }
    : { ok: false, error: '"since" must be a presence version number, and nothing else is accepted' };
}
