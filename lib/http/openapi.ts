import { z } from 'zod';
import { DEFAULT_PROXY_HEADER, PROXY_SECRET_HEADER } from '@/lib/access/config';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '@/lib/access/session';
import { signInFormSchema } from '@/lib/access/sign-in-input';
import {
  apiErrorSchema,
  apiSchemas,
  avatarUrlsSchema,
  healthSchema,
  livenessSchema,
  readinessSchema,
  orgLevelSchema,
  orgPathSchema,
  peopleIndexSchema,
  peoplePageSchema,
  presenceDetailSchema,
  presenceDiffSchema,
  profileSchema,
  signInAnswerSchema,
  signOutAnswerSchema,
} from '@/lib/http/api-schemas';
import { ROUTES, type RoutePattern } from '@/lib/http/routes';
import { PEOPLE_REVISION_HEADER } from '@/lib/directory/search/people-index';
import packageJson from '@/package.json';

// The API's OpenAPI 3.1 document, served at /api/openapi.json (docs/architecture.md §6). Built
// from what the app itself uses, so it cannot say something else: each address's input from the
// zod schemas its entry in the route table reads with (lib/http/routes.ts), each answer from the
// schemas of lib/http/api-schemas.ts (checked against the domain types at compile time), and who
// may call it from the table's access rule. Every api and export entry of the table must be
// described here (`satisfies` below); tests/http/openapi.test.ts validates real answers against it.

type Json = Record<string, unknown>;

/** What an answer carries: a body schema of lib/http/api-schemas.ts (JSON), or another media type. */
type Body = { json: z.ZodType | z.ZodType[] } | { media: string; schema?: Json } | { none: true };
/** Headers an answer carries that a program reads (OpenAPI's response `headers`). */
type Headers = Record<string, { description: string; schema: Json }>;
type Answer = { description: string; headers?: Headers } & Body;

interface Operation {
  method: 'get' | 'post';
  summary: string;
  description?: string;
  /** The body a POST reads, as JSON or a form. */
  requestBody?: z.ZodType;
  /** Answers of this route's own; the table's adds the shared ones (bad input, refusals, upstream trouble). */
  answers: Record<number, Answer>;
}

type KindOf<K extends RoutePattern> = (typeof ROUTES)[K]['kind'];
/**
 * Every address a program calls: the API and the exports. `/api/[...path]`, the JSON 404 for any
 * other /api address, is said in the document's description: OpenAPI paths cannot match several segments.
 */
export type DocumentedPattern = Exclude<{ [K in RoutePattern]: KindOf<K> extends 'api' | 'export' ? K : never }[RoutePattern], '/api/[...path]'>;

const error = (description: string): Answer => ({ description, json: apiErrorSchema });
const notFound = (what: string) => error(`\`not_found\`: ${what}.`);
const file = (media: string, description: string): Answer => ({ description, media, schema: { type: 'string' } });
const busy = (codes: string) => error(`${codes}: too many at once; \`Retry-After\` says when to try again.`);

const PEOPLE_INDEX_HEADERS: Headers = {
  ETag: { description: 'A hash of the index: the same people are the same ETag on every instance.', schema: { type: 'string' } },
  [PEOPLE_REVISION_HEADER]: {
    description: 'The revision of the people it holds: the same on every instance, rising with each change (an answer of a lower one than a program holds comes from an instance behind).',
    schema: { type: 'integer', minimum: 0 },
  },
};
const PEOPLE_FILTERS = 'The directory’s own address query (`/?q=…`), paging ignored: everyone the view matches, in its order.';

export const OPERATIONS = {
  '/api/people': {
    method: 'get',
    summary: 'Search and page through people',
    description: 'Unknown or repeated parameters are refused. `team` is a Zulip user group id (subgroups included).',
    answers: { 200: { description: 'One page of the people the query matches.', json: peoplePageSchema } },
  },
  '/api/people/index': {
    method: 'get',
    summary: 'Everyone listed, for searching in the browser',
    description: 'The people /api/people pages through, all of them, column by column; private to the viewer’s cache, with an ETag.',
    answers: {
      200: { description: 'The index.', json: peopleIndexSchema, headers: PEOPLE_INDEX_HEADERS },
      304: { description: 'The `If-None-Match` ETag still holds.', none: true, headers: PEOPLE_INDEX_HEADERS },
    },
  },
  '/api/people/[ref]': {
    method: 'get',
    summary: 'One person’s profile',
    description: '`ref` is a user id, a Zulip API email or the real email; it is only looked up in the directory.',
    answers: { 200: { description: 'The profile.', json: profileSchema }, 404: notFound('no one the viewer may see matches the reference') },
  },
  '/api/people/[ref]/presence': {
    method: 'get',
    summary: 'One person’s presence, client by client',
    description: 'From Zulip’s per-person endpoint (`source: "zulip"`) or, when the request budget is spent, from the snapshot (`source: "snapshot"`).',
    answers: { 200: { description: 'The breakdown, or why there is none.', json: presenceDetailSchema }, 404: notFound('no one the viewer may see matches the reference') },
  },
  '/api/people/[ref]/avatar': {
    method: 'get',
    summary: 'One person’s picture, by redirect',
    description: 'Where the people index’s rows find a picture: a redirect to the avatar URL the directory holds. `v` is the version the index gave; while it is the current one, the redirect may be kept for a day.',
    answers: { 302: { description: 'To the picture.', none: true }, 404: notFound('no one the viewer may see matches the reference, or they have no picture') },
  },
  '/api/people/avatars': {
    method: 'get',
    summary: 'Several people’s pictures at once',
    description: 'Where the people index’s rows find their pictures, a list at a time: `ids` names up to 100 people by user id, none twice. Someone the viewer may not see, or without a picture, is left out.',
    answers: { 200: { description: 'The URLs, by user id.', json: avatarUrlsSchema } },
  },
  '/api/org': {
    method: 'get',
    summary: 'The org chart, level by level',
    description: 'No parameters: the top level; `parent`: someone’s reports; `offset` pages a level (100 at a time); `focus`: the way down to someone (an OrgPath). `parent` and `focus` do not go together, nor `focus` and `offset`.',
    answers: { 200: { description: 'An OrgLevel, or an OrgPath for `focus`.', json: [orgLevelSchema, orgPathSchema] }, 404: notFound('no one with that id is in the chart') },
  },
  '/api/presence': {
    method: 'get',
    summary: 'Presence: the snapshot, or the changes since a version',
    answers: { 200: { description: 'Everyone (`full: true`) or the changes since `since`.', json: presenceDiffSchema } },
  },
  '/api/presence/stream': {
    method: 'get',
    summary: 'Presence as Server-Sent Events',
    description: 'One `presence` event per diff, its `data` a PresenceDiff (#/components/schemas/PresenceDiff) and its `id` the version; the first catches up from `since` or `Last-Event-ID`. Comments keep the connection open.',
    answers: {
      200: file('text/event-stream', 'The stream.'),
      429: busy('`too_many_streams` (this viewer) or `server_busy`'),
      503: error('`stream_misconfigured`, or the directory or its access settings are not available.'),
    },
  },
  '/api/health': {
    method: 'get',
    summary: 'Is Zulip reachable, are the credentials accepted, how old is the data',
    answers: {
      200: { description: 'Serving fresh data.', json: healthSchema },
      503: { description: 'Not serving fresh data (the same report), or the directory cannot check the viewer yet (an error).', json: [healthSchema, apiErrorSchema] },
    },
  },
  '/api/health/live': {
    method: 'get',
    summary: 'Liveness: the process answers (a Kubernetes livenessProbe)',
    description: 'Always 200 while the process can answer, also while it stops: Zulip or Redis trouble is not cured by a restart.',
    answers: { 200: { description: 'Live.', json: livenessSchema } },
  },
  '/api/health/ready': {
    method: 'get',
    summary: 'Readiness: whether to send this instance requests (a Kubernetes readinessProbe)',
    description: 'Ready once the data is loaded (a follower: caught up with the leader); not ready before, nor from the moment the instance is told to stop.',
    answers: { 200: { description: 'Ready.', json: readinessSchema }, 503: { description: 'Not ready, and why.', json: readinessSchema } },
  },
  '/metrics': {
    method: 'get',
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    description: 'Only with DIRECTORY_METRICS_TOKEN set, and only with `Authorization: Bearer <token>`. Counts, never names, people.',
    answers: {
      200: { description: 'The metrics.', media: 'text/plain; version=0.0.4', schema: { type: 'string' } },
      401: { description: 'Without the token (`WWW-Authenticate: Bearer`).', media: 'text/plain', schema: { type: 'string' } },
      404: { description: 'Metrics are off: DIRECTORY_METRICS_TOKEN is not set.', media: 'text/plain', schema: { type: 'string' } },
      503: { description: 'DIRECTORY_METRICS_TOKEN is set but unusable (too short).', media: 'text/plain', schema: { type: 'string' } },
    },
  },
  '/api/auth/sign-in': {
    method: 'post',
    summary: 'Sign in with a Zulip account (DIRECTORY_ACCESS=zulip)',
    description: 'Form-encoded or JSON. A program (JSON body, or `Accept: application/json`) gets JSON and the session cookie; a browser form is redirected. Attempts are limited per email, per client address and in all.',
    requestBody: signInFormSchema,
    answers: {
      200: { description: 'Signed in; `Set-Cookie` holds the session.', json: signInAnswerSchema },
      303: { description: 'A browser form: to `next`, or back to /sign-in with the error.', none: true },
      400: error('`invalid_input`.'),
      401: error('`invalid_credentials`.'),
      403: error('`cross_site` or `not_a_member`.'),
      404: notFound('this directory does not use sign-in'),
      429: error('`rate_limited`: too many attempts (for this email, this address, or in all); `Retry-After` says when to try again.'),
      503: error('`unavailable` (Zulip) or `store_unavailable` (Redis).'),
    },
  },
  '/api/auth/sign-out': {
    method: 'post',
    summary: 'Sign out, on every device',
    answers: {
      200: { description: 'Signed out; the cookie is removed.', json: signOutAnswerSchema },
      303: { description: 'A browser form: back to /sign-in.', none: true },
      403: error('`cross_site`.'),
      503: error('`sign_out_incomplete`: the cookie is removed, but the other instances could not be told.'),
    },
  },
  '/api/openapi.json': {
    method: 'get',
    summary: 'This document',
    answers: { 200: { description: 'The OpenAPI 3.1 document of the API.', media: 'application/json', schema: { type: 'object' } } },
  },
  '/export/people.csv': {
    method: 'get',
    summary: 'A directory view as a spreadsheet',
    description: `${PEOPLE_FILTERS} RFC 4180, UTF-8 with a byte-order mark, every cell quoted.`,
    answers: { 200: file('text/csv', 'The file (an attachment).'), 429: busy('`too_many_exports` (this viewer) or `server_busy`'), 503: error('`export_misconfigured`, or the directory or its access settings are not available.') },
  },
  '/export/people.vcf': {
    method: 'get',
    summary: 'A directory view as vCards',
    description: `${PEOPLE_FILTERS} vCard 4.0 (RFC 6350), one card per person.`,
    answers: { 200: file('text/vcard', 'The file (an attachment).'), 429: busy('`too_many_exports` (this viewer) or `server_busy`'), 503: error('`export_misconfigured`, or the directory or its access settings are not available.') },
  },
  '/people/[ref]/vcard': {
    method: 'get',
    summary: 'One person as a vCard',
    description: 'vCard 4.0, with only the email the viewer may see; `ref` as for /api/people/{ref}.',
    answers: { 200: file('text/vcard', 'The card (an attachment).'), 404: notFound('no one the viewer may see matches the reference') },
  },
} satisfies Record<DocumentedPattern, Operation>;

/** The shared answers: bad input when the address reads any, the refusals unless public, and trouble upstream. */
function sharedAnswers(pattern: DocumentedPattern): Record<string, Answer> {
  const { access, schemas } = ROUTES[pattern];
  // A query that is read at all refuses unknown parameters, even where it takes none.
  const readsInput = Object.keys(schemas.params).length > 0 || schemas.query !== null;
  return {
    ...(readsInput && { 400: error('`invalid_query`, or `invalid_{param}` for a path segment (such as `invalid_ref`): the input is refused and nothing is done.') }),
    ...(access === 'members' && {
      401: error('`sign_in_required`: the access mode needs a viewer (a session cookie, or the proxy’s header).'),
      403: error('`not_a_member` or `access_not_configured`.'),
      503: error('`directory_unavailable` (it has not reached Zulip yet), `directory_cannot_start` (a setting stops it: the message names it) or `access_misconfigured`; `Retry-After`.'),
    }),
    '5XX': error('Trouble upstream or inside: `upstream_rate_limited` (503, `Retry-After`), `upstream_unreachable`, `upstream_unauthorized`, `upstream_error` (502), `upstream_timeout` (504), `internal` (500).'),
  };
}

/** `/people/[ref]` → `/people/{ref}`. */
export const openApiPath = (pattern: string) => pattern.replace(/\[(\w+)\]/g, '{$1}');

/** A $ref to the component a schema of lib/http/api-schemas.ts is registered as. */
function ref(schema: z.ZodType): Json {
  const id = apiSchemas.get(schema)?.id;
  if (!id) throw new Error('A response schema is not registered in lib/http/api-schemas.ts');
  return { $ref: `#/components/schemas/${id}` };
}

/** zod writes every integer's bounds, ±(2^53 − 1) when none is set: noise to a reader. */
function withoutSafeIntegerBounds({ jsonSchema }: { jsonSchema: Json }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** A converted schema as a part of this document: without the `$schema` and `$id` of a document of its own. */
function part(schema: Json): Json {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

/** A schema as a client sends it (defaults optional, strings before coercion). */
function inputSchema(schema: z.ZodType): Json {
  return part(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: withoutSafeIntegerBounds }) as Json);
}

function parameters(pattern: DocumentedPattern): Json[] {
  const { schemas } = ROUTES[pattern];
  const query = schemas.query ? inputSchema(schemas.query) : { properties: {}, required: [] };
  const required = new Set((query.required as string[] | undefined) ?? []);
  return [
    ...Object.entries(schemas.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema: inputSchema(schema) })),
    ...Object.entries((query.properties as Record<string, Json>) ?? {}).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema })),
  ];
}

function content(answer: Answer): Json | undefined {
  if ('none' in answer) return undefined;
  if ('media' in answer) return { [answer.media]: { schema: answer.schema ?? {} } };
  const schemas = Array.isArray(answer.json) ? answer.json : [answer.json];
  return { 'application/json': { schema: schemas.length === 1 ? ref(schemas[0]!) : { oneOf: schemas.map(ref) } } };
}

function operation(pattern: DocumentedPattern): Json {
  const spec: Operation = OPERATIONS[pattern];
  const answers: Record<string, Answer> = { ...sharedAnswers(pattern), ...spec.answers };
  const body = spec.requestBody && inputSchema(spec.requestBody);
  return {
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    operationId: `${spec.method}${pattern.replace(/\[(\w+)\]/g, 'By-$1').replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    parameters: parameters(pattern),
    ...(body && { requestBody: { required: true, content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body } } } }),
    // Open routes need no viewer; the others need one whenever the access mode is not open.
    security: ROUTES[pattern].access === 'public' ? [] : [{}, { session: [] }, { proxyIdentity: [], proxySecret: [] }],
    responses: Object.fromEntries(
      Object.entries(answers).map(([status, answer]) => {
        const media = content(answer);
        return [status, { description: answer.description, ...(answer.headers && { headers: answer.headers }), ...(media && { content: media }) }];
      }),
    ),
  };
}

function build(): Json {
  const { schemas } = z.toJSONSchema(apiSchemas, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}`, override: withoutSafeIntegerBounds }) as { schemas: Record<string, Json> };
  const components = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, part(schema)]));
  const patterns = Object.keys(OPERATIONS) as DocumentedPattern[];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Zulip staff directory API',
      version: packageJson.version,
      description:
        'The directory’s JSON API and its exports. Every error, of every route here, is `{"error": {"code", "message"}}` (#/components/schemas/Error); any other /api address answers 404 `not_found` in that shape (after the same access check). Whether a viewer is needed depends on the deployment’s access mode (DIRECTORY_ACCESS): none when open, a session cookie (zulip) or the trusted proxy’s header (proxy).',
    },
    paths: Object.fromEntries(patterns.map((pattern) => [openApiPath(pattern), { [OPERATIONS[pattern].method]: operation(pattern) }])),
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SECURE_SESSION_COOKIE, description: `DIRECTORY_ACCESS=zulip: the session cookie POST /api/auth/sign-in sets (\`${SESSION_COOKIE}\` over plain http).` },
        proxyIdentity: { type: 'apiKey', in: 'header', name: DEFAULT_PROXY_HEADER, description: 'DIRECTORY_ACCESS=proxy: the viewer’s email, set by the trusted proxy (the header DIRECTORY_PROXY_HEADER names).' },
        proxySecret: { type: 'apiKey', in: 'header', name: PROXY_SECRET_HEADER, description: 'DIRECTORY_ACCESS=proxy: DIRECTORY_PROXY_SECRET, proving the request comes through the proxy.' },
      },
    },
  };
}

let built: Json | null = null;

/** The document, built on first use and then kept (it only changes with the code). */
export function openApiDocument(): Json {
  built ??= build();
  return built;
}
