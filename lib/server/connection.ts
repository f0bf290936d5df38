import 'server-only';
import { loadZulipConfig, type ZulipConfig } from '@/lib/zulip/config';
import { createZulipClient, type ZulipClient } from '@/lib/zulip/client';

export interface ZulipConnection {
  client: ZulipClient;
  config: ZulipConfig;
  /** True when the app started its own demo Zulip server because none was configured. */
  demo: boolean;
}

const DEFAULT_DEMO_PORT = 9991;

/**
 * Resolves which Zulip the app talks to. With no Zulip configured it starts the embedded demo
 * server in this process, so `npm start` works on a fresh clone with nothing else running.
 * This is the only module of the app that knows about the demo server.
 */
export async function openZulipConnection(env: NodeJS.ProcessEnv = process.env): Promise<ZulipConnection> {
  const resolved = loadZulipConfig(env);
  if (resolved.mode === 'zulip') {
    return { client: createZulipClient(resolved.config), config: resolved.config, demo: false };
  }
  const { startDemoZulip } = await import('@/lib/demo-zulip/server');
  const demo = await startDemoZulip({
    port: Number(env.DEMO_ZULIP_PORT ?? DEFAULT_DEMO_PORT),
    seed: env.DEMO_ZULIP_SEED ? Number(env.DEMO_ZULIP_SEED) : undefined,
    users: env.DEMO_ZULIP_USERS ? Number(env.DEMO_ZULIP_USERS) : undefined,
    featureLevel: env.DEMO_ZULIP_FEATURE_LEVEL ? Number(env.DEMO_ZULIP_FEATURE_LEVEL) : undefined,
  });
  const config: ZulipConfig = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  console.info(`[directory] No Zulip configured: started the demo Zulip server at ${demo.site}`);
  return { client: createZulipClient(config), config, demo: true };
}
