import type { AccessConfig } from '@/lib/access/config';
import { testSettings } from './directory';

/** Access as the app reads it from `env`: the settings a test app would have (testSettings). */
export function accessConfig(env: Record<string, string | undefined>): AccessConfig {
  return testSettings(env).access.config;
}
