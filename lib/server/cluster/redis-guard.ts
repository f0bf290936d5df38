import 'server-only';
import type { Logger } from '@/lib/server/log';

/** After a failed command, a part does without Redis this long before trying it again. */
export const REDIS_RETRY_PAUSE_MS = 1_000;

export type Guarded<T> = { ok: true; value: T } | { ok: false };

/**
 * How a part that can do without Redis uses it (docs/architecture.md §10: Redis is a cache, never
 * the system of record). A command that fails or times out (REDIS_COMMAND_TIMEOUT_MS) is answered
 * { ok: false } and the part carries on in-process; for REDIS_RETRY_PAUSE_MS after that it is not
 * even tried, so a slow Redis costs one timeout a second rather than one per request. The first
 * command that succeeds again brings the part back. The log says so once each way, under the
 * part's own name: `<part>_redis_unreachable` (warn) and `<part>_redis_recovered` (info).
 */
export class RedisGuard {
  private downSince: number | null = null;
  private retryAt = 0;

  constructor(
    private readonly logger: Logger,
    /** snake_case, e.g. "rate_budget": the events are named after it. */
    private readonly part: string,
    /** What the part does meanwhile, for the log line. */
    private readonly meanwhile: string,
    private readonly fields: Record<string, unknown> = {},
  ) {}

  /** False from a failed command until one succeeds again. */
  get reachable(): boolean {
    return this.downSince === null;
  }

  async run<T>(command: () => Promise<T>): Promise<Guarded<T>> {
    if (this.downSince !== null && Date.now() < this.retryAt) return { ok: false };
    try {
      const value = await command();
      this.recovered();
      return { ok: true, value };
    } catch (error) {
      this.failed(error);
      return { ok: false };
    }
  }

  private failed(error: unknown): void {
    this.retryAt = Date.now() + REDIS_RETRY_PAUSE_MS;
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { event: `${this.part}_redis_unreachable`, ...this.fields, error: message },
      `${this.part}: Redis is unreachable (${message}); ${this.meanwhile} until it is back`,
    );
  }

  private recovered(): void {
    if (this.downSince === null) return;
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = null;
    this.logger.info(
      { event: `${this.part}_redis_recovered`, ...this.fields, unreachableSeconds: seconds },
      `${this.part}: Redis is reachable again (after ${seconds} s); shared again`,
    );
  }
}
