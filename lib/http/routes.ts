import { z } from 'zod';
import { parseSignInPageParams, signInPageParamsSchema } from '@/lib/access/sign-in-input';
import { avatarQuerySchema, parseAvatarQuery } from '@/lib/directory/query/avatar-query';
import { avatarsQuerySchema, parseAvatarsQuery } from '@/lib/directory/query/avatars-query';
import { orgApiQuerySchema, orgPageQuerySchema, parseOrgApiQuery, parseOrgPageQuery } from '@/lib/directory/query/org-query';
import { parsePeopleQuery, peopleQuerySchema } from '@/lib/directory/query/people-query';
import { parsePersonRef, personRefSchema } from '@/lib/directory/query/person-ref';
import { parseTeamId, teamIdSchema } from '@/lib/directory/query/teams-id';
import { parseTeamPageQuery, teamPageQuerySchema } from '@/lib/directory/query/teams-page-query';
import { parseSinceQuery, sinceQuerySchema } from '@/lib/directory/query/since-query';

// Every address the app answers (docs/architecture.md §6), in one table: its pattern as the app/
// folder names it, what it is, who may see it, and how its input is read. proxy.ts finds a request's
// entry here (to refuse bad page input with a 400 page and to let the public ones through), pages
// read their params and query through the same entry, every route handler is opened by
// lib/server/api-route.ts from it, and the API's OpenAPI document (lib/http/openapi.ts) describes
// each address's input with the zod schemas its entry reads with. tests/http/route-table.test.ts
// keeps it equal to app/.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
/** Route params as Next hands them over: one segment per `[name]`, a list for `[...name]`. */
export type RawParams = Record<string, string | string[] | undefined>;
/** Where an input problem is: in the path (`invalid_{param}`) or in the query (`invalid_query`). */
export type InputProblem = { where: 'params'; param: string; error: string } | { where: 'query'; error: string };

/**
 * The zod schemas an entry reads its input with: one per `[name]` segment, and the query's (an
 * object schema; null when the query is not read). The parsers below parse with these very
 * schemas, so what the OpenAPI document says is what is checked.
 */
export interface RouteSchemas {
  params: Record<string, z.ZodType>;
  query: z.ZodType | null;
}

export type RouteKind = 'page' | 'api' | 'export' | 'file';

export interface RouteSpec<P, Q, K extends RouteKind = RouteKind> {
  /** `page`: HTML for people; `api`: JSON under /api; `export`: a file to download; `file`: one Next serves from app/ by its name. */
  kind: K;
  /** `public`: reachable without signing in; `members`: only by viewers the access mode lets in. */
  access: 'public' | 'members';
  /**
   * What a members route does before the directory has its first data: `refuse` (503, try again:
   * it would show a directory with no one in it) or `answer` (the health report, which says why;
   * in the open mode only, as a signed-in viewer cannot be checked before then).
   */
  beforeData: 'refuse' | 'answer';
  params: (raw: RawParams) => { ok: true; value: P } | { ok: false; param: string; error: string };
  query: (search: URLSearchParams) => Parsed<Q>;
  schemas: RouteSchemas;
  /** How a refused address reads on the 400 page proxy.ts sends (pages only: other kinds answer for themselves). */
  explain: (problem: InputProblem) => string;
}

/** Next adds this to client-side navigations; it is not one of a page's parameters. */
const NEXT_PARAMS = new Set(['_rsc']);

type ParamsReader<P> = { read: RouteSpec<P, unknown>['params']; schemas: RouteSchemas['params'] };
type QueryReader<Q> = { read: RouteSpec<unknown, Q>['query']; schema: RouteSchemas['query'] };

/** Nothing to read: a route whose address says nothing beyond its path. */
const noParams: ParamsReader<Record<string, never>> = { read: () => ({ ok: true, value: {} }), schemas: {} };

/** The query is not read: a file, a route that reads its own request (a form), the catch-all. */
const unread: QueryReader<Record<string, never>> = { read: () => ({ ok: true, value: {} }), schema: null };

/** For addresses that take no query parameters: the first one given is refused. */
const noQuery: QueryReader<Record<string, never>> = {
  read: (search) => {
    const first = search.keys().next();
    return first.done ? { ok: true, value: {} } : { ok: false, error: `This address takes no parameters (got "${first.value.slice(0, 50)}").` };
  },
  schema: z.strictObject({}),
};

/** One `[name]` segment, read by `parse`, which parses with `schema`. */
function param<N extends string, T>(name: N, schema: z.ZodType, parse: (raw: string) => Parsed<T>): ParamsReader<Record<N, T>> {
  return {
    read: (raw) => {
      const value = raw[name];
      if (typeof value !== 'string') return { ok: false, param: name, error: `The address has no ${name}` };
      const parsed = parse(value);
      return parsed.ok ? { ok: true, value: { [name]: parsed.value } as Record<N, T> } : { ok: false, param: name, error: parsed.error };
    },
    schemas: { [name]: schema },
  };
}

const personRef = param('ref', personRefSchema, (raw) => {
  const parsed = parsePersonRef(raw);
  return parsed.ok ? { ok: true, value: parsed.ref } : parsed;
});
const teamId = param('id', teamIdSchema, (raw) => {
  const parsed = parseTeamId(raw);
  return parsed.ok ? { ok: true, value: parsed.id } : parsed;
});
const catchAll: ParamsReader<{ path: string[] }> = {
  read: (raw) => ({ ok: true, value: { path: Array.isArray(raw.path) ? raw.path : [] } }),
  schemas: { path: z.array(z.string()) },
};

/** The parsers of lib/directory each name their result ({ok, query}, {ok, since}…); the table's are all `value`. `parse` parses with `schema`. */
function queryParser<R extends { ok: true } | { ok: false; error: string }, T>(
  schema: z.ZodType,
  parse: (search: URLSearchParams) => R,
  pick: (parsed: Extract<R, { ok: true }>) => T,
): QueryReader<T> {
  return {
    read: (search) => {
      const parsed = parse(search);
      return parsed.ok ? { ok: true, value: pick(parsed as Extract<R, { ok: true }>) } : { ok: false, error: (parsed as { error: string }).error };
    },
    schema,
  };
}

const peopleQuery = queryParser(peopleQuerySchema, parsePeopleQuery, (p) => p.query);
const teamPageQuery = queryParser(teamPageQuerySchema, parseTeamPageQuery, (p) => p.query);
const orgPageQuery = queryParser(orgPageQuerySchema, parseOrgPageQuery, (p) => p.query);
const orgApiQuery = queryParser(orgApiQuerySchema, parseOrgApiQuery, (p) => p.query);
const sinceQuery = queryParser(sinceQuerySchema, parseSinceQuery, (p) => p.since);
const avatarQuery = queryParser(avatarQuerySchema, parseAvatarQuery, (p) => p.version);
const avatarsQuery = queryParser(avatarsQuerySchema, parseAvatarsQuery, (p) => p.ids);
const signInPageQuery = queryParser(signInPageParamsSchema, parseSignInPageParams, (p) => p.value);

function route<K extends RouteKind, P = Record<string, never>, Q = Record<string, never>>(spec: {
  kind: K;
  access?: RouteSpec<P, Q>['access'];
  beforeData?: RouteSpec<P, Q>['beforeData'];
  params?: ParamsReader<P>;
  query?: QueryReader<Q>;
  explain?: RouteSpec<P, Q>['explain'];
}): RouteSpec<P, Q, K> {
  const params = spec.params ?? (noParams as unknown as ParamsReader<P>);
  const query = spec.query ?? (noQuery as unknown as QueryReader<Q>);
  return {
    kind: spec.kind,
    access: spec.access ?? 'members',
    beforeData: spec.beforeData ?? 'refuse',
    params: params.read,
    query: query.read,
    schemas: { params: params.schemas, query: query.schema },
    explain: spec.explain ?? ((problem) => `${problem.error}.`),
  };
}

/** A path problem reads as the parser wrote it; a query problem after `lead`. */
const pageProblem = (lead: string) => (problem: InputProblem) => (problem.where === 'params' ? `${problem.error}.` : `${lead}: ${problem.error}.`);

export const ROUTES = {
  '/': route({ kind: 'page', query: peopleQuery, explain: pageProblem('The directory could not read this link’s filters') }),
  '/groups/[id]': route({ kind: 'page', params: teamId, query: teamPageQuery, explain: pageProblem('The team page could not read this link’s filters') }),
  '/people/[ref]': route({
    kind: 'page',
    params: personRef,
    explain: (problem) => (problem.where === 'params' ? `${problem.error}.` : 'A profile address takes no parameters.'),
  }),
  '/org': route({ kind: 'page', query: orgPageQuery, explain: pageProblem('The org chart could not read this link') }),
  '/shortcuts': route({ kind: 'page', explain: () => 'The keyboard shortcuts page takes no parameters.' }),
  '/sign-in': route({ kind: 'page', access: 'public', query: signInPageQuery, explain: pageProblem('The sign-in page could not read this link') }),
  // app/icon.svg: Next's metadata file, shown on the sign-in page too.
  '/icon.svg': route({ kind: 'file', access: 'public', query: unread }),

  '/people/[ref]/vcard': route({ kind: 'export', params: personRef }),
  '/export/people.csv': route({ kind: 'export', query: peopleQuery }),
  '/export/people.vcf': route({ kind: 'export', query: peopleQuery }),

  '/api/people': route({ kind: 'api', query: peopleQuery }),
  '/api/people/index': route({ kind: 'api' }),
  '/api/people/[ref]': route({ kind: 'api', params: personRef }),
  '/api/people/[ref]/presence': route({ kind: 'api', params: personRef }),
  '/api/people/[ref]/avatar': route({ kind: 'api', params: personRef, query: avatarQuery }),
  '/api/people/avatars': route({ kind: 'api', query: avatarsQuery }),
  '/api/org': route({ kind: 'api', query: orgApiQuery }),
  '/api/presence': route({ kind: 'api', query: sinceQuery }),
  '/api/presence/stream': route({ kind: 'api', query: sinceQuery }),
  '/api/health': route({ kind: 'api', beforeData: 'answer' }),
  // The probes say only live or ready (README, "Running it in production").
  '/api/health/live': route({ kind: 'api', access: 'public' }),
  '/api/health/ready': route({ kind: 'api', access: 'public' }),
  '/api/auth/sign-in': route({ kind: 'api', access: 'public', query: unread }),
  '/api/auth/sign-out': route({ kind: 'api', access: 'public', query: unread }),
  // The API's description (lib/http/openapi.ts): its shape only, no staff data, so that a client
  // or a person may read it before signing in, as they read the sign-in page.
  '/api/openapi.json': route({ kind: 'api', access: 'public' }),
  // Prometheus's: public to proxy.ts, because its own token (DIRECTORY_METRICS_TOKEN) is its access check.
  '/metrics': route({ kind: 'api', access: 'public' }),
  // Any other /api address: a JSON 404 (after the access check, so it tells an outsider nothing).
  '/api/[...path]': route({ kind: 'api', params: catchAll, query: unread }),
} satisfies Record<string, RouteSpec<unknown, unknown>>;

export type RoutePattern = keyof typeof ROUTES;
export type ParamsOf<K extends RoutePattern> = (typeof ROUTES)[K] extends RouteSpec<infer P, unknown> ? P : never;
export type QueryOf<K extends RoutePattern> = (typeof ROUTES)[K] extends RouteSpec<unknown, infer Q> ? Q : never;

export type RouteInput<K extends RoutePattern> = { ok: true; params: ParamsOf<K>; query: QueryOf<K> } | ({ ok: false } & InputProblem);

/**
 * The one reading of a route's input: its params, then its query. proxy.ts (for pages) and
 * lib/server/api-route.ts (for handlers) call this; pages call its two halves below, since a page
 * shows what it can of an address proxy.ts would have refused.
 */
export function readRouteInput<K extends RoutePattern>(pattern: K, raw: RawParams, search: URLSearchParams): RouteInput<K> {
  const params = readRouteParams(pattern, raw);
  if (!params.ok) return params;
  const query = readRouteQuery(pattern, search);
  if (!query.ok) return query;
  return { ok: true, params: params.value, query: query.value };
}

export function readRouteParams<K extends RoutePattern>(pattern: K, raw: RawParams): Parsed<ParamsOf<K>> & ({ ok: true } | InputProblem) {
  const parsed = (ROUTES[pattern] as RouteSpec<ParamsOf<K>, unknown>).params(raw);
  return parsed.ok ? parsed : { ok: false, where: 'params', param: parsed.param, error: parsed.error };
}

/** A page's query is read without Next's own `_rsc`. */
export function readRouteQuery<K extends RoutePattern>(pattern: K, search: URLSearchParams): Parsed<QueryOf<K>> & ({ ok: true } | InputProblem) {
  const spec = ROUTES[pattern] as RouteSpec<unknown, QueryOf<K>>;
  const parsed = spec.query(spec.kind === 'page' ? withoutNextParams(search) : search);
  return parsed.ok ? parsed : { ok: false, where: 'query', error: parsed.error };
}

function withoutNextParams(search: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...search].filter(([key]) => !NEXT_PARAMS.has(key)));
}

/** A page's searchParams prop as URLSearchParams (a repeated key stays repeated, so it is refused). */
export function searchParamsOf(record: Record<string, string | string[] | undefined>): URLSearchParams {
  return new URLSearchParams(Object.entries(record).flatMap(([key, value]) => (value === undefined ? [] : Array.isArray(value) ? value.map((v) => [key, v]) : [[key, value]])));
}

type Segment = { static: string } | { param: string; rest: boolean };

/** `/people/[ref]` → [{static: 'people'}, {param: 'ref'}]. */
function segmentsOf(pattern: string): Segment[] {
  return pathSegments(pattern).map((segment) => {
    const rest = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (rest) return { param: rest[1]!, rest: true };
    const one = /^\[(\w+)\]$/.exec(segment);
    return one ? { param: one[1]!, rest: false } : { static: segment };
  });
}

function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** Next's order: a static segment before a dynamic one, a dynamic one before a catch-all. */
const rank = (segments: Segment[]) => segments.map((s) => ('static' in s ? '0' : s.rest ? '2' : '1')).join('');

/** The matcher of a set of patterns, whatever order they are listed in. */
export function routeMatcher<K extends string>(patterns: readonly K[]): (pathname: string) => { pattern: K; params: RawParams } | null {
  const matchers = patterns.map((pattern) => ({ pattern, segments: segmentsOf(pattern) })).sort((a, b) => (rank(a.segments) < rank(b.segments) ? -1 : 1));
  return (pathname) => {
    const parts = pathSegments(pathname);
    for (const { pattern, segments } of matchers) {
      const params = matchSegments(segments, parts);
      if (params) return { pattern, params };
    }
    return null;
  };
}

/**
 * The route that answers a pathname (as requested: still percent-encoded), and its raw params, as
 * Next routes it; null for an address nothing in app/ answers (Next's 404).
 */
export const matchRoute = routeMatcher(Object.keys(ROUTES) as RoutePattern[]);

function matchSegments(segments: Segment[], parts: string[]): RawParams | null {
  const params: RawParams = {};
  for (const [i, segment] of segments.entries()) {
    if ('static' in segment) {
      if (parts[i] !== segment.static) return null;
    } else if (segment.rest) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.includes('')) return null;
      params[segment.param] = rest;
      return params;
    } else {
      if (!parts[i]) return null;
      params[segment.param] = parts[i];
    }
  }
  return parts.length === segments.length ? params : null;
}
