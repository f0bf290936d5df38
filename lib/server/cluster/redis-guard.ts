import 'server-only';
import type { Logger } from '@/lib/server/log';
import { Reachability } from '@/lib/server/cluster/reachability';
import type { Clock } from '@/lib/clock';

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
export class RedisGuard extends Reachability {
  private retryAt = 0;

  constructor(
    logger: Logger,
    options: {
      /** snake_case, e.g. "rate_budget": the events are named after it. */
      part: string;
      /** What the part does meanwhile, for the log line. */
      meanwhile: string;
      fields?: Record<string, unknown>;
      clock?: Clock;
    },
  ) {
    super(logger, options);
  }

  async run<T>(command: () => Promise<T>): Promise<Guarded<T>> {
    if (!this.reachable && this.clock.now() < this.retryAt) return { ok: false };
    try {
      const value = await command();
      this.ok();
      return { ok: true, value };
    } catch (error) {
      this.retryAt = this.clock.now() + REDIS_RETRY_PAUSE_MS;
      this.failed(error);
      return { ok: false };
    }
  }
}
