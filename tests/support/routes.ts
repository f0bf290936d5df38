// Every page and route of the app, found on disk, and how to ask each for staff data. Shared by
// tests/access/routes.test.ts (in-process) and e2e/access.spec.ts (over HTTP), which check that
// each one refuses anonymous viewers in the closed access modes. A page or route added to app/
// without an entry here makes both fail until it is listed (and decided: public or not).
import { readdirSync } from 'node:fs';
import path from 'node:path';

export interface RouteEntry {
  method: 'GET' | 'POST';
  /** A concrete address for a member with this id. */
  path: (member: number) => string;
  /** Route params for calling the handler directly. */
  params?: (member: number) => Record<string, string | string[]>;
  /** Reachable without signing in (the sign-in page and its routes, the probes, /metrics). */
  public?: true;
}

export const ROUTES: Record<string, RouteEntry> = {
  '/': { method: 'GET', path: () => '/' },
  '/people/[ref]': { method: 'GET', path: (m) => `/people/${m}` },
  // A team: the demo organization's first (lib/demo-zulip/org/teams.ts: "engineering").
  '/groups/[id]': { method: 'GET', path: () => '/groups/9' },
  '/sign-in': { method: 'GET', path: () => '/sign-in', public: true },
  '/api/health': { method: 'GET', path: () => '/api/health' },
  '/api/people': { method: 'GET', path: () => '/api/people' },
  '/api/people/[ref]': { method: 'GET', path: (m) => `/api/people/${m}`, params: (m) => ({ ref: String(m) }) },
  '/api/people/[ref]/presence': { method: 'GET', path: (m) => `/api/people/${m}/presence`, params: (m) => ({ ref: String(m) }) },
  '/api/presence': { method: 'GET', path: () => '/api/presence' },
  '/org': { method: 'GET', path: (m) => `/org?focus=${m}` },
  '/api/org': { method: 'GET', path: (m) => `/api/org?focus=${m}` },
  '/api/presence/stream': { method: 'GET', path: () => '/api/presence/stream' },
  '/people/[ref]/vcard': { method: 'GET', path: (m) => `/people/${m}/vcard`, params: (m) => ({ ref: String(m) }) },
  '/export/people.csv': { method: 'GET', path: () => '/export/people.csv?sort=name' },
  '/export/people.vcf': { method: 'GET', path: () => '/export/people.vcf?sort=name' },
  '/api/[...path]': { method: 'GET', path: () => '/api/anything/else', params: () => ({ path: ['anything', 'else'] }) },
  '/api/auth/sign-in': { method: 'POST', path: () => '/api/auth/sign-in', public: true },
  '/api/auth/sign-out': { method: 'POST', path: () => '/api/auth/sign-out', public: true },
  // The probes say only live or ready; /metrics has its own token (tests/server/metrics.test.ts).
  '/api/health/live': { method: 'GET', path: () => '/api/health/live', public: true },
  '/api/health/ready': { method: 'GET', path: () => '/api/health/ready', public: true },
  '/metrics': { method: 'GET', path: () => '/metrics', public: true },
};

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
