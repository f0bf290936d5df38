import 'server-only';
import type { Logger } from '@/lib/server/log';
import { systemClock, type Clock } from '@/lib/clock';

/**
 * Whether a part of this instance can reach the shared store (Redis), from what it last saw. The
 * log says so once when it goes and once when it comes back (with how long it was gone):
 * `redis_unreachable` / `redis_recovered` for the directory's shared state (pages and
 * /api/health then mark the data stale), `<part>_redis_…` for a part that does without Redis
 * meanwhile (redis-guard.ts). docs/architecture.md §10.
 */
export class Reachability {
  private since: number | null = null;
  private listeners = new Set<() => void>();
  private readonly event: string;
  private readonly meanwhile: string;
  private readonly fields: Record<string, unknown>;
  protected readonly clock: Clock;

  constructor(
    protected readonly logger: Logger,
    options: { part?: string; meanwhile?: string; fields?: Record<string, unknown>; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.event = options.part ? `${options.part}_redis` : 'redis';
    this.meanwhile = options.meanwhile ?? 'serving the last data, marked stale,';
    this.fields = options.fields ?? {};
  }

  get reachable(): boolean {
    return this.since === null;
  }

  ok(): void {
    if (this.since === null) return;
    const seconds = Math.round((this.clock.now() - this.since) / 1000);
    this.since = null;
    this.logger.info({ event: `${this.event}_recovered`, ...this.fields, unreachableSeconds: seconds }, `Redis is reachable again (after ${seconds} s): ${this.event.replace(/_/g, ' ')} shared again`);
    this.changed();
  }

  failed(error: unknown): void {
    if (this.since !== null) return;
    this.since = this.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ event: `${this.event}_unreachable`, ...this.fields, error: message }, `Redis is unreachable (${message}); ${this.meanwhile} until it is back`);
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
