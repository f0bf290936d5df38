import 'server-only';
import { ROUTES, readRouteInput, type ParamsOf, type QueryOf, type RawParams, type RoutePattern } from '@/lib/http/routes';
import { apiError, toErrorResponse } from '@/lib/server/api-response';
import type { DirectoryApp } from '@/lib/server/app';
import { theApp } from '@/lib/server/app-handle';
import { checkViewer, refusedResponse, type Viewer } from '@/lib/server/viewer';

// The opening every route handler shares (the API, the exports, the vCard), in the order that
// tells an outsider nothing and changes nothing on bad input (docs/architecture.md §6, §12):
//   1. the address's params and query, read by the route's entry in lib/http/routes.ts: a 400
//      `invalid_{param}` or `invalid_query` in the API's one error shape;
//   2. the app (lib/server/app-handle.ts: the one place a handler gets it from), then the viewer
//      unless the entry is public: the JSON refusal of lib/server/viewer.ts;
//   3. the handler, handed the app and what was read; anything it throws becomes the one error
//      shape too (lib/server/api-response.ts);
//   4. the time it took, in the app's metrics by route pattern (a stream's until its body starts).

export interface RouteCall<K extends RoutePattern> {
  request: Request;
  params: ParamsOf<K>;
  query: QueryOf<K>;
  /** Null in the open mode and on public routes. */
  viewer: Viewer | null;
  /** When the viewer's proof runs out (a session's expiry, Unix seconds), or null. */
  expiresAt: number | null;
  app: DirectoryApp;
}

export function apiRoute<K extends RoutePattern>(pattern: K, handler: (call: RouteCall<K>) => Promise<Response>) {
  // Next passes the route's params; a route without any may be called with the request alone.
  return async (request: Request, context?: { params: Promise<RawParams> }): Promise<Response> => {
    const startedAt = performance.now();
    const input = readRouteInput(pattern, (await context?.params) ?? {}, new URL(request.url).searchParams);
    if (!input.ok) return apiError(400, input.where === 'params' ? `invalid_${input.param}` : 'invalid_query', input.error);
    const app = theApp();
    const response = await answer(app, request, input);
    // By the route's pattern, never the address asked for (README, "Running it in production").
    app.metrics.httpRequest(pattern, request.method, response.status, (performance.now() - startedAt) / 1000);
    return response;
  };

  async function answer(app: DirectoryApp, request: Request, input: { params: ParamsOf<K>; query: QueryOf<K> }): Promise<Response> {
    try {
      let admitted: { viewer: Viewer | null; expiresAt: number | null } = { viewer: null, expiresAt: null };
      if (ROUTES[pattern].access === 'members') {
        const check = await checkViewer(app, request.headers, ROUTES[pattern].beforeData);
        if (!check.ok) return refusedResponse(check);
        admitted = check;
      }
      return await handler({ request, params: input.params, query: input.query, viewer: admitted.viewer, expiresAt: admitted.expiresAt, app });
    } catch (error) {
      return toErrorResponse(error, app.logger);
    }
  }
}
