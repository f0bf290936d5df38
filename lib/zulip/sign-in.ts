import 'server-only';
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT } from './client';
import { createRequester, type CallOptions } from './http';
import { endpoint } from './path';
import { RateBudget } from './rate-budget';
import { apiKeyResponseSchema, getOwnUserResponseSchema } from './schemas';

// Proving that a viewer of the directory is a member of the Zulip organization, with their own
// Zulip credentials (docs/zulip.md §h). Kept apart from the bot's client on purpose: these calls
// carry the viewer's password or key and never the bot's; they do not count against the bot's
// request budget (Zulip limits sign-in attempts per user name, not per bot); and nothing here
// returns or keeps the viewer's secret, nor the key fetch_api_key answers with.

/** Who Zulip says the credentials belong to. */
export interface ZulipAccount {
  /** Zulip's user id (fetch_api_key returns it from FL 171; /users/me always). */
  userId: number | null;
  /** The account's delivery (real) email. */
  email: string;
}

export interface ZulipSignIn {
  /** POST /fetch_api_key with the viewer's email (or LDAP user name) and password. */
  withPassword(username: string, password: string, options?: CallOptions): Promise<ZulipAccount>;
  /** GET /users/me with the viewer's email and API key: Zulip accepts them only for an active account. */
  withApiKey(email: string, apiKey: string, options?: CallOptions): Promise<ZulipAccount & { isBot: boolean }>;
}

export interface ZulipSignInOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  userAgent?: string;
}

export function createZulipSignIn(site: string, options: ZulipSignInOptions = {}): ZulipSignIn {
  const http = (budget: RateBudget) => ({
    fetch: options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    budget,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
  });

  return {
    async withPassword(username, password, callOptions) {
      // An anonymous requester: no bot credentials can be attached to this call.
      const request = createRequester({ site }, http(new RateBudget()));
      const res = await request(
        {
          endpoint: endpoint('POST', '/fetch_api_key'),
          schema: apiKeyResponseSchema,
          form: { username, password },
          auth: false,
          budgeted: false,
          priority: 'interactive',
          secrets: [password],
        },
        callOptions,
      );
      // res.api_key goes no further than this function.
      return { userId: res.user_id ?? null, email: res.email };
    },

    async withApiKey(email, apiKey, callOptions) {
      // A requester holding only this viewer's key, with its own budget, for this one call.
      const request = createRequester({ site, email, apiKey }, http(new RateBudget()));
      const user = await request(
        { endpoint: endpoint('GET', '/users/me'), schema: getOwnUserResponseSchema, priority: 'interactive' },
        callOptions,
      );
      return { userId: user.user_id, email: user.delivery_email ?? user.email, isBot: user.is_bot };
    },
  };
}
