// One /api/v1 request, in Zulip's order: route (404), method (405, before auth), basic auth (401),
// rate limit (429: Django's bucket, or Tornado's for /events, docs/zulip-versions.md §5),
// parameters and handler (400 or success). Success bodies carry `ignored_parameters_unsupported`
// from feature level 167, as Zulip's typed_endpoint adds it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowedMethods, matchRoute } from '../api/routes';
import type { ApiContext, HttpMethod } from '../api/types';
import type { DemoApp } from '../core/app';
import type { Faults } from '../core/faults';
import { FL } from '../core/versions';
import { authenticate } from './auth';
import { ApiError, methodNotAllowed, notFound, rateLimited } from './errors';
import { Params } from './params';
import { rateLimitHeaders, type RateLimitBucket } from './rate-limit';
import { sendJson, successBody } from './respond';
import { clientName } from './user-agent';

export interface ApiEnv {
  app: DemoApp;
  /** Django's per-user bucket (Redis in Zulip): every endpoint but /events. */
  limiter: RateLimitBucket;
  /** Tornado's in-memory per-user bucket: /events only. */
  tornadoLimiter: RateLimitBucket;
  faults: Faults;
  site: string;
}

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded path below `/api/v1/`. */
  path: string;
  query: Map<string, string>;
  body: Map<string, string>;
  signal: AbortSignal;
  /** Set to the matched route, for statistics ("GET /api/v1/users/{user_id}"). */
  onEndpoint: (template: string) => void;
}

/** Runs one API request to completion and writes its response. */
export async function dispatchApi(env: ApiEnv, r: ApiRequest): Promise<void> {
  let headers: Record<string, string> = {};
  try {
    const matched = matchRoute(r.path, env.app.featureLevel);
    if (!matched) throw notFound();
    r.onEndpoint(matched.route.template.replace(/<(?:int:)?([a-z_]+)>/g, '{$1}'));

    let method = (r.req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      r.res.writeHead(204, { Allow: allowedMethods(matched.route).join(', '), 'Content-Length': '0' });
      r.res.end();
      return;
    }
    if (method === 'HEAD' && matched.route.methods.GET) method = 'GET';
    const entry = matched.route.methods[method as HttpMethod];
    if (!entry) throw methodNotAllowed(allowedMethods(matched.route));

    let user = env.app.state.usersById.get(env.app.state.org.directoryBotId)!;
    if (entry.auth) {
      user = authenticate(r.req.headers.authorization, (key) => env.app.state.byKey(key));
      const now = env.app.now();
      const bucket = matched.route.tornado ? env.tornadoLimiter : env.limiter;
      const forced = env.faults.applies(`/api/v1/${r.path}`) ? env.faults.takeForced429() : null;
      if (forced !== null) {
        headers = rateLimitHeaders({ allowed: false, limit: bucket.limit, remaining: 0, secsToFreedom: forced }, now);
        throw rateLimited(forced);
      }
      const limit = bucket.hit(`user:${user.user_id}`, now);
      headers = rateLimitHeaders(limit, now);
      if (!limit.allowed) throw rateLimited(limit.secsToFreedom);
    }

    const params = new Params(r.body, r.query);
    const ctx: ApiContext = {
      app: env.app,
      user,
      params,
      args: matched.args,
      clientName: clientName(r.req.headers['user-agent'], params.str('client')),
      site: env.site,
      signal: r.signal,
    };
    const result = await entry.handler(ctx);
    if (r.res.destroyed) return;
    const ignored = params.ignored();
    const data = { ...result.data };
    if (result.reportIgnored !== false && ignored.length > 0 && env.app.featureLevel >= FL.IGNORED_PARAMETERS) {
      data.ignored_parameters_unsupported = ignored;
    }
    let chunks = successBody({ data, raw: result.raw });
    if (env.faults.applies(`/api/v1/${r.path}`) && env.faults.config.malformedJson) {
      const whole = Buffer.concat(chunks);
      chunks = [whole.subarray(0, Math.max(1, Math.floor(whole.length / 2)))];
    }
    sendJson(r.res, 200, chunks, headers);
  } catch (error) {
    if (error instanceof ApiError) {
      sendJson(r.res, error.status, JSON.stringify(error.body()), { ...headers, ...error.headers });
      return;
    }
    console.error('[demo-zulip] internal error', error);
    sendJson(r.res, 500, JSON.stringify({ result: 'error', msg: 'Internal server error' }), headers);
  }
}
