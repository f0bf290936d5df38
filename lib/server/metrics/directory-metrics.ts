import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestBudget } from '@/lib/zulip/rate-budget';
import type { CallOutcome } from '@/lib/zulip/http';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import type { StreamLimitCode } from '@/lib/access/stream-limits';

// What an operator watches (README, "Running it in production"; docs/architecture.md §16): one
// registry per app, never prom-client's global one, so two apps of one process (tests) count
// apart. Counters are counted where things happen; everything else is read from the parts when
// Prometheus scrapes. People are counted, never named: no label carries a person, an address or a
// raw path (routes are their patterns from app/, Zulip endpoints their templates).

/** What the gauges read at each scrape. */
export interface MetricsSources {
  budget: RequestBudget;
  /** The runtime once started; null before (its gauges then say NaN). */
  runtime: () => DirectoryRuntime | null;
  /** Live presence streams open on this instance. */
  openStreams: () => number;
  /** Whether this instance is shutting down (docs/architecture.md §16). */
  draining: () => boolean;
}

/** Why a stream was refused: a limit (lib/access/stream-limits.ts), or this instance shutting down. */
export type StreamRefusal = StreamLimitCode | 'draining';

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Buckets from a quick JSON answer to an export of thousands of people. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class DirectoryMetrics {
  readonly registry = new Registry();
  private readonly zulipCalls: Counter<'endpoint' | 'outcome'>;
  private readonly streamsRefused: Counter<'reason'>;
  private readonly httpDuration: Histogram<'route' | 'method' | 'status'>;

  constructor(sources: MetricsSources, options: { redis: boolean }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // prom-client repeats these three gauges under a `_total` name, which promtool refuses for
    // anything but a counter; the same numbers stay under their plain names (nodejs_active_handles…).
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    this.zulipCalls = new Counter({
      name: 'directory_zulip_requests_total',
      help: 'Calls to Zulip that went out, by endpoint template and outcome (ok, or the error kind: network, timeout, http, invalid_response, rate_limited; aborted).',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.streamsRefused = new Counter({
      name: 'directory_streams_refused_total',
      help: 'Live presence streams refused: too_many_streams (one viewer\'s limit), server_busy (the limit in all), draining (this instance is shutting down).',
      labelNames: ['reason'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'directory_http_request_duration_seconds',
      help: 'Time to answer a route handler\'s request (until the body starts, for streams), by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });

    /** A gauge read at each scrape; unknown (not started, nothing heard yet) is NaN, never a made-up 0. */
    const gauge = (name: string, help: string, read: () => number | null) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read() ?? Number.NaN);
        },
      });
    const fromRuntime = (read: (runtime: DirectoryRuntime) => number | null) => () => {
      const runtime = sources.runtime();
      return runtime ? read(runtime) : null;
    };
    const budget = () => sources.budget.snapshot();

    gauge('directory_zulip_budget_remaining', 'Calls the bot may still make in Zulip\'s current rate-limit window, as last heard (NaN before Zulip said).', () => budget().remaining);
    gauge('directory_zulip_budget_limit', 'The bot\'s rate limit per window, as Zulip advertises it (NaN before Zulip said).', () => budget().limit);
    gauge('directory_zulip_budget_blocked', '1 while a 429\'s Retry-After holds every call back.', () => (budget().blockedUntil === null ? 0 : 1));
    gauge('directory_data_loaded', '1 once this instance has its first snapshot (from Zulip, or from the leader).', fromRuntime((r) => (r.loaded ? 1 : 0)));
    gauge('directory_data_stale', '1 while the data is marked stale (Zulip or Redis trouble, a silent leader).', fromRuntime((r) => (r.freshness().stale ? 1 : 0)));
    gauge('directory_presence_age_seconds', 'Seconds since presence was last brought up to date.', fromRuntime((r) => (r.health.presenceUpdatedAt === null ? null : (r.clock.now() - r.health.presenceUpdatedAt) / 1000)));
    gauge('directory_people', 'People the directory lists.', fromRuntime((r) => r.view.people.list().length));
    gauge('directory_leader', '1 while this instance talks to Zulip for every instance (the leader), 0 while it follows.', fromRuntime((r) => (r.coordination.leadership.status().role === 'leader' ? 1 : 0)));
    gauge('directory_streams_open', 'Live presence streams open on this instance.', sources.openStreams);
    gauge('directory_draining', '1 once this instance has been told to stop (SIGTERM/SIGINT) and is finishing.', () => (sources.draining() ? 1 : 0));
    if (options.redis) gauge('directory_redis_reachable', '1 while the shared store (Redis) answers, 0 while it does not.', fromRuntime((r) => (r.coordination.reachability?.reachable === false ? 0 : 1)));
    new Gauge({
      name: 'directory_skipped_records',
      help: 'Distinct records Zulip sent that could not be read, by kind, since the leader started.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, count] of Object.entries(sources.runtime()?.skippedCounts() ?? {})) this.set({ kind }, count ?? 0);
      },
    });
  }

  /** For the Zulip client: how each call that went out ended. */
  readonly zulipCall = (endpoint: string, outcome: CallOutcome): void => {
    this.zulipCalls.inc({ endpoint, outcome });
  };

  streamRefused(reason: StreamRefusal): void {
    this.streamsRefused.inc({ reason });
  }

  /** A route handler's answer: `route` is its pattern from app/ (`/api/people/[ref]`), never the address asked for. */
  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpDuration.observe({ route, method, status: String(status) }, seconds);
  }

  /** The text exposition format (version 0.0.4), as Prometheus scrapes it. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
