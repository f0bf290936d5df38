// Before the directory has its first data (Zulip has not answered its register yet, or a follower
// is catching up), it cannot say who is in it. Every route that shows staff data answers 503
// "directory_unavailable" with Retry-After, in the open mode as in the closed ones
// (lib/server/viewer.ts): never an empty list, a profile "not found" or an empty export that looks
// like an organization with no one in it.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDirectory, type TestDirectory } from '../support/directory';
import { discoverRoutes, ROUTES } from '../support/routes';

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let dir: TestDirectory;

beforeAll(async () => {
  // Nothing listens on port 9 (discard): the first register fails at once, and the app carries on without data.
  dir = await startTestDirectory({ zulipSite: 'http://127.0.0.1:9', timeoutMs: 500 });
}, 30_000);
afterAll(() => dir?.close());

describe('before the first data, in the open mode', () => {
  it('has not loaded: its first register failed', () => {
    expect(dir.runtime.loaded).toBe(false);
    expect(dir.app.settings.access.config.mode).toBe('open');
  });

  const handlers = discoverRoutes().filter((r) => r.kind === 'route' && !ROUTES[r.template]!.public && r.template !== '/api/health');

  async function call(template: string): Promise<Response> {
    const route = ROUTES[template]!;
    const handler = ((await import(`@/app${template}/route`)) as Record<string, Handler>)[route.method]!;
    return handler(new NextRequest(`http://directory.test${route.path(1)}`, { method: route.method }), { params: Promise.resolve(route.params(1)) });
  }

  it.each(handlers.map((r) => r.template))('%s answers 503 directory_unavailable', async (template) => {
    const response = await call(template);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ error: { code: 'directory_unavailable' } });
  });

  it('/api/health answers its report, which says why', async () => {
    const response = await call('/api/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unreachable', data: { people: 0, stale: true } });
  });
});
