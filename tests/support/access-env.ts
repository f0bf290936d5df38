import { loadAccessConfig, type AccessConfig } from '@/lib/access/config';
import { loadZulipConfig } from '@/lib/zulip/config';
import { TEST_HOME } from './directory';

/** Access as the app reads it from `env` (lib/server/app-settings.ts), beside a Zulip configuration read with no home directory to find a ~/.zuliprc in. */
export function accessConfig(env: Partial<NodeJS.ProcessEnv>): AccessConfig {
  return loadAccessConfig(env, loadZulipConfig(env, TEST_HOME));
}
