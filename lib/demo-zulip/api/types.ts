// What an /api/v1 handler gets and returns. The router (../http/router.ts) does routing, auth,
// rate limiting and error bodies; handlers only implement an endpoint's own behaviour.
import type { DemoApp } from '../core/app';
import type { Params } from '../http/params';
import type { JsonBody } from '../http/respond';
import type { DemoUser } from '../types';

export interface ApiContext {
  app: DemoApp;
  /** The authenticated account (routes without auth get the realm's directory bot, unused). */
  user: DemoUser;
  params: Params;
  /** Decoded path values, by converter name (`user_id`, `email`, `user_id_or_email`). */
  args: Record<string, string>;
  /** Client name from the `client` parameter or User-Agent (`website`, `ZulipMobile`…). */
  clientName: string;
  /** The realm URL, e.g. `http://127.0.0.1:9991`. */
  site: string;
  /** Aborted when the HTTP client goes away (long-polls stop waiting). */
  signal: AbortSignal;
}

export interface ApiResult extends JsonBody {
  /** false for answers that Zulip builds outside typed_endpoint (an event long-poll finished later). */
  reportIgnored?: boolean;
}

export type ApiHandler = (ctx: ApiContext) => ApiResult | Promise<ApiResult>;

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

export interface RouteSpec {
  /** Django-style template under /api/v1/: `users/<int:user_id>/status`. */
  template: string;
  methods: Partial<Record<HttpMethod, { handler: ApiHandler; auth: boolean }>>;
  /** The route did not exist before this feature level (404 there). */
  minFeatureLevel?: number;
  /** Served by Tornado, so rate-limited by Tornado's own bucket (docs/zulip-versions.md §5). */
  tornado?: boolean;
}
