import { theApp } from '@/lib/server/app-handle';
import type { NextRequest } from 'next/server';
import { refuseApiRequest } from '@/lib/server/viewer';
import { parsePeopleQuery } from '@/lib/directory/people-query';
import { getPeoplePage } from '@/lib/server/directory-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';

/** GET /api/people?q=&department=&office=&status=&sort=&offset=&limit= */
export async function GET(request: NextRequest) {
  const parsed = parsePeopleQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const app = theApp();
  const refused = await refuseApiRequest(app, request);
  if (refused) return refused;
  try {
    return apiJson(await getPeoplePage(app, parsed.query));
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
