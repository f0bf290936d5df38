import 'server-only';
import type { ZulipConfig } from './config';
import { getEventsResponseSchema, type ZulipEvent } from './event-schemas';
import { createRequester, type CallOptions } from './http';
import { endpoint } from './path';
import { defaultRateBudget, type RateBudget, type RateBudgetSnapshot } from './rate-budget';
import {
  envelopeSchema,
  getProfileFieldsResponseSchema,
  getRealmPresenceResponseSchema,
  getUserPresenceResponseSchema,
  getOwnUserResponseSchema,
  getUserResponseSchema,
  getUsersResponseSchema,
  getUserStatusResponseSchema,
  registerResponseSchema,
  serverSettingsSchema,
  type LegacyPresence,
  type RegisterResponse,
  type ServerSettings,
  type UserPresence,
  type ZulipCustomProfileField,
  type ZulipUser,
  type ZulipUserStatus,
} from './schemas';

// The typed Zulip API surface the directory uses. Each method is one endpoint: build the path
// (values encoded by ./path), pick a default priority for the request budget, validate the
// response with its schema, and return the part callers need.

export type { CallOptions } from './http';

export type ZulipClientOptions = {
  fetch?: typeof fetch;
  /** Per-call timeout; default 10 s. Long-polls use GetEventsOptions.timeoutMs instead. */
  timeoutMs?: number;
  /** Default: the process-wide budget. */
  budget?: RateBudget;
  userAgent?: string;
};

export type UserQuery = { includeCustomProfileFields?: boolean; clientGravatar?: boolean };

/** POST /register parameters, sent form-encoded with JSON values. */
export type RegisterParams = {
  event_types?: string[];
  fetch_event_types?: string[];
  slim_presence?: boolean;
  /** FL 288+. */
  presence_history_limit_days?: number;
  client_gravatar?: boolean;
  client_capabilities?: Record<string, boolean>;
  /** Documentation-pending in Zulip; 0 → 600 s, at most 7 days. */
  queue_lifespan_secs?: number;
  apply_markdown?: boolean;
  include_subscribers?: boolean;
  all_public_streams?: boolean;
};

export type GetEventsParams = { queueId: string; lastEventId: number; dontBlock?: boolean };

export type UserPresenceResponse = { presence: UserPresence; server_timestamp?: number };
export type RealmPresenceResponse = {
  server_timestamp: number;
  /** Keyed by Zulip API email, then by client name / "aggregated". */
  presences: Record<string, Record<string, LegacyPresence>>;
};

export interface ZulipClient {
  readonly site: string;
  readonly budget: RateBudget;
  /** The request budget's state, for /api/health. */
  rateLimit(): RateBudgetSnapshot;
  getServerSettings(options?: CallOptions): Promise<ServerSettings>;
  getUsers(query?: UserQuery, options?: CallOptions): Promise<ZulipUser[]>;
  getUser(idOrEmail: number | string, query?: UserQuery, options?: CallOptions): Promise<ZulipUser>;
  /** GET /users/me: whose credentials these are (and whether Zulip accepts them). */
  getOwnUser(options?: CallOptions): Promise<ZulipUser>;
  getProfileFields(options?: CallOptions): Promise<ZulipCustomProfileField[]>;
  getUserPresence(idOrEmail: number | string, options?: CallOptions): Promise<UserPresenceResponse>;
  getRealmPresence(options?: CallOptions): Promise<RealmPresenceResponse>;
  getUserStatus(userId: number, options?: CallOptions): Promise<ZulipUserStatus>;
  register(params: RegisterParams, options?: CallOptions): Promise<RegisterResponse>;
  /** Long-poll; pass timeoutMs ≥ event_queue_longpoll_timeout_seconds (default 100 s). */
  getEvents(params: GetEventsParams, options?: CallOptions): Promise<{ events: ZulipEvent[]; queue_id?: string }>;
  deleteQueue(queueId: string, options?: CallOptions): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Zulip's event_queue_longpoll_timeout_seconds (90) plus a margin for the response to arrive. */
export const DEFAULT_LONGPOLL_TIMEOUT_MS = 100_000;
export const DEFAULT_USER_AGENT = 'ZulipDirectory/0.1';

// "me" is routed by Zulip to the caller's own endpoints (/users/me, POST-only /users/me/presence).
const RESERVED_USER_REFS = ['me'];

export function createZulipClient(config: ZulipConfig, options: ZulipClientOptions = {}): ZulipClient {
  const budget = options.budget ?? defaultRateBudget;
  const request = createRequester(config, {
    // Looked up per call so a fetch stubbed after the client was created is still used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    budget,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
  });

  const userQuery = (q: UserQuery = {}) => ({
    include_custom_profile_fields: q.includeCustomProfileFields,
    client_gravatar: q.clientGravatar,
  });

  return {
    site: config.site,
    budget,
    rateLimit: () => budget.snapshot(),

    getServerSettings: (opts) =>
      request(
        { endpoint: endpoint('GET', '/server_settings'), schema: serverSettingsSchema, auth: false, budgeted: false, priority: 'background' },
        opts,
      ),

    getUsers: async (query, opts) =>
      (
        await request(
          { endpoint: endpoint('GET', '/users'), schema: getUsersResponseSchema, query: userQuery(query), priority: 'background' },
          opts,
        )
      ).members,

    getUser: async (idOrEmail, query, opts) => {
      const ep = isUserId(idOrEmail)
        ? endpoint('GET', '/users/{user_id}', { user_id: idOrEmail }, RESERVED_USER_REFS)
        : endpoint('GET', '/users/{email}', { email: idOrEmail }, RESERVED_USER_REFS);
      const res = await request({ endpoint: ep, schema: getUserResponseSchema, query: userQuery(query), priority: 'interactive' }, opts);
      return res.user;
    },

    getOwnUser: (opts) =>
      request({ endpoint: endpoint('GET', '/users/me'), schema: getOwnUserResponseSchema, priority: 'interactive' }, opts),

    getProfileFields: async (opts) =>
      (
        await request(
          { endpoint: endpoint('GET', '/realm/profile_fields'), schema: getProfileFieldsResponseSchema, priority: 'background' },
          opts,
        )
      ).custom_fields,

    getUserPresence: async (idOrEmail, opts) => {
      const ep = endpoint('GET', '/users/{user_id_or_email}/presence', { user_id_or_email: idOrEmail }, RESERVED_USER_REFS);
      const res = await request({ endpoint: ep, schema: getUserPresenceResponseSchema, priority: 'interactive' }, opts);
      return res.server_timestamp === undefined
        ? { presence: res.presence }
        : { presence: res.presence, server_timestamp: res.server_timestamp };
    },

    getRealmPresence: async (opts) => {
      const res = await request(
        { endpoint: endpoint('GET', '/realm/presence'), schema: getRealmPresenceResponseSchema, priority: 'background' },
        opts,
      );
      return { server_timestamp: res.server_timestamp, presences: res.presences };
    },

    getUserStatus: async (userId, opts) =>
      (
        await request(
          {
            endpoint: endpoint('GET', '/users/{user_id}/status', { user_id: userId }),
            schema: getUserStatusResponseSchema,
            priority: 'interactive',
          },
          opts,
        )
      ).status,

    register: (params, opts) =>
      request(
        { endpoint: endpoint('POST', '/register'), schema: registerResponseSchema, form: params, priority: 'background' },
        opts,
      ),

    getEvents: async (params, opts) => {
      const res = await request(
        {
          endpoint: endpoint('GET', '/events'),
          schema: getEventsResponseSchema,
          query: { queue_id: params.queueId, last_event_id: params.lastEventId, dont_block: params.dontBlock },
          priority: 'background',
        },
        { ...opts, timeoutMs: opts?.timeoutMs ?? DEFAULT_LONGPOLL_TIMEOUT_MS },
      );
      return res.queue_id === undefined ? { events: res.events } : { events: res.events, queue_id: res.queue_id };
    },

    deleteQueue: async (queueId, opts) => {
      await request(
        { endpoint: endpoint('DELETE', '/events'), schema: envelopeSchema, form: { queue_id: queueId }, priority: 'background' },
        opts,
      );
    },
  };
}

function isUserId(value: number | string): value is number {
  return typeof value === 'number';
}
