// Timed HTTP requests, and a small concurrency limiter for load generation.

import { seededRandom as seeded } from '../../lib/demo-zulip/org/random';

export { seeded };

export interface Timed {
  status: number;
  /** Until the response headers arrived. */
  ttfbMs: number;
  /** Until the whole body was read. */
  totalMs: number;
  bytes: number;
  body: string;
}

export async function timedGet(url: string, init: RequestInit = {}): Promise<Timed> {
  let started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    // A kept-alive connection the server closed while this process was busy: once more, afresh.
    started = performance.now();
    response = await fetch(url, init);
  }
  const ttfbMs = performance.now() - started;
  const body = await response.text();
  return { status: response.status, ttfbMs, totalMs: performance.now() - started, bytes: Buffer.byteLength(body), body };
}

/** Runs at most `limit` of the submitted tasks at a time. */
export class Limiter {
  private active = 0;
  private queue: Array<() => void> = [];

  constructor(private limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export function basicAuth(email: string, key: string): string {
  return `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;
}

