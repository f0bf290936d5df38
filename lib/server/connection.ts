import 'server-only';
import { z } from 'zod';
import { loadZulipConfig, type ZulipConfig } from '@/lib/zulip/config';
import { createZulipClient, type ZulipClient, type ZulipClientOptions } from '@/lib/zulip/client';
import { appLogger } from '@/lib/server/log';

export interface ZulipConnection {
  client: ZulipClient;
  config: ZulipConfig;
  /** True when the app started its own demo Zulip server because none was configured. */
  demo: boolean;
}

const demoSettings = z.object({
  DEMO_ZULIP_PORT: z.coerce.number().int().min(0).max(65535).default(9991),
  DEMO_ZULIP_SEED: z.coerce.number().int().optional(),
  DEMO_ZULIP_USERS: z.coerce.number().int().min(1).max(50_000).optional(),
  DEMO_ZULIP_FEATURE_LEVEL: z.coerce.number().int().min(1).optional(),
  DEMO_ZULIP_SIMULATION: z.enum(['running', 'paused']).default('running'),
  /** The demo server's clock minus the real one, to see the app against a Zulip whose clock is off. */
  DEMO_ZULIP_CLOCK_OFFSET_SECONDS: z.coerce.number().int().min(-86_400).max(86_400).default(0),
});

/**
 * Resolves which Zulip the app talks to. With no Zulip configured it starts the embedded demo
 * server in this process, so `npm start` works on a fresh clone with nothing else running.
 * This is the only module of the app that knows about the demo server.
 */
export async function openZulipConnection(
  env: NodeJS.ProcessEnv = process.env,
  clientOptions: ZulipClientOptions = {},
): Promise<ZulipConnection> {
  const resolved = loadZulipConfig(env);
  if (resolved.mode === 'zulip') {
    return { client: createZulipClient(resolved.config, clientOptions), config: resolved.config, demo: false };
  }
  const parsed = demoSettings.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid demo setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const settings = parsed.data;
  const { startDemoZulip } = await import('@/lib/demo-zulip/server');
  const demo = await startDemoZulip({
    port: settings.DEMO_ZULIP_PORT,
    seed: settings.DEMO_ZULIP_SEED,
    users: settings.DEMO_ZULIP_USERS,
    featureLevel: settings.DEMO_ZULIP_FEATURE_LEVEL,
    simulation: settings.DEMO_ZULIP_SIMULATION === 'running',
    clockOffsetSeconds: settings.DEMO_ZULIP_CLOCK_OFFSET_SECONDS,
  });
  const config: ZulipConfig = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  appLogger().info({ event: 'demo_zulip_started', site: demo.site }, `No Zulip configured: started the demo Zulip server at ${demo.site}`);
  return { client: createZulipClient(config, clientOptions), config, demo: true };
}
