import { z } from 'zod';
import { readQuery, wholeNumber } from '@/lib/directory/query/read-query';

// `?since=N` for /api/presence and its stream: the presence version the viewer already has.
export const sinceQuerySchema = z.object({ since: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a presence version').optional() }).strict();

export function parseSinceQuery(params: URLSearchParams): { ok: true; since: number | null } | { ok: false; error: string } {
  const parsed = readQuery(sinceQuerySchema, params);
  return parsed.ok
    ? { ok: true, since: parsed.value.since ?? null }
    : { ok: false, error: '"since" must be a presence version number, and nothing else is accepted' };
}
