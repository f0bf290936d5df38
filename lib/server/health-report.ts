import 'server-only';
import type { DirectoryRuntime } from '@/lib/server/runtime';
import type { UpstreamState } from '@/lib/server/upstream-health';
import type { Check, healthSchema, Same } from '@/lib/http/api-schemas';
import type { z } from 'zod';

/** `unhealthy`: another deployment's data is in Redis; `stale`: Zulip is fine but the data is not current; else Zulip's state. */
export type HealthStatus = 'unhealthy' | 'stale' | UpstreamState;

/**
 * The body of GET /api/health: is Zulip reachable, are the credentials accepted, how old is the
 * data. `ok` is false whenever the directory is serving stale data, so the route can answer 503.
 * Built only from the runtime's own records; no credential or raw upstream text is in it.
 */
export function healthReport(runtime: DirectoryRuntime) {
  const { health } = runtime;
  const state = health.state;
  const freshness = runtime.freshness();
  // Zulip may be fine while this instance cannot reach the others' shared state (Redis).
  const ok = state === 'ok' && !freshness.stale;
  const cluster = runtime.cluster();
  // Another deployment's data in Redis is a misconfiguration no wait will fix: unhealthy, not stale.
  const status: HealthStatus = cluster.redis === 'foreign_deployment' ? 'unhealthy' : ok ? 'ok' : state === 'ok' ? 'stale' : state;
  const body = {
    status,
    demo: runtime.view.org.demo,
    upstream: {
      site: runtime.connection.config.site,
      zulipVersion: runtime.view.org.zulipVersion || null,
      featureLevel: runtime.view.org.featureLevel || null,
      reachable: state !== 'unreachable' && state !== 'starting',
      credentialsAccepted: state === 'unauthorized' ? false : health.lastSuccessAt !== null ? true : null,
      lastSuccessAt: health.lastSuccessAt,
      lastError: health.lastError,
      rateLimit: runtime.client.rateLimit(),
    },
    data: {
      people: runtime.view.people.list().length,
      stale: freshness.stale,
      /** Why the data is stale, in plain words (null when it is not). */
      problem: freshness.problem,
      presenceUpdatedAt: health.presenceUpdatedAt,
      presenceAgeSeconds: health.presenceUpdatedAt === null ? null : Math.round((runtime.clock.now() - health.presenceUpdatedAt) / 1000),
      presenceDisabled: runtime.view.presenceDisabled,
      /** Distinct records Zulip sent that could not be read (by kind), since start; the log names each. */
      skippedRecords: runtime.skippedCounts(),
      /** Zulip's clock minus this server's, in seconds: every age is measured on Zulip's. */
      zulipClockOffsetSeconds: Math.round(runtime.zulipNow() - runtime.clock.now() / 1000),
    },
    /** This instance's viewers (live streams); each instance counts its own. */
    viewers: runtime.view.fanOut.size,
    /** One instance, or several through Redis (docs/architecture.md §10): which this is, who talks to Zulip. */
    cluster,
  };
  return { ok, body };
}

// Compile-time: the body is the one the API documents (lib/http/api-schemas.ts), part by part.
type Documented = z.infer<typeof healthSchema>;
type Body = ReturnType<typeof healthReport>['body'];
export type HealthSchemaChecks = [
  Check<Same<Documented, Body>>,
  Check<Same<Documented['upstream'], Body['upstream']>>,
  Check<Same<Documented['data'], Body['data']>>,
  Check<Same<Documented['cluster'], Body['cluster']>>,
  Check<Same<Documented['status'], Body['status']>>,
];
