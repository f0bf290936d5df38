import type { NextRequest } from 'next/server';
import { parseSinceQuery } from '@/lib/presence/since-query';
import { refuseApiRequest } from '@/lib/access/viewer';
import { getPresenceSince } from '@/lib/server/directory-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';


/** GET /api/presence[?since=version]: presence changes since a version, or the whole snapshot. */
export async function GET(request: NextRequest) {
  const parsed = parseSinceQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    return apiJson(await getPresenceSince(parsed.since));
  } catch (error) {
    return toErrorResponse(error);
  }
}
