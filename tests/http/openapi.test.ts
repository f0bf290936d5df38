// The API's OpenAPI document (lib/http/openapi.ts, served at /api/openapi.json) against the real
// route handlers: every /api route and export is called on a demo organization, with good input
// and bad, and each answer is validated by a JSON Schema validator (ajv, draft 2020-12) against
// what the document says for that path, method and status; and the document lists exactly the
// API and export entries of the route table, with each one's parameters.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath } from '@/lib/http/openapi';
import { matchRoute, ROUTES, type RoutePattern } from '@/lib/http/routes';
import { avatarVersion } from '@/lib/directory/domain/avatar-link';
import { connectedPeople, signInMembers, startTestDirectory, withEnv, type SignInMember, type TestDirectory } from '../support/directory';

const ORIGIN = 'http://directory.test';
const ZULIP_MODE = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 'openapi-test-secret-openapi-test-secret' };
type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Json = Record<string, unknown>;

const doc = openApiDocument() as {
  paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, { schema: { type: string } }> }> }>>;
};
const PATTERNS = Object.keys(ROUTES) as RoutePattern[];
const DOCUMENTED = PATTERNS.filter((p) => (ROUTES[p].kind === 'api' || ROUTES[p].kind === 'export') && p !== '/api/[...path]');

// The document's root keys are OpenAPI's, not JSON Schema keywords: known to ajv, so strict mode
// still refuses any unknown keyword inside the schemas themselves.
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary(Object.keys(doc));
ajv.addSchema(doc, 'openapi.json');
const validators = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

let dir: TestDirectory;
let members: SignInMember[];
/** "GET /api/people 200": every documented answer a test has seen and validated. */
const seen = new Set<string>();

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 30, seed: 7 } });
  members = await signInMembers(dir);
}, 30_000);
afterAll(() => dir?.close());

/** Calls the route handler that answers `address`, as Next would. */
async function call(address: string, init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}): Promise<{ pattern: RoutePattern; res: Response }> {
  const url = new URL(address, ORIGIN);
  const route = matchRoute(url.pathname);
  if (!route) throw new Error(`no route answers ${address}`);
  const method = init.method ?? 'GET';
  const mod = (await import(`@/app${route.pattern}/route`)) as Record<string, Handler>;
  const res = await mod[method]!(new NextRequest(url, { method, headers: init.headers, body: init.body, signal: init.signal }), { params: Promise.resolve(route.params as Record<string, string | string[]>) });
  return { pattern: route.pattern, res };
}

/** The document's answer for this path, method and status (exact, then its range: `5XX`). */
function documented(pattern: RoutePattern, method: string, status: number) {
  const responses = doc.paths[openApiPath(pattern)]?.[method.toLowerCase()]?.responses;
  expect(responses, `${method} ${pattern} is in the document`).toBeDefined();
  const key = String(status) in responses! ? String(status) : `${String(status)[0]}XX`;
  expect(Object.keys(responses!), `${method} ${pattern} documents ${status}`).toContain(key);
  return { key, answer: responses![key]! };
}

/** Checks an answer against the document; returns its body (JSON parsed, or text). */
async function check(address: string, status: number, init: Parameters<typeof call>[1] = {}): Promise<unknown> {
  const { pattern, res } = await call(address, init);
  const method = init.method ?? 'GET';
  expect(res.status, `${method} ${address}`).toBe(status);
  const { key, answer } = documented(pattern, method, status);
  seen.add(`${method} ${pattern} ${key}`);
  // Every header the document promises is on the answer, and of its type.
  for (const [name, { schema }] of Object.entries(answer.headers ?? {})) {
    const value = res.headers.get(name);
    expect(value, `${method} ${address} ${status} carries ${name}`).not.toBeNull();
    if (schema.type === 'integer') expect(value, `${method} ${address} ${status}: ${name} is an integer`).toMatch(/^\d+$/);
  }
  const media = Object.keys(answer.content ?? {});
  if (media.length === 0) return null;
  const type = res.headers.get('content-type') ?? '';
  const match = media.find((m) => type.startsWith(m));
  expect(match, `${method} ${address}: ${type} is one of ${media.join(', ')}`).toBeDefined();
  if (match !== 'application/json') return res.text();
  const body = (await res.json()) as unknown;
  const where = pointer('paths', openApiPath(pattern), method.toLowerCase(), 'responses', key, 'content', match, 'schema');
  let validate = validators.get(where);
  if (!validate) validators.set(where, (validate = ajv.compile({ $ref: `openapi.json#/${where}` })));
  expect(validate(body) ? [] : validate.errors, `${method} ${address} ${status} fits the document`).toEqual([]);
  return body;
}

describe('the OpenAPI document', () => {
  it('describes every API and export entry of the route table, with its parameters, and nothing else', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(DOCUMENTED.map(openApiPath).sort());
    for (const pattern of DOCUMENTED) {
      const [operation] = Object.values(doc.paths[openApiPath(pattern)]!);
      const { params, query } = ROUTES[pattern].schemas;
      const names = operation!.parameters.map((p) => `${p.in}:${p.name}`).sort();
      const expected = [...Object.keys(params).map((n) => `path:${n}`), ...Object.keys((query as unknown as { shape?: Json } | null)?.shape ?? {}).map((n) => `query:${n}`)].sort();
      expect(names, pattern).toEqual(expected);
    }
  });

  it('shows the schemas each route reads with: its parser and the schema agree on every parameter the document lists', () => {
    /** A value a client might send for a parameter of this JSON schema. */
    const sample = (schema: Json) => String((schema.enum as string[] | undefined)?.[0] ?? (schema.type === 'integer' ? (schema.minimum ?? 1) : '1'));
    for (const pattern of DOCUMENTED) {
      const [operation] = Object.values(doc.paths[openApiPath(pattern)]!);
      const { schemas, params, query } = ROUTES[pattern];
      for (const { name, in: where, schema } of operation!.parameters as Array<{ name: string; in: string; schema: Json }>) {
        const value = sample(schema);
        if (where === 'path') expect(params({ [name]: value }).ok, `${pattern} ${name}=${value}`).toBe(schemas.params[name]!.safeParse(value).success);
        else expect(query(new URLSearchParams({ [name]: value })).ok, `${pattern}?${name}=${value}`).toBe(schemas.query!.safeParse({ [name]: value }).success);
      }
    }
  });

  it('has only valid JSON Schema (2020-12) in its components', () => {
    const { schemas } = (openApiDocument() as { components: { schemas: Record<string, Json> } }).components;
    for (const [name, schema] of Object.entries(schemas)) expect(ajv.validateSchema(schema) ? null : ajv.errors, name).toBeNull();
  });

  it('is what GET /api/openapi.json answers, without a viewer in a closed mode', () =>
    withEnv(ZULIP_MODE, async () => {
      expect(await check('/api/openapi.json', 200)).toEqual(openApiDocument());
    }));
});

describe('real answers fit the document', () => {
  it('the people, a profile, a presence breakdown', async () => {
    const person = connectedPeople(dir)[0]!;
    const page = (await check('/api/people?sort=name&limit=5', 200)) as { items: Array<{ id: number; apiEmail: string }> };
    expect(page.items).toHaveLength(5);
    await check('/api/people?q=zzqqxx', 200);
    await check(`/api/people?q=${encodeURIComponent(dir.runtime.view.people.get(person)!.name.slice(0, 4))}&status=reachable&sort=reachable`, 200);
    await check('/api/people?limit=0', 400);
    const { res: index } = await call('/api/people/index');
    await check('/api/people/index', 200);
    await check('/api/people/index', 304, { headers: { 'if-none-match': index.headers.get('etag')! } });
    await check('/api/people/index?x=1', 400);
    await check('/api/people?nope=1', 400);
    await check(`/api/people/${person}`, 200);
    await check(`/api/people/${encodeURIComponent(page.items[0]!.apiEmail)}`, 200);
    await check('/api/people/99999999', 404);
    await check('/api/people/%00', 400);
    const detail = (await check(`/api/people/${person}/presence`, 200)) as { available: boolean };
    expect(detail.available).toBe(true);
    await check('/api/people/99999999/presence', 404);
  });

  it('a picture: a redirect to the avatar URL the directory holds, kept only while its version is current', async () => {
    const someone = dir.runtime.view.people.list().find((p) => p.avatarUrl !== null)!;
    const version = avatarVersion(someone.avatarUrl!);
    const current = await call(`/api/people/${someone.id}/avatar?v=${version}`);
    await check(`/api/people/${someone.id}/avatar?v=${version}`, 302);
    expect(current.res.headers.get('location')).toBe(someone.avatarUrl);
    expect(current.res.headers.get('cache-control')).toBe('private, max-age=86400');
    // An old address (or none) still finds today's picture, and is asked again each time.
    const old = await call(`/api/people/${someone.id}/avatar?v=${version + 1}`);
    expect([old.res.status, old.res.headers.get('location'), old.res.headers.get('cache-control')]).toEqual([302, someone.avatarUrl, 'private, no-cache']);
    await check('/api/people/99999999/avatar', 404);
    await check(`/api/people/${someone.id}/avatar?v=-1`, 400);
    await check(`/api/people/${someone.id}/avatar?size=big`, 400);
    await check(`/api/people/${someone.id}/avatar?v=${version}&v=${version + 1}`, 400);
  });

  it('pictures at once: the URLs the directory holds, by id, leaving out no one the viewer may not see or without a picture', async () => {
    const people = dir.runtime.view.people.list();
    const withPicture = people.filter((p) => p.avatarUrl !== null).slice(0, 3);
    const without = people.find((p) => p.avatarUrl === null);
    const ids = [...withPicture.map((p) => p.id), ...(without ? [without.id] : []), 99999999];
    const body = (await check(`/api/people/avatars?ids=${ids.join(',')}`, 200)) as { avatars: Record<string, string> };
    expect(body.avatars).toEqual(Object.fromEntries(withPicture.map((p) => [String(p.id), p.avatarUrl])));
    await check('/api/people/avatars?ids=', 400);
    await check('/api/people/avatars?ids=1,,2', 400);
    await check('/api/people/avatars?ids=1,-2', 400);
    await check(`/api/people/avatars?ids=${ids[0]},${ids[0]}`, 400);
    await check(`/api/people/avatars?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`, 400);
    await check(`/api/people/avatars?ids=1&ids=2`, 400);
    await check(`/api/people/avatars?ids=1&size=big`, 400);
    await check('/api/people/avatars', 400);
  });

  it('the org chart, presence, health', async () => {
    const someone = dir.runtime.view.people.list().find((p) => p.managerIds.length > 0)!;
    const top = (await check('/api/org', 200)) as { items: Array<{ id: number; reports: number }> };
    await check(`/api/org?parent=${top.items.find((n) => n.reports > 0)!.id}`, 200);
    await check(`/api/org?focus=${someone.id}`, 200);
    await check('/api/org?focus=99999999', 404);
    await check('/api/org?parent=1&focus=2', 400);
    const everyone = (await check('/api/presence', 200)) as { version: number };
    await check(`/api/presence?since=${everyone.version}`, 200);
    await check('/api/presence?since=x', 400);
    await check('/api/health', 200);
    await check('/api/health?verbose=1', 400);
  });

  it('the probes and /metrics (README, "Running it in production")', async () => {
    await check('/api/health/live', 200);
    await check('/api/health/ready', 200);
    await check('/api/health/ready?verbose=1', 400);
    await check('/metrics', 404);
    const token = 'openapi-metrics-token-0123456789';
    await withEnv({ DIRECTORY_METRICS_TOKEN: token }, async () => {
      await check('/metrics', 401);
      await check('/metrics', 200, { headers: { authorization: `Bearer ${token}` } });
    });
    await withEnv({ DIRECTORY_METRICS_TOKEN: 'short' }, () => check('/metrics', 503));
  });

  it('the presence stream: an event stream whose events are presence diffs', async () => {
    const stop = new AbortController();
    const text = (await call('/api/presence/stream', { signal: stop.signal })).res;
    expect(text.status).toBe(200);
    expect(documented('/api/presence/stream', 'GET', 200).answer.content).toHaveProperty(['text/event-stream']);
    expect(text.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = text.body!.getReader();
    let received = '';
    while (!/^data: .*\n\n/m.test(received)) received += new TextDecoder().decode((await reader.read()).value);
    stop.abort();
    await reader.cancel().catch(() => {});
    const diff = ajv.compile({ $ref: 'openapi.json#/components/schemas/PresenceDiff' });
    expect(diff(JSON.parse(/^data: (.*)$/m.exec(received)![1]!)) ? [] : diff.errors).toEqual([]);
    seen.add('GET /api/presence/stream 200');
    await check('/api/presence/stream?since=x', 400);
  });

  it('the exports and the vCard', async () => {
    const person = dir.runtime.view.people.list()[0]!;
    expect(await check('/export/people.csv?sort=name', 200)).toContain(person.name.split(' ')[0]);
    await check('/export/people.vcf?status=any', 200);
    await check('/export/people.csv?sort=sideways', 400);
    await check(`/people/${person.id}/vcard`, 200);
    await check('/people/99999999/vcard', 404);
  });

  it('signing in and out, and the refusals of a closed mode', async () => {
    const member = members[0]!;
    const json = { 'content-type': 'application/json', accept: 'application/json' };
    // Open mode: there is no sign-in.
    await check('/api/auth/sign-in', 404, { method: 'POST', headers: json, body: JSON.stringify({ email: member.email, secret: member.password }) });
    await withEnv(ZULIP_MODE, async () => {
      await check('/api/people', 401);
      await check('/api/people/%00', 400);
      await check('/api/auth/sign-in', 400, { method: 'POST', headers: json, body: JSON.stringify({ email: 'not an email', secret: 'x' }) });
      await check('/api/auth/sign-in', 401, { method: 'POST', headers: json, body: JSON.stringify({ email: member.email, secret: `${member.password}-wrong` }) });
      await check('/api/auth/sign-in', 403, { method: 'POST', headers: { ...json, origin: 'https://elsewhere.example' }, body: JSON.stringify({ email: member.email, secret: member.password }) });
      await check('/api/auth/sign-in', 303, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: member.email, secret: member.password }).toString() });
      await check('/api/auth/sign-in', 200, { method: 'POST', headers: json, body: JSON.stringify({ email: member.email, secret: member.password }) });
      await check('/api/auth/sign-out', 200, { method: 'POST', headers: json });
      await check('/api/auth/sign-out', 303, { method: 'POST' });
    });
  });

  it('saw a success of every documented route', () => {
    for (const pattern of DOCUMENTED) {
      const [method] = Object.keys(doc.paths[openApiPath(pattern)]!);
      // A picture's success is its redirect.
      expect(seen, pattern).toContain(`${method!.toUpperCase()} ${pattern} ${pattern === '/api/people/[ref]/avatar' ? 302 : 200}`);
    }
  });
});
