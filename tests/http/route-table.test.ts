// The route table (lib/http/routes.ts) against what is on disk under app/ and what proxy.ts and
// the route handlers do with it: one entry per page and route folder, the matcher routing as Next
// does, and bad input refused for every address that reads any, before anything else is asked.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { matchRoute, routeMatcher, ROUTES, type RoutePattern } from '@/lib/http/routes';
import { proxy } from '@/proxy';
import { withEnv } from '../support/directory';
import { discoverRoutes, ROUTES as EXAMPLES } from '../support/routes';

const ORIGIN = 'http://directory.test';
const PATTERNS = Object.keys(ROUTES) as RoutePattern[];
/** A closed mode, where an anonymous request is refused (401, or a redirect to sign in): a 400 shows the input was read first. */
const CLOSED = { DIRECTORY_ACCESS: 'zulip', DIRECTORY_SESSION_SECRET: 'test-secret-test-secret-test-secret-42' };
type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** An address of the route with every `[param]` replaced by a bad value (a NUL: no team id, no person reference). */
const withBadParam = (pattern: string, name: string) => pattern.replace(`[${name}]`, '%00').replace(/\[(\w+)\]/g, '1');
const paramsOf = (pattern: string) => [...pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
const concrete = (pattern: string) => pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, '1');

describe('the route table', () => {
  it('has exactly one entry for each folder under app/ with a page.tsx or route.ts, of the same kind, and no other', () => {
    const onDisk = discoverRoutes();
    const fromTable = PATTERNS.filter((p) => ROUTES[p].kind !== 'file');
    expect(fromTable.sort()).toEqual(onDisk.map((r) => r.template).sort());
    for (const { template, kind } of onDisk) expect(ROUTES[template as RoutePattern].kind === 'page', template).toBe(kind === 'page');
    // The other entries are files Next serves from app/ by name (its metadata files).
    for (const p of PATTERNS.filter((p) => ROUTES[p].kind === 'file')) expect(existsSync(path.join('app', p)), p).toBe(true);
  });

  it('matches each address to its own entry, a static segment before a dynamic one before a catch-all', () => {
    const backwards = routeMatcher([...PATTERNS].reverse());
    for (const p of PATTERNS) {
      expect(matchRoute(concrete(p))?.pattern, p).toBe(p);
      expect(backwards(concrete(p))?.pattern, p).toBe(p);
    }
    expect(matchRoute('/api/people/ana%40example.com')).toEqual({ pattern: '/api/people/[ref]', params: { ref: 'ana%40example.com' } });
    expect(matchRoute('/api/people')?.pattern).toBe('/api/people');
    expect(matchRoute('/api/people/1/presence/more')).toEqual({ pattern: '/api/[...path]', params: { path: ['people', '1', 'presence', 'more'] } });
    expect(matchRoute('/people/7/vcard')).toEqual({ pattern: '/people/[ref]/vcard', params: { ref: '7' } });
    for (const nothing of ['/people', '/people/', '/people/7/', '/sign-in/', '/nowhere', '/api', '/api/']) expect(matchRoute(nothing), nothing).toBeNull();
  });

  it('says public for the sign-in page, its routes, the icon, the API’s description, the probes and /metrics (its own token) only', () => {
    expect(PATTERNS.filter((p) => ROUTES[p].access === 'public').sort()).toEqual(['/api/auth/sign-in', '/api/auth/sign-out', '/api/health/live', '/api/health/ready', '/api/openapi.json', '/icon.svg', '/metrics', '/sign-in']);
  });
});

describe('bad input, refused by the table', () => {
  const pages = PATTERNS.filter((p) => ROUTES[p].kind === 'page');

  it('proxy.ts answers a 400 page for an unknown parameter or a bad path segment on every page', () =>
    withEnv(CLOSED, async () => {
      for (const p of pages) {
        const bad = [`${EXAMPLES[p]!.path(1).split('?')[0]}?not_a_parameter=1`, ...paramsOf(p).map((name) => withBadParam(p, name))];
        for (const address of bad) {
          const res = await proxy(new NextRequest(`${ORIGIN}${address}`));
          expect(res.status, address).toBe(400);
          expect(res.headers.get('content-type'), address).toMatch(/^text\/html/);
          expect(res.headers.get('x-middleware-next'), address).toBeNull();
        }
      }
      // The page's own message, not a generic one.
      expect(await (await proxy(new NextRequest(`${ORIGIN}/org?focus=x`))).text()).toContain('The org chart could not read this link');
      expect(await (await proxy(new NextRequest(`${ORIGIN}/people/1?x=1`))).text()).toContain('A profile address takes no parameters.');
      // Next's own `_rsc` is not one of a page's parameters.
      expect((await proxy(new NextRequest(`${ORIGIN}/org?_rsc=abc`))).status).toBe(303);
    }));

  it('every route handler answers 400 in the API error shape for an unknown parameter or a bad path segment, before asking who you are', () =>
    withEnv(CLOSED, async () => {
      const handlers = PATTERNS.filter((p) => ROUTES[p].kind === 'api' || ROUTES[p].kind === 'export');
      let refused = 0;
      for (const p of handlers) {
        const example = EXAMPLES[p]!;
        const mod = (await import(`@/app${p}/route`)) as Record<string, Handler>;
        const handler = mod[example.method]!;
        const cases: Array<[string, Record<string, string | string[]>, string]> = [];
        // A route that reads no query refuses any; one that reads its own form or answers every address does not look.
        if (ROUTES[p].query(new URLSearchParams('not_a_parameter=1')).ok === false) cases.push([`${example.path(1).split('?')[0]}?not_a_parameter=1`, example.params(1), 'invalid_query']);
        for (const name of paramsOf(p).filter((n) => !p.includes(`[...${n}]`))) cases.push([withBadParam(p, name), { ...example.params(1), [name]: '%00' }, `invalid_${name}`]);
        for (const [address, params, code] of cases) {
          const res = await handler(new NextRequest(`${ORIGIN}${address}`, { method: example.method }), { params: Promise.resolve(params) });
          expect(res.status, address).toBe(400);
          expect(await res.json(), address).toEqual({ error: { code, message: expect.any(String) } });
          refused++;
        }
      }
      expect(refused).toBeGreaterThanOrEqual(12);
    }));
});
