import { theApp } from '@/lib/server/app-handle';
import type { NextRequest } from 'next/server';
import { refuseApiRequest } from '@/lib/server/viewer';
import { parseOrgApiQuery } from '@/lib/directory/org-query';
import { getOrgLevel, getOrgPath } from '@/lib/server/org-chart-service';
import { apiError, apiJson, toErrorResponse } from '@/lib/server/api-response';

const NOT_IN_CHART = 'No one with that id is in the org chart: they may have left the organization, or the link is mistyped.';

/**
 * GET /api/org[?offset=N]: the top of the org chart; ?parent={id}[&offset=N]: someone's reports;
 * ?focus={id}: the way down to someone. One page of one level per answer (ORG_PAGE_SIZE).
 */
export async function GET(request: NextRequest) {
  const parsed = parseOrgApiQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const app = theApp();
  const refused = await refuseApiRequest(app, request);
  if (refused) return refused;
  try {
    const { query } = parsed;
    const answer = query.kind === 'focus' ? await getOrgPath(app, query.focus) : await getOrgLevel(app, query.parent, query.offset);
    return answer ? apiJson(answer) : apiError(404, 'not_found', NOT_IN_CHART);
  } catch (error) {
    return toErrorResponse(error, app.logger);
  }
}
