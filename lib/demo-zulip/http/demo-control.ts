// The demo-only control surface under /demo/ (never under /api/v1, no auth): credentials,
// request statistics and log, fault injection, the simulation switch, and a few realm and user
// changes that make Zulip send events, for tests. Bodies are JSON and validated strictly (400
// with a message naming the problem); answers are `{"result":"success","msg":"",…}`.
//
//   GET    /demo/credentials         site, bot, and every account's user_id, email (API), delivery_email,
//                                    full_name, is_bot, is_active, role, api_key, password (null for bots; for
//                                    POST /api/v1/fetch_api_key)
//   GET    /demo/stats               {total, rateLimited, byEndpoint{"GET /api/v1/realm/presence": n}, byStatus, since}
//   DELETE /demo/stats               reset the counters and the request log
//   GET    /demo/requests?limit=N    the last N requests {seq, method, path (raw), status (0 = dropped), time, durationMs};
//          /demo/requests?after=S    or every kept request with seq > S (`first` says whether older ones were dropped)
//   GET    /demo/faults              the active faults
//   POST   /demo/faults              replace them: {latencyMs, errorRate, errorStatus, malformedJson, dropConnections,
//                                    force429: {retryAfter, count?}, pathPrefix, expireQueues (one-off)}
//   DELETE /demo/faults              clear them
//   GET    /demo/simulation          {running, tickSeconds, ticks, lastTickAt, lastTickReports}
//   POST   /demo/simulation          {"action": "pause" | "resume" | "tick"}
//   GET    /demo/realm               {presence_disabled, email_address_visibility (before FL 163), feature_level, clock_offset_seconds,
//                                    presence_showcase: {idle_only, active_only}} (user ids, see
//                                    org/showcase.ts and docs/zulip-versions.md §1)
//   POST   /demo/realm               {"presence_disabled"?: bool}           → `realm` update event (§4)
//                                    {"email_address_visibility"?: "everyone" | "moderators" | "admins" | "nobody"}
//                                    (before FL 163 only: the realm's setting) → `realm` event + new API emails
//   POST   /demo/users               {full_name, delivery_email?, email_visibility? (FL 163+), role?, timezone?} → `realm_user` add
//   PATCH  /demo/users/{id}          {full_name?, is_active?, timezone?, role?, presence_enabled?, email_visibility? (FL 163+),
//                                    avatar_source? ("U" again: a new picture), profile_data?: {fieldId: value | null}} → `realm_user` events
//                                    (full_name up to 10,000 characters: more than Zulip allows, to plant hostile data)
//   POST   /demo/users/{id}/api_key  {api_key?}: a new random key (revoking the old one), or the given 32-character key
//   PATCH  /demo/profile_fields/{id} {name?, hint?, display_in_profile_summary?, required?} → `custom_profile_fields`
//   GET    /demo/queues              number of event queues; POST: garbage-collect now; DELETE: delete all
//   GET    /demo/user_groups         every user group at this level {id, name, description, members, subgroups,
//                                    is_system_group, deactivated}; POST {name, description?, members?, subgroups?} → `add`
//   PATCH  /demo/user_groups/{id}    {name?, description?} → `user_group` `update` events
//   POST   /demo/user_groups/{id}/members     {add?, delete?} (user ids) → `add_members` / `remove_members`
//   POST   /demo/user_groups/{id}/subgroups   {add?, delete?} (group ids, FL 127+) → `add_subgroups` / `remove_subgroups`
//   POST   /demo/user_groups/{id}/deactivate  → deleted with `remove` before FL 290; from FL 290 `update {deactivated}`
//                                    (from FL 294 `remove` for queues without include_deactivated_groups)
//                                    (each in the shape of the server's level: http/demo-groups.ts, docs/zulip-versions.md §8)
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DemoApp, UserPatch } from '../core/app';
import { FaultInputError, parseFaults, type Faults } from '../core/faults';
import type { SimulationLoop } from '../core/simulation-loop';
import type { RequestStats } from '../core/stats';
import { demoPassword } from '../core/passwords';
import { minutePrecision } from '../core/state';
import { FL } from '../core/versions';
import type { DemoCredentials, DemoUser, RealmEmailVisibility } from '../types';
import { sendJson } from './respond';
import { handleGroupControl } from './demo-groups';

export interface DemoControlEnv {
  app: DemoApp;
  faults: Faults;
  stats: RequestStats;
  simulation: SimulationLoop;
  site: string;
}

class InputError extends Error {}

const ok = (res: ServerResponse, body: Record<string, unknown>) =>
  sendJson(res, 200, JSON.stringify({ result: 'success', msg: '', ...body }), { 'Cache-Control': 'no-store' });
const fail = (res: ServerResponse, status: number, msg: string, extra: Record<string, unknown> = {}) =>
  sendJson(res, status, JSON.stringify({ result: 'error', msg, ...extra }), { 'Cache-Control': 'no-store' });

function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new InputError('The body must be a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError('The body must be valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('The body must be a JSON object.');
  return value as Record<string, unknown>;
}

function onlyKeys(body: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw new InputError(`Unknown field "${key}". Allowed: ${allowed.join(', ')}.`);
}

const ROLES = [100, 200, 300, 400, 600];
/** Zulip caps full_name at 100 characters; the control surface lets tests plant longer, hostile names. */
const MAX_PLANTED_NAME = 10_000;
const API_KEY = /^[A-Za-z0-9]{32}$/;

const randomApiKey = () => randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(32, 'x').slice(0, 32);
/** A person's `email_address_visibility` (FL 163+), and the realm's before (no "members" then). */
const VISIBILITIES = ['everyone', 'members', 'moderators', 'admins', 'nobody'];
const REALM_VISIBILITIES = ['everyone', 'moderators', 'admins', 'nobody'];

/** A person's own email visibility, which Zulip has only from FL 163 (before, the realm's applies). */
function checkPersonalVisibility(app: DemoApp, body: Record<string, unknown>): DemoUser['email_visibility'] | undefined {
  const value = checkEnum(body, 'email_visibility', VISIBILITIES) as DemoUser['email_visibility'] | undefined;
  if (value !== undefined && app.featureLevel < FL.PER_USER_EMAIL_VISIBILITY) {
    throw new InputError('Before feature level 163 email visibility is the realm\'s: POST /demo/realm {"email_address_visibility": …}.');
  }
  return value;
}

function checkString(body: Record<string, unknown>, key: string, max = 200): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) throw new InputError(`"${key}" must be a non-empty string of at most ${max} characters.`);
  return value;
}

function checkBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InputError(`"${key}" must be true or false.`);
  return value;
}

function checkEnum<T>(body: Record<string, unknown>, key: string, allowed: readonly T[]): T | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new InputError(`"${key}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}.`);
  return value as T;
}

function credentials(app: DemoApp, user: DemoUser): DemoCredentials {
  return {
    user_id: user.user_id,
    email: app.state.apiEmail(user),
    delivery_email: user.delivery_email,
    full_name: user.full_name,
    is_bot: user.is_bot,
    is_active: user.is_active,
    role: user.role,
    presence_enabled: user.presence_enabled,
    api_key: user.api_key,
    password: demoPassword(app.state.org.seed, user),
  };
}

function userPatch(app: DemoApp, body: Record<string, unknown>): UserPatch {
  onlyKeys(body, ['full_name', 'is_active', 'timezone', 'role', 'presence_enabled', 'email_visibility', 'avatar_source', 'profile_data']);
  const patch: UserPatch = {
    full_name: checkString(body, 'full_name', MAX_PLANTED_NAME),
    is_active: checkBool(body, 'is_active'),
    role: checkEnum(body, 'role', ROLES) as UserPatch['role'],
    presence_enabled: checkBool(body, 'presence_enabled'),
    email_visibility: checkPersonalVisibility(app, body),
    avatar_source: checkEnum(body, 'avatar_source', ['G', 'U']) as UserPatch['avatar_source'],
  };
  if (body.timezone !== undefined) {
    if (typeof body.timezone !== 'string') throw new InputError('"timezone" must be a string (an IANA name, or "" for none).');
    patch.timezone = body.timezone;
  }
  if (body.profile_data !== undefined) {
    const data = body.profile_data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError('"profile_data" must be an object of field id → string or null.');
    const known = new Set(app.state.org.profileFields.map((f) => String(f.id)));
    for (const [id, value] of Object.entries(data)) {
      if (!known.has(id)) throw new InputError(`Unknown profile field ${id}.`);
      if (value !== null && typeof value !== 'string') throw new InputError(`profile_data["${id}"] must be a string or null.`);
    }
    patch.profile_data = data as Record<string, string | null>;
  }
  return patch;
}

/** What GET /demo/realm tells a test about the server it talks to. */
function realmInfo(app: DemoApp): Record<string, unknown> {
  const showcase = app.state.org.presenceShowcase;
  return {
    presence_disabled: app.state.presenceDisabled,
    ...(app.featureLevel < FL.PER_USER_EMAIL_VISIBILITY ? { email_address_visibility: app.state.realmEmailVisibility } : {}),
    feature_level: app.featureLevel,
    clock_offset_seconds: app.clockOffset,
    presence_showcase: { idle_only: showcase.idleOnly, active_only: showcase.activeOnly },
  };
}

/** Handles a /demo/… request (`path` decoded); unknown control paths get a 404. */
export function handleDemo(env: DemoControlEnv, method: string, path: string, query: URLSearchParams, bodyText: string, res: ServerResponse): void {
  const { app } = env;
  const methodNotAllowed = (allowed: string[]) => fail(res, 405, 'Method Not Allowed', { allowed_methods: allowed });
  const groups = handleGroupControl(app, method, path, bodyText);
  if (groups) return groups.status === 200 ? ok(res, groups.body) : fail(res, groups.status, groups.msg, groups.extra);
  try {
    const userMatch = /^\/demo\/users\/(\d+)$/.exec(path);
    const keyMatch = /^\/demo\/users\/(\d+)\/api_key$/.exec(path);
    const fieldMatch = /^\/demo\/profile_fields\/(\d+)$/.exec(path);
    switch (true) {
      case path === '/demo/credentials': {
        if (method !== 'GET') return methodNotAllowed(['GET']);
        const bot = app.state.usersById.get(app.state.org.directoryBotId)!;
        return ok(res, {
          site: env.site,
          bot: { email: bot.delivery_email, api_key: bot.api_key, user_id: bot.user_id },
          users: app.state.org.users.map((u) => credentials(app, u)),
        });
      }
      case path === '/demo/stats': {
        if (method === 'GET') return ok(res, env.stats.snapshot());
        if (method === 'DELETE') {
          env.stats.reset();
          return ok(res, env.stats.snapshot());
        }
        return methodNotAllowed(['GET', 'DELETE']);
      }
      case path === '/demo/requests': {
        if (method !== 'GET') return methodNotAllowed(['GET']);
        const afterText = query.get('after');
        if (afterText !== null) {
          const after = Number(afterText);
          if (!Number.isInteger(after) || after < 0) throw new InputError('"after" must be a non-negative integer.');
          const requests = env.stats.after(after);
          return ok(res, { requests, capacity: env.stats.capacity, lastSeq: env.stats.lastSeq, complete: env.stats.keeps(after + 1) });
        }
        const limitText = query.get('limit');
        const limit = limitText === null ? env.stats.capacity : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1) throw new InputError('"limit" must be a positive integer.');
        return ok(res, { requests: env.stats.recent(limit), capacity: env.stats.capacity, lastSeq: env.stats.lastSeq });
      }
      case path === '/demo/faults': {
        if (method === 'GET') return ok(res, { faults: env.faults.config });
        if (method === 'DELETE') {
          env.faults.clear();
          return ok(res, { faults: env.faults.config });
        }
        if (method !== 'POST') return methodNotAllowed(['GET', 'POST', 'DELETE']);
        const { config, expireQueues } = parseFaults(parseJsonBody(bodyText));
        env.faults.set(config);
        const expired = expireQueues ? app.queues.deleteAll() : 0;
        return ok(res, { faults: env.faults.config, expiredQueues: expired });
      }
      case path === '/demo/simulation': {
        if (method === 'GET') return ok(res, { simulation: env.simulation.status() });
        if (method !== 'POST') return methodNotAllowed(['GET', 'POST']);
        const body = parseJsonBody(bodyText);
        onlyKeys(body, ['action']);
        const action = checkEnum(body, 'action', ['pause', 'resume', 'tick'] as const);
        if (action === undefined) throw new InputError('"action" is required: "pause", "resume" or "tick".');
        if (action === 'pause') env.simulation.stop();
        else if (action === 'resume') env.simulation.start();
        else env.simulation.tick();
        return ok(res, { simulation: env.simulation.status() });
      }
      case path === '/demo/realm': {
        if (method === 'GET') return ok(res, { realm: realmInfo(app) });
        if (method !== 'POST') return methodNotAllowed(['GET', 'POST']);
        const body = parseJsonBody(bodyText);
        onlyKeys(body, ['presence_disabled', 'email_address_visibility']);
        const disabled = checkBool(body, 'presence_disabled');
        const visibility = checkEnum(body, 'email_address_visibility', REALM_VISIBILITIES) as RealmEmailVisibility | undefined;
        if (disabled === undefined && visibility === undefined) throw new InputError('"presence_disabled" or "email_address_visibility" is required.');
        if (visibility !== undefined && app.featureLevel >= FL.PER_USER_EMAIL_VISIBILITY) {
          throw new InputError('From feature level 163 email visibility is each person\'s own setting: PATCH /demo/users/{id} {"email_visibility": …}.');
        }
        if (disabled !== undefined) app.setPresenceDisabled(disabled);
        if (visibility !== undefined) app.setRealmEmailVisibility(visibility);
        return ok(res, { realm: realmInfo(app) });
      }
      case path === '/demo/users': {
        if (method !== 'POST') return methodNotAllowed(['POST']);
        const body = parseJsonBody(bodyText);
        onlyKeys(body, ['full_name', 'delivery_email', 'email_visibility', 'role', 'timezone']);
        const fullName = checkString(body, 'full_name', 100);
        if (fullName === undefined) throw new InputError('"full_name" is required.');
        const id = app.state.nextUserId;
        const email = checkString(body, 'delivery_email') ?? `new.user${id}@${app.state.org.realm.email_domain}`;
        if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new InputError('"delivery_email" must be an email address.');
        if (app.state.byRealEmail(email)) throw new InputError(`${email} is already in use.`);
        const user: DemoUser = {
          user_id: id,
          full_name: fullName,
          delivery_email: email,
          email_visibility: checkPersonalVisibility(app, body) ?? 'everyone',
          is_active: true,
          is_bot: false,
          bot_type: null,
          bot_owner_id: null,
          role: (checkEnum(body, 'role', ROLES) as DemoUser['role']) ?? 400,
          timezone: typeof body.timezone === 'string' ? body.timezone : '',
          date_joined: minutePrecision(new Date(app.now() * 1000).toISOString()),
          avatar_source: 'G',
          avatar_version: 1,
          profile_data: {},
          status: {},
          presence_enabled: true,
          api_key: randomApiKey(),
          work: null,
        };
        app.createUser(user);
        return ok(res, { user: credentials(app, user) });
      }
      case userMatch !== null: {
        if (method !== 'PATCH') return methodNotAllowed(['PATCH']);
        const user = app.state.usersById.get(Number(userMatch![1]));
        if (!user || !app.state.org.users.includes(user)) return fail(res, 404, 'No such user');
        app.updateUser(user, userPatch(app, parseJsonBody(bodyText)));
        return ok(res, { user: credentials(app, user) });
      }
      case keyMatch !== null: {
        if (method !== 'POST') return methodNotAllowed(['POST']);
        const user = app.state.usersById.get(Number(keyMatch![1]));
        if (!user || !app.state.org.users.includes(user)) return fail(res, 404, 'No such user');
        const body = bodyText.trim() === '' ? {} : parseJsonBody(bodyText);
        onlyKeys(body, ['api_key']);
        const given = body.api_key;
        if (given !== undefined && (typeof given !== 'string' || !API_KEY.test(given))) throw new InputError('"api_key" must be 32 letters and digits.');
        const key = (given as string | undefined) ?? randomApiKey();
        const owner = app.state.byKey(key);
        if (owner && owner !== user) throw new InputError('That key belongs to another account.');
        app.setApiKey(user, key);
        return ok(res, { user: credentials(app, user) });
      }
      case fieldMatch !== null: {
        if (method !== 'PATCH') return methodNotAllowed(['PATCH']);
        const field = app.state.org.profileFields.find((f) => f.id === Number(fieldMatch![1]));
        if (!field) return fail(res, 404, 'No such profile field');
        const body = parseJsonBody(bodyText);
        onlyKeys(body, ['name', 'hint', 'display_in_profile_summary', 'required']);
        const patch: Parameters<DemoApp['updateProfileField']>[1] = {};
        const name = checkString(body, 'name', 40);
        if (name !== undefined) patch.name = name;
        if (body.hint !== undefined) {
          if (typeof body.hint !== 'string' || body.hint.length > 80) throw new InputError('"hint" must be a string of at most 80 characters.');
          patch.hint = body.hint;
        }
        const summary = checkBool(body, 'display_in_profile_summary');
        if (summary !== undefined) patch.display_in_profile_summary = summary;
        const required = checkBool(body, 'required');
        if (required !== undefined) patch.required = required;
        app.updateProfileField(field, patch);
        return ok(res, { field: app.state.formatProfileField(field) });
      }
      case path === '/demo/queues': {
        if (method === 'GET') return ok(res, { queues: app.queues.size });
        if (method === 'DELETE') return ok(res, { deleted: app.queues.deleteAll() });
        if (method === 'POST') return ok(res, { collected: app.queues.collectGarbage(), queues: app.queues.size });
        return methodNotAllowed(['GET', 'POST', 'DELETE']);
      }
      default:
        return fail(res, 404, 'Not Found');
    }
  } catch (error) {
    if (error instanceof InputError || error instanceof FaultInputError) return fail(res, 400, error.message);
    throw error;
  }
}
