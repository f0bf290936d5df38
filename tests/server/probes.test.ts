// The Kubernetes probes (README, "Running it in production"): live while the process answers,
// ready once the data is in and until the instance is told to stop.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as live } from '@/app/api/health/live/route';
import { GET as ready } from '@/app/api/health/ready/route';
import { GET as health } from '@/app/api/health/route';
import { GET as people } from '@/app/api/people/route';
import { createApp } from '@/lib/server/app';
import { readiness } from '@/lib/server/readiness';
import { createLogger } from '@/lib/server/log';
import { install, startTestDirectory, testSettings, withEnv, type TestDirectory } from '@/tests/support/directory';

let dir: TestDirectory;
beforeAll(async () => {
  dir = await startTestDirectory();
}, 30_000);
afterAll(() => dir?.close());

const ask = (probe: (request: Request) => Response | Promise<Response>, query = '') => probe(new Request(`http://directory.test/api/health/probe${query}`));

describe('the probes', () => {
  it('live and ready once the data is loaded', async () => {
    expect((await ask(live)).status).toBe(200);
    const answer = await ask(ready);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ready', reason: null });
  });

  it('take no parameters', async () => {
    expect((await ask(ready, '?verbose=1')).status).toBe(400);
    expect((await ask(live, '?verbose=1')).status).toBe(400);
  });

  it('not ready before the data is in: a Zulip that does not answer', async () => {
    const app = createApp(testSettings({ ZULIP_SITE: 'http://127.0.0.1:9', ZULIP_EMAIL: 'bot@example.com', ZULIP_API_KEY: 'k'.repeat(32) }));
    try {
      expect(await readiness(app)).toEqual({ ready: false, reason: 'loading from Zulip' });
    } finally {
      await app.close();
    }
  });

  it('not ready once told to stop, yet still live', async () => {
    await withEnv({}, async (app) => {
      app.draining.begin();
      const answer = await ask(ready);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ status: 'not_ready', reason: 'shutting down' });
      const alive = await ask(live);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toEqual({ status: 'live', draining: true });
    });
  });
});

describe('settings that keep every viewer out, or the app from starting', () => {
  const ZULIP = { ZULIP_SITE: 'http://127.0.0.1:9', ZULIP_EMAIL: 'bot@example.com', ZULIP_API_KEY: 'k'.repeat(32) };

  it('not ready while access is misconfigured (every viewer would be refused): a rolling deploy keeps the instances that work', async () => {
    const app = createApp(testSettings({ ...ZULIP, DIRECTORY_ACCESS: 'zulip' }));
    try {
      const { ready, reason } = await readiness(app);
      expect(ready).toBe(false);
      expect(reason).toMatch(/^access is misconfigured: .*DIRECTORY_SESSION_SECRET/);
    } finally {
      await app.close();
    }
  });

  it('not ready, naming why, when the app cannot start; and the log says so once', async () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line: string) => void lines.push(line) }, 'info');
    const app = createApp(testSettings({ REDIS_URL: 'redis://127.0.0.1:9' }), { logger });
    try {
      for (let i = 0; i < 2; i++) expect(await readiness(app)).toEqual({ ready: false, reason: expect.stringMatching(/^cannot start: REDIS_URL is set, but no Zulip is configured/) });
      expect(lines.filter((line) => JSON.parse(line).event === 'directory_cannot_start')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('every API answer that needs the directory says it cannot start, and why, the health report too (not a 500)', async () => {
    const app = createApp(testSettings({ REDIS_URL: 'redis://127.0.0.1:9' }), { logger: createLogger(undefined, 'silent') });
    const restore = install(app);
    try {
      for (const route of [health, people]) {
        const answer = await route(new Request('http://directory.test/api/x'));
        expect(answer.status).toBe(503);
        expect(await answer.json()).toEqual({ error: { code: 'directory_cannot_start', message: expect.stringMatching(/^The directory cannot start: REDIS_URL is set, but no Zulip is configured/) } });
      }
    } finally {
      restore();
      await app.close();
    }
  });

  it('the demo server\'s port taken by another program: it cannot start, naming DEMO_ZULIP_PORT (not a 500)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const app = createApp(testSettings({ DEMO_ZULIP_PORT: String(port) }), { logger: createLogger(undefined, 'silent') });
    const restore = install(app);
    try {
      const answer = await people(new Request('http://directory.test/api/people'));
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ error: { code: 'directory_cannot_start', message: expect.stringContaining(`DEMO_ZULIP_PORT=${port} (another program uses it)`) } });
    } finally {
      restore();
      await app.close();
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('a bug in the start is not taken for a setting: a 500, logged with its stack, not "cannot start"', async () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line: string) => void lines.push(line) }, 'info');
    const app = createApp(testSettings({}), {
      logger,
      connection: async () => {
        throw new TypeError('a bug');
      },
    });
    const restore = install(app);
    try {
      const answer = await people(new Request('http://directory.test/api/people'));
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ error: { code: 'internal', message: expect.any(String) } });
      const events = lines.map((line) => JSON.parse(line) as { event?: string; err?: { stack?: string } });
      expect(events.some((e) => e.event === 'directory_cannot_start')).toBe(false);
      expect(events.find((e) => e.event === 'route_error')?.err?.stack).toContain('a bug');
    } finally {
      restore();
      await app.close();
    }
  });

  it('a LOG_LEVEL pino does not know stops the app with a message naming it; any case of a known one is taken', () => {
    expect(() => testSettings({ LOG_LEVEL: 'warning' })).toThrow('Invalid setting LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(testSettings({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(testSettings({ LOG_LEVEL: undefined }).logLevel).toBe('info');
  });
});
