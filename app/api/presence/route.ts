import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { refuseApiRequest } from '@/lib/access/viewer';
import { getPresenceSince } from '@/lib/directory/service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';

const querySchema = z.object({ since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }).strict();

/** GET /api/presence[?since=version]: presence changes since a version, or the whole snapshot. */
export async function GET(request: NextRequest) {
  const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return apiError(400, 'invalid_query', '"since" must be a presence version number, and nothing else is accepted');
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    return apiJson(await getPresenceSince(parsed.data.since ?? null));
  } catch (error) {
    return toErrorResponse(error);
  }
}
