import { loadZulipConfig } from '@/lib/zulip/config';

let cached: { key: string; origin: string | null } | undefined;

/**
 * The origin of the Zulip server the app talks to, for the Content-Security-Policy's img-src
 * (avatars are served by Zulip). In demo mode that is the embedded demo server on 127.0.0.1.
 * Null when it cannot be known (a broken configuration: the app refuses to start anyway).
 */
export function zulipOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
  const key = [env.ZULIP_SITE, env.ZULIPRC, env.DEMO_ZULIP_PORT].join('\u0000');
  if (cached?.key === key) return cached.origin;
  let origin: string | null;
  try {
    const loaded = loadZulipConfig(env);
    const port = Number(env.DEMO_ZULIP_PORT ?? 9991);
    origin = loaded.mode === 'zulip' ? new URL(loaded.config.site).origin : port > 0 ? `http://127.0.0.1:${port}` : null;
  } catch {
    origin = null;
  }
  cached = { key, origin };
  return origin;
}
