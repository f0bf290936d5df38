import 'server-only';
import type { Logger } from '@/lib/server/log';

/**
 * Whether this instance can reach the shared store (Redis), from what its parts last saw. The
 * log says so once when it goes and once when it comes back (with how long it was gone); pages
 * and /api/health mark the data stale meanwhile (docs/architecture.md §10).
 */
export class Reachability {
  private since: number | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly logger: Logger) {}

  get reachable(): boolean {
    return this.since === null;
  }

  /** Epoch ms since when the store cannot be reached, or null. */
  get unreachableSince(): number | null {
    return this.since;
  }

  ok(): void {
    if (this.since === null) return;
    const seconds = Math.round((Date.now() - this.since) / 1000);
    this.since = null;
    this.logger.info({ event: 'redis_recovered', unreachableSeconds: seconds }, `Redis is reachable again (after ${seconds} s); shared data resumes`);
    this.changed();
  }

  failed(error: unknown): void {
    if (this.since !== null) return;
    this.since = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ event: 'redis_unreachable', error: message }, `Redis is unreachable (${message}); serving the last data, marked stale, until it is back`);
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
