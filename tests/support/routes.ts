// Every page and route of the app, as lib/http/routes.ts lists them, and how to ask each for
// staff data. Shared by tests/access/routes.test.ts (in-process) and e2e/access.spec.ts (over
// HTTP), which check that each one refuses anonymous viewers in the closed access modes; whether
// one is public comes from the table, and tests/http/route-table.test.ts keeps the table equal to
// what is on disk under app/.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { matchRoute, ROUTES as TABLE, type RoutePattern } from '../../lib/http/routes';

export interface RouteEntry {
  method: 'GET' | 'POST';
  /** A concrete address for a member with this id. */
  path: (member: number) => string;
  /** Route params for calling the handler directly, as the table's matcher reads them from `path`. */
  params: (member: number) => Record<string, string | string[]>;
  /** Reachable without signing in (the sign-in page and its routes only). */
  public: boolean;
}

type Example = { method?: 'POST'; path: (member: number) => string };

/** A concrete address for each page and route (files such as the icon are not asked for). */
const EXAMPLES: Record<Exclude<RoutePattern, '/icon.svg'>, Example> = {
  '/': { path: () => '/' },
  '/people/[ref]': { path: (m) => `/people/${m}` },
  // A team: the demo organization's first (lib/demo-zulip/org/teams.ts: "engineering").
  '/groups/[id]': { path: () => '/groups/9' },
  '/sign-in': { path: () => '/sign-in' },
  '/api/health': { path: () => '/api/health' },
  '/api/people': { path: () => '/api/people' },
  '/api/people/index': { path: () => '/api/people/index' },
  '/api/people/[ref]': { path: (m) => `/api/people/${m}` },
  '/api/people/[ref]/presence': { path: (m) => `/api/people/${m}/presence` },
  '/api/people/[ref]/avatar': { path: (m) => `/api/people/${m}/avatar?v=1` },
  '/api/people/avatars': { path: (m) => `/api/people/avatars?ids=${m}` },
  '/api/presence': { path: () => '/api/presence' },
  '/org': { path: (m) => `/org?focus=${m}` },
  '/shortcuts': { path: () => '/shortcuts' },
  '/api/org': { path: (m) => `/api/org?focus=${m}` },
  '/api/presence/stream': { path: () => '/api/presence/stream' },
  '/people/[ref]/vcard': { path: (m) => `/people/${m}/vcard` },
  '/export/people.csv': { path: () => '/export/people.csv?sort=name' },
  '/export/people.vcf': { path: () => '/export/people.vcf?sort=name' },
  '/api/[...path]': { path: () => '/api/anything/else' },
  '/api/auth/sign-in': { method: 'POST', path: () => '/api/auth/sign-in' },
  '/api/auth/sign-out': { method: 'POST', path: () => '/api/auth/sign-out' },
  '/api/health/live': { path: () => '/api/health/live' },
  '/api/health/ready': { path: () => '/api/health/ready' },
  '/metrics': { path: () => '/metrics' },
  '/api/openapi.json': { path: () => '/api/openapi.json' },
};

export const ROUTES: Record<string, RouteEntry> = Object.fromEntries(
  Object.entries(EXAMPLES).map(([pattern, example]) => [
    pattern,
    {
      method: example.method ?? 'GET',
      path: example.path,
      params: (member: number) => (matchRoute(new URL(example.path(member), 'http://directory.test').pathname)?.params ?? {}) as Record<string, string | string[]>,
      public: TABLE[pattern as RoutePattern].access === 'public',
    },
  ]),
);

export interface DiscoveredRoute {
  file: string;
  /** "/people/[ref]", "/api/health" */
  template: string;
  kind: 'page' | 'route';
}

export function discoverRoutes(appDir = path.resolve(process.cwd(), 'app')): DiscoveredRoute[] {
  const out: DiscoveredRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'page.tsx' || entry.name === 'route.ts') {
        const segments = path.relative(appDir, path.dirname(full)).split(path.sep).filter(Boolean);
        out.push({ file: path.relative(appDir, full), template: `/${segments.join('/')}`, kind: entry.name === 'page.tsx' ? 'page' : 'route' });
      }
    }
  };
  walk(appDir);
  return out;
}
