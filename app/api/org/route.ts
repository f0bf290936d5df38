import { apiRoute } from '@/lib/server/api-route';
import { getOrgLevel, getOrgPath } from '@/lib/server/org-chart-service';
import { apiError, apiJson } from '@/lib/server/api-response';

const NOT_IN_CHART = 'No one with that id is in the org chart: they may have left the organization, or the link is mistyped.';

/**
 * GET /api/org[?offset=N]: the top of the org chart; ?parent={id}[&offset=N]: someone's reports;
 * ?focus={id}: the way down to someone. One page of one level per answer (ORG_PAGE_SIZE).
 */
export const GET = apiRoute('/api/org', async ({ query, app }) => {
  const answer = query.kind === 'focus' ? await getOrgPath(app, query.focus) : await getOrgLevel(app, query.parent, query.offset);
  return answer ? apiJson(answer) : apiError(404, 'not_found', NOT_IN_CHART);
});
