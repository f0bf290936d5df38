import type { NextRequest } from 'next/server';
import { refuseApiRequest } from '@/lib/access/viewer';
import { parsePeopleQuery } from '@/lib/directory/people-query';
import { getPeoplePage } from '@/lib/server/directory-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';

/** GET /api/people?q=&department=&office=&status=&sort=&offset=&limit= */
export async function GET(request: NextRequest) {
  const parsed = parsePeopleQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    return apiJson(await getPeoplePage(parsed.query));
  } catch (error) {
    return toErrorResponse(error);
  }
}
