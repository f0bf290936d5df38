import 'server-only';
import { z } from 'zod';
import type { LoadedZulipConfig, ZulipConfig } from '@/lib/zulip/config';
import { createZulipClient, type ZulipClient, type ZulipClientOptions } from '@/lib/zulip/client';
import type { Logger } from '@/lib/server/log';
import { DirectoryCannotStart } from '@/lib/server/cannot-start';

export interface ZulipConnection {
  client: ZulipClient;
  config: ZulipConfig;
  /** True when the app started its own demo Zulip server because none was configured. */
  demo: boolean;
  /** Stops what the connection started (the embedded demo server). */
  close?: () => Promise<void>;
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

export type DemoSettings = z.infer<typeof demoSettings>;

/** The embedded demo's settings (used only when no Zulip is configured). */
export function loadDemoSettings(env: Partial<NodeJS.ProcessEnv>): DemoSettings {
  const parsed = demoSettings.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid demo setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Resolves which Zulip the app talks to. With no Zulip configured it starts the embedded demo
 * server in this process, so `npm start` works on a fresh clone with nothing else running.
 * This is the only module of the app that knows about the demo server.
 */
export async function openZulipConnection(
  settings: { zulip: LoadedZulipConfig; demo: DemoSettings },
  clientOptions: ZulipClientOptions,
  logger: Logger,
): Promise<ZulipConnection> {
  if (settings.zulip.mode === 'zulip') {
    return { client: createZulipClient(settings.zulip.config, clientOptions), config: settings.zulip.config, demo: false };
  }
  const demoSettings = settings.demo;
  const { startDemoZulip } = await import('@/lib/demo-zulip/server');
  const demo = await startDemoZulip({
    port: demoSettings.DEMO_ZULIP_PORT,
    seed: demoSettings.DEMO_ZULIP_SEED,
    users: demoSettings.DEMO_ZULIP_USERS,
    featureLevel: demoSettings.DEMO_ZULIP_FEATURE_LEVEL,
    simulation: demoSettings.DEMO_ZULIP_SIMULATION === 'running',
    clockOffsetSeconds: demoSettings.DEMO_ZULIP_CLOCK_OFFSET_SECONDS,
  }).catch((error: unknown) => {
    // The port taken (a second checkout's directory, `npm run demo-zulip`) is a setting to change, not a bug.
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    throw new DirectoryCannotStart(
      `the demo Zulip server cannot listen on DEMO_ZULIP_PORT=${demoSettings.DEMO_ZULIP_PORT} (${code === 'EADDRINUSE' ? 'another program uses it' : 'not allowed'}): set DEMO_ZULIP_PORT to a free port, or 0 for any.`,
    );
  });
  const config: ZulipConfig = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  logger.info({ event: 'demo_zulip_started', site: demo.site }, `No Zulip configured: started the demo Zulip server at ${demo.site}`);
  return { client: createZulipClient(config, clientOptions), config, demo: true, close: () => demo.close() };
}
