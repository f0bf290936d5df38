import 'server-only';
import { logLevelFrom } from '@/lib/server/log';
import { z } from 'zod';
import { loadZulipConfig, type LoadedZulipConfig } from '@/lib/zulip/config';
import { loadSettings, type DirectorySettings } from '@/lib/server/settings';
import { loadDemoSettings, type DemoSettings } from '@/lib/server/connection';
import { loadAccessSettings, type AccessSettings } from '@/lib/access/config';
import { loadStreamSettings, type StreamSettings } from '@/lib/access/stream-limits';
import { loadExportSettings, type ExportSettings } from '@/lib/access/export-limits';
import { redisSettings, type RedisSettings } from '@/lib/server/cluster/redis';
import { instanceIdFrom } from '@/lib/server/cluster/coordination';
import { loadMetricsSettings, type MetricsSettings } from '@/lib/server/metrics/metrics-access';

// Every setting the directory reads, in one schema, read once (docs/architecture.md §16). The
// README's settings tables name exactly these (tests/server/app.test.ts checks it). Each
// part's rules (ranges, formats, which combinations) live beside the part that uses them; this
// file only says which variables exist and puts the parts' readings together.

const setting = z.string().optional();

/** The environment variables the directory reads; nothing else in the environment is looked at. */
export const settingsSchema = z.object({
  // Zulip (lib/zulip/config.ts); HOME only to find ~/.zuliprc
  ZULIP_SITE: setting,
  ZULIP_EMAIL: setting,
  ZULIP_API_KEY: setting,
  ZULIPRC: setting,
  // The directory's tunables (settings.ts)
  PRESENCE_REFRESH_SECONDS: setting,
  PRESENCE_DETAIL_CACHE_SECONDS: setting,
  DIRECTORY_NAME: setting,
  ZULIP_TIMEOUT_SECONDS: setting,
  DIRECTORY_ALLOW_GUESTS: setting,
  DIRECTORY_LEASE_SECONDS: setting,
  DIRECTORY_WORKING_HOURS: setting,
  DIRECTORY_HIDDEN_FIELDS: setting,
  // Who may see it (lib/access/config.ts, client-address.ts)
  DIRECTORY_ACCESS: setting,
  DIRECTORY_PROXY_HEADER: setting,
  DIRECTORY_PROXY_SECRET: setting,
  DIRECTORY_SESSION_SECRET: setting,
  DIRECTORY_TRUSTED_PROXY_HOPS: setting,
  DIRECTORY_CLIENT_IP_HEADER: setting,
  DIRECTORY_PUBLIC_URL: setting,
  // Live streams (lib/access/stream-limits.ts)
  DIRECTORY_STREAM_MAX_SECONDS: setting,
  DIRECTORY_STREAM_HEARTBEAT_SECONDS: setting,
  DIRECTORY_STREAMS_PER_VIEWER: setting,
  DIRECTORY_STREAMS_MAX: setting,
  // Exports (lib/access/export-limits.ts)
  DIRECTORY_EXPORTS_PER_VIEWER: setting,
  DIRECTORY_EXPORTS_MAX: setting,
  DIRECTORY_EXPORT_MAX_SECONDS: setting,
  // Several instances (cluster/redis.ts, coordination.ts)
  REDIS_URL: setting,
  REDIS_KEY_PREFIX: setting,
  REDIS_SHARED_SECRET: setting,
  DIRECTORY_INSTANCE_ID: setting,
  // The log (log.ts)
  LOG_LEVEL: setting,
  // Running it in production (metrics/metrics-access.ts)
  DIRECTORY_METRICS_TOKEN: setting,
  // The embedded demo Zulip (connection.ts)
  DEMO_ZULIP_PORT: setting,
  DEMO_ZULIP_SEED: setting,
  DEMO_ZULIP_USERS: setting,
  DEMO_ZULIP_FEATURE_LEVEL: setting,
  DEMO_ZULIP_SIMULATION: setting,
  DEMO_ZULIP_CLOCK_OFFSET_SECONDS: setting,
});

export type SettingName = keyof typeof settingsSchema.shape;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];

/** Everything configurable, as the parts use it. Plain data: tests build their own. */
export interface AppSettings {
  zulip: LoadedZulipConfig;
  directory: DirectorySettings;
  /** Fail-closed: a mode that is set but wrong is `config: { mode: 'invalid' }`, and every request is refused saying why. */
  access: AccessSettings;
  /** The live streams' limits, or why they are refused (pages then poll). */
  streams: { ok: true; settings: StreamSettings } | { ok: false; message: string };
  /** The exports' limits, or why they are refused. */
  exports: { ok: true; settings: ExportSettings } | { ok: false; message: string };
  redis: RedisSettings | null;
  instanceId: string;
  /** Who may read /metrics, or why nobody may. */
  metrics: MetricsSettings;
  demo: DemoSettings;
  logLevel: string;
  /** next dev: the CSP allows what dev mode needs. */
  dev: boolean;
}

/**
 * Reads every setting from `env`, once. Throws one message naming the first setting that stops
 * the app from starting (Zulip's credentials, a tunable out of range, REDIS_URL); problems that
 * only close the directory (access, streams) are kept in the result and said on every refusal.
 */
export function readSettings(env: NodeJS.ProcessEnv, options: { home?: string } = {}): AppSettings {
  const raw = settingsSchema.parse(env);
  const zulip = loadZulipConfig(raw, options.home);
  return {
    zulip,
    directory: loadSettings(raw),
    access: loadAccessSettings(raw, zulip),
    streams: loadStreamSettings(raw),
    exports: loadExportSettings(raw),
    redis: redisSettings(raw, zulip),
    instanceId: instanceIdFrom(raw),
    metrics: loadMetricsSettings(raw),
    demo: loadDemoSettings(raw),
    logLevel: logLevelFrom(raw.LOG_LEVEL),
    dev: env.NODE_ENV === 'development',
  };
}
