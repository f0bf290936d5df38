import 'server-only';
import type { ZulipConfig } from './config';
import { ZulipError } from './errors';
import { createRequester, credentialRedactor, type CallObserver, type CallOptions } from './http';
import { endpoint, type Endpoint } from './path';
import { RateBudget, type RateBudgetSnapshot, type RequestBudget } from './rate-budget';
import { ignoreIssues, type IssueSink } from './record-issues';
import type { EventBatch, FieldRecord, PresenceBatch, RegisterSnapshot, StatusRecord, UserPresenceDetail, UserRecord } from './records';
import { parseEvents } from './parse-events';
import { FL_ONE_ROW_PER_PERSON, parsePresenceMap, parseUserPresence } from './parse-presence';
import { parseRegister } from './parse-register';
import { parseFieldDefinitions, parseStatus, parseUser, parseUsers } from './parse-users';
import {
  envelopeSchema,
  getEventsResponseSchema,
  getProfileFieldsResponseSchema,
  getRealmPresenceResponseSchema,
  getUserPresenceResponseSchema,
  getUserResponseSchema,
  getUsersResponseSchema,
  getUserStatusResponseSchema,
  registerEnvelopeSchema,
  serverSettingsSchema,
  type ServerSettings,
} from './schemas';

// The typed Zulip API surface the directory uses. Each method is one endpoint: build the path
// (values encoded by ./path), pick a default priority for the request budget, check the answer's
// envelope with its schema, and turn the records inside into the app's own (./records.ts), each
// on its own: one that does not fit is reported through `onRecordIssue` and left out.

export type { CallOptions } from './http';

export type ZulipClientOptions = {
  fetch?: typeof fetch;
  /** Per-call timeout; default 10 s. Long-polls use GetEventsOptions.timeoutMs instead. */
  timeoutMs?: number;
  /** Default: a budget of this client's own; the app hands every client it makes the one it built (lib/server/app.ts), shared by every instance through Redis when there are several. */
  budget?: RequestBudget;
  userAgent?: string;
  /** Told of every record that was skipped or partly dropped. */
  onRecordIssue?: IssueSink;
  /** Told how every call that went out ended (the app counts them for /metrics). */
  onCall?: CallObserver;
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

export interface ZulipClient {
  readonly site: string;
  readonly budget: RequestBudget;
  /** The request budget's state, for /api/health. */
  rateLimit(): RateBudgetSnapshot;
  getServerSettings(options?: CallOptions): Promise<ServerSettings>;
  getUsers(query?: UserQuery, options?: CallOptions): Promise<UserRecord[]>;
  getUser(idOrEmail: number | string, query?: UserQuery, options?: CallOptions): Promise<UserRecord>;
  getProfileFields(options?: CallOptions): Promise<FieldRecord[]>;
  getUserPresence(idOrEmail: number | string, options?: CallOptions): Promise<UserPresenceDetail>;
  /** Legacy entries keyed by API email, folded into the modern pair; each is a whole row. */
  getRealmPresence(options?: CallOptions): Promise<PresenceBatch>;
  getUserStatus(userId: number, options?: CallOptions): Promise<StatusRecord>;
  register(params: RegisterParams, options?: CallOptions): Promise<RegisterSnapshot>;
  /** Long-poll; pass timeoutMs ≥ event_queue_longpoll_timeout_seconds (default 100 s). */
  getEvents(params: GetEventsParams, options?: CallOptions): Promise<EventBatch>;
  deleteQueue(queueId: string, options?: CallOptions): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Zulip's event_queue_longpoll_timeout_seconds (90) plus a margin for the response to arrive. */
export const DEFAULT_LONGPOLL_TIMEOUT_MS = 100_000;
export const DEFAULT_USER_AGENT = 'ZulipDirectory/0.1';

// "me" is routed by Zulip to the caller's own endpoints (/users/me, POST-only /users/me/presence).
const RESERVED_USER_REFS = ['me'];

export function createZulipClient(config: ZulipConfig, options: ZulipClientOptions = {}): ZulipClient {
  // A client without a budget (a test, a script) keeps its own; the app hands every client it makes the one budget (lib/server/app.ts).
  const budget = options.budget ?? new RateBudget();
  const onRecordIssue = options.onRecordIssue ?? ignoreIssues;
  // A record's id and reason come from the server's answer: like errors, they never carry the key.
  const redact = credentialRedactor(config);
  const report: IssueSink = (issue) => onRecordIssue({ ...issue, id: redact(issue.id), reason: redact(issue.reason) });
  const request = createRequester(config, {
    // Looked up per call so a fetch stubbed after the client was created is still used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    budget,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    onCall: options.onCall,
  });
  const ctx = (ep: Endpoint) => ({ endpoint: ep.label, report });
  // Events mean slightly different things by version (a legacy presence event is one client's
  // record before 7.0, the whole row after), and only register says the version.
  let featureLevel = FL_ONE_ROW_PER_PERSON;

  const userQuery = (q: UserQuery = {}) => ({
    include_custom_profile_fields: q.includeCustomProfileFields,
    client_gravatar: q.clientGravatar,
  });

  // GET /events and DELETE /events are served by Tornado, which keeps its own rate-limit buckets
  // (docs/zulip.md §g): they do not spend the bot's main budget, and their headers do not describe it.
  const eventsEndpoint = endpoint('GET', '/events');

  return {
    site: config.site,
    budget,
    rateLimit: () => budget.snapshot(),

    getServerSettings: (opts) =>
      request(
        { endpoint: endpoint('GET', '/server_settings'), schema: serverSettingsSchema, auth: false, budgeted: false, priority: 'background' },
        opts,
      ),

    getUsers: async (query, opts) => {
      const ep = endpoint('GET', '/users');
      const res = await request({ endpoint: ep, schema: getUsersResponseSchema, query: userQuery(query), priority: 'background' }, opts);
      return parseUsers(res.members, ctx(ep));
    },

    getUser: async (idOrEmail, query, opts) => {
      const ep = isUserId(idOrEmail)
        ? endpoint('GET', '/users/{user_id}', { user_id: idOrEmail }, RESERVED_USER_REFS)
        : endpoint('GET', '/users/{email}', { email: idOrEmail }, RESERVED_USER_REFS);
      const res = await request({ endpoint: ep, schema: getUserResponseSchema, query: userQuery(query), priority: 'interactive' }, opts);
      // The answer is this one record: if it cannot be read, the answer cannot.
      const user = parseUser(res.user, ctx(ep));
      if (!user) throw new ZulipError({ kind: 'invalid_response', endpoint: ep.label, status: 200, detail: 'user: unreadable' });
      return user;
    },

    getProfileFields: async (opts) => {
      const ep = endpoint('GET', '/realm/profile_fields');
      const res = await request({ endpoint: ep, schema: getProfileFieldsResponseSchema, priority: 'background' }, opts);
      return parseFieldDefinitions(res.custom_fields, ctx(ep));
    },

    getUserPresence: async (idOrEmail, opts) => {
      const ep = endpoint('GET', '/users/{user_id_or_email}/presence', { user_id_or_email: idOrEmail }, RESERVED_USER_REFS);
      const res = await request({ endpoint: ep, schema: getUserPresenceResponseSchema, priority: 'interactive' }, opts);
      const detail = parseUserPresence(res.presence, res.server_timestamp);
      if (typeof detail === 'string') throw new ZulipError({ kind: 'invalid_response', endpoint: ep.label, status: 200, detail: `presence: ${detail}` });
      return detail;
    },

    getRealmPresence: async (opts) => {
      const ep = endpoint('GET', '/realm/presence');
      const res = await request({ endpoint: ep, schema: getRealmPresenceResponseSchema, priority: 'background' }, opts);
      return parsePresenceMap(res.presences, ctx(ep), { complete: true, serverTimestamp: res.server_timestamp });
    },

    getUserStatus: async (userId, opts) => {
      const ep = endpoint('GET', '/users/{user_id}/status', { user_id: userId });
      const res = await request({ endpoint: ep, schema: getUserStatusResponseSchema, priority: 'interactive' }, opts);
      return parseStatus(res.status);
    },

    register: async (params, opts) => {
      const ep = endpoint('POST', '/register');
      const res = await request({ endpoint: ep, schema: registerEnvelopeSchema, form: params, priority: 'background' }, opts);
      const snapshot = parseRegister(res, ctx(ep));
      featureLevel = snapshot.featureLevel;
      return snapshot;
    },

    getEvents: async (params, opts) => {
      const res = await request(
        {
          endpoint: eventsEndpoint,
          schema: getEventsResponseSchema,
          query: { queue_id: params.queueId, last_event_id: params.lastEventId, dont_block: params.dontBlock },
          priority: 'background',
          budgeted: false,
        },
        { ...opts, timeoutMs: opts?.timeoutMs ?? DEFAULT_LONGPOLL_TIMEOUT_MS },
      );
      return parseEvents(res.events, { ...ctx(eventsEndpoint), featureLevel });
    },

    deleteQueue: async (queueId, opts) => {
      await request(
        { endpoint: endpoint('DELETE', '/events'), schema: envelopeSchema, form: { queue_id: queueId }, priority: 'background', budgeted: false },
        opts,
      );
    },
  };
}

function isUserId(value: number | string): value is number {
  return typeof value === 'number';
}
