import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ZulipConfig } from '@/lib/zulip/config';
import { createZulipClient, type ZulipClientOptions } from '@/lib/zulip/client';
import { RateBudget } from '@/lib/zulip/rate-budget';

// Test support for lib/zulip: a tiny node:http server on port 0 that records each request
// exactly as it arrived (raw path, headers, body) and answers through a swappable handler,
// plus fixture loading. Fixtures are Zulip's own wire examples (see tests/fixtures/zulip/SOURCE.md).

export const API_KEY = 'S3cr3tK3yS3cr3tK3yS3cr3tK3y12345';
export const EMAIL = 'directory-bot@zulip.example.com';
export const BASIC = Buffer.from(`${EMAIL}:${API_KEY}`).toString('base64');

export type Recorded = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
export type Handler = (req: Recorded, res: http.ServerResponse, raw: http.IncomingMessage) => void;

export type TestServer = {
  site: string;
  requests: Recorded[];
  handle(handler: Handler): void;
  close(): Promise<void>;
};

export async function startServer(handler: Handler = (_, res) => json(res, 404, { result: 'error', msg: 'not found' })): Promise<TestServer> {
  let current = handler;
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(rec);
      current(rec, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    site: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function fixture<T extends object = Record<string, unknown>>(name: string): T {
  const file = fileURLToPath(new URL(`../fixtures/zulip/${name}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function configFor(site: string): ZulipConfig {
  return { site, email: EMAIL, apiKey: API_KEY };
}

/** A client with its own budget, so tests do not share rate-limit state. */
export function clientFor(server: TestServer, options: ZulipClientOptions = {}) {
  return createZulipClient(configFor(server.site), { budget: new RateBudget(), ...options });
}

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Every way an error can be shown or logged; none may contain the key or the basic-auth blob. */
export function renderings(error: unknown): string[] {
  const e = error as Error & { cause?: unknown };
  return [String(e), e.message, JSON.stringify(e), String(e.stack), String(e.cause), JSON.stringify(e.cause ?? null)];
}

export function assertNoSecret(error: unknown): void {
  for (const text of renderings(error)) {
    if (text.includes(API_KEY) || text.includes(BASIC)) throw new Error(`secret leaked in: ${text}`);
  }
}
