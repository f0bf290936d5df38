import type { LoadedZulipConfig } from '@/lib/zulip/config';

/**
 * The origin of the Zulip server the app talks to, for the Content-Security-Policy's img-src
 * (avatars are served by Zulip). In demo mode that is the embedded demo server on 127.0.0.1, on
 * DEMO_ZULIP_PORT (none when it is 0: any free port, which the policy cannot know in advance).
 */
export function zulipOrigin(zulip: LoadedZulipConfig, demoPort: number): string | null {
  if (zulip.mode === 'zulip') return new URL(zulip.config.site).origin;
  return demoPort > 0 ? `http://127.0.0.1:${demoPort}` : null;
}
