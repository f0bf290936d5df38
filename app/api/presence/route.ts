import { theApp } from '@/lib/server/app-handle';
import type { NextRequest } from 'next/server';
import { parseSinceQuery } from '@/lib/presence/since-query';
import { refuseApiRequest } from '@/lib/server/viewer';
import { getPresenceSince } from '@/lib/server/directory-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';


/** GET /api/presence[?since=version]: presence changes since a version, or the whole snapshot. */
export async function GET(request: NextRequest) {
  const parsed = parseSinceQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const app = theApp();
  const refused = await refuseApiRequest(app, request);
  if (refused) return refused;
  try {
    return apiJson(await getPresenceSince(app, parsed.since));
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
