import { loadAccessConfig, type AccessConfig } from '@/lib/access/config';
import { loadZulipConfig } from '@/lib/zulip/config';

// The environment of an app with no access mode and no Zulip configured: every setting the
// access tests switch, unset, so each test states only the ones it is about (withEnv).
export const NO_ACCESS_MODE = {
  DIRECTORY_ACCESS: undefined,
  DIRECTORY_SESSION_SECRET: undefined,
  DIRECTORY_PROXY_SECRET: undefined,
  DIRECTORY_PROXY_HEADER: undefined,
  DIRECTORY_PUBLIC_URL: undefined,
  DIRECTORY_TRUSTED_PROXY_HOPS: undefined,
  DIRECTORY_CLIENT_IP_HEADER: undefined,
  DIRECTORY_STREAM_MAX_SECONDS: undefined,
  DIRECTORY_STREAM_HEARTBEAT_SECONDS: undefined,
  DIRECTORY_STREAMS_PER_VIEWER: undefined,
  DIRECTORY_STREAMS_MAX: undefined,
  ZULIP_SITE: undefined,
  ZULIP_EMAIL: undefined,
  ZULIP_API_KEY: undefined,
  ZULIPRC: undefined,
  HOME: '/nonexistent-home-for-tests',
};

/** Access as the app reads it from `env` (lib/server/app-settings.ts), beside a Zulip configuration read with no home directory to find a ~/.zuliprc in. */
export function accessConfig(env: Partial<NodeJS.ProcessEnv>): AccessConfig {
  return loadAccessConfig(env, loadZulipConfig(env, '/nonexistent-home-for-tests'));
}
