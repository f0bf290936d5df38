// The /api/v1 routes, in the order of Zulip's zproject/urls.py: the first pattern matching the
// path wins whatever the method, so `GET users/me/presence` meets the POST-only route and gets
// 405 rather than reaching `users/<user_id_or_email>/presence`.
import { FL } from '../core/versions';
import { fetchApiKey } from './auth';
import { deleteEvents, getEvents } from './events';
import { getRealmPresence, getUserPresence, updatePresence } from './presence';
import { getProfileFields, getServerSettings } from './realm';
import { register } from './register';
import { getUserStatus, updateOwnStatus } from './status';
import type { HttpMethod, RouteSpec } from './types';
import { getOwnUser, getUserByEmail, getUserById, getUsers } from './users';
import { getUserGroups } from './user-groups';

const authed = <T>(handler: T) => ({ handler, auth: true });

export const API_ROUTES: RouteSpec[] = [
  { template: 'server_settings', methods: { GET: { handler: getServerSettings, auth: false } } },
  { template: 'fetch_api_key', methods: { POST: { handler: fetchApiKey, auth: false } } },
  { template: 'users', methods: { GET: authed(getUsers) } },
  { template: 'users/me', methods: { GET: authed(getOwnUser) } },
  { template: 'users/<int:user_id>', methods: { GET: authed(getUserById) } },
  { template: 'users/<email>', methods: { GET: authed(getUserByEmail) } },
  { template: 'users/me/presence', methods: { POST: authed(updatePresence) } },
  { template: 'users/<user_id_or_email>/presence', methods: { GET: authed(getUserPresence) } },
  { template: 'realm/presence', methods: { GET: authed(getRealmPresence) } },
  { template: 'users/me/status', methods: { POST: authed(updateOwnStatus) } },
  { template: 'users/<int:user_id>/status', methods: { GET: authed(getUserStatus) }, minFeatureLevel: FL.GET_USER_STATUS },
  { template: 'realm/profile_fields', methods: { GET: authed(getProfileFields) } },
  { template: 'user_groups', methods: { GET: authed(getUserGroups) } },
  { template: 'register', methods: { POST: authed(register) } },
  // nginx sends /api/v1/events (GET, DELETE) to Tornado: puppet/zulip/files/nginx/zulip-include-frontend/app.
  { template: 'events', methods: { GET: authed(getEvents), DELETE: authed(deleteEvents) }, tornado: true },
];

export interface CompiledRoute extends RouteSpec {
  pattern: RegExp;
  argNames: string[];
}

/** Django path converters: `<int:x>` is `[0-9]+`, a bare `<x>` is `[^/]+`. */
export function compileRoute(spec: RouteSpec): CompiledRoute {
  const argNames: string[] = [];
  const source = spec.template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<(?:(int):)?([a-z_]+)>/g, (_m, conv: string | undefined, name: string) => {
    argNames.push(name);
    return conv === 'int' ? '([0-9]+)' : '([^/]+)';
  });
  return { ...spec, pattern: new RegExp(`^${source}$`), argNames };
}

export const COMPILED_ROUTES = API_ROUTES.map(compileRoute);

/** The first route whose pattern matches the (decoded) path below /api/v1/, with its path values. */
export function matchRoute(path: string, featureLevel: number): { route: CompiledRoute; args: Record<string, string> } | null {
  for (const route of COMPILED_ROUTES) {
    if (route.minFeatureLevel !== undefined && featureLevel < route.minFeatureLevel) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const args: Record<string, string> = {};
    route.argNames.forEach((name, i) => (args[name] = m[i + 1]!));
    return { route, args };
  }
  return null;
}

export const allowedMethods = (route: RouteSpec): HttpMethod[] => Object.keys(route.methods) as HttpMethod[];
