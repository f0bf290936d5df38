// The built directory app as a child process, started as `npm run serve` starts it (`next start`
// with its Node flags), pointed at a demo Zulip server by a zuliprc, as a deployment would run
// it. Builds first when there is no build or the sources are newer than it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { groupMemoryMb, log, ROOT, sleep, startChild, type Child } from './proc';
import { serveArgs } from '../../lib/server/serve-command';

const SOURCE_DIRS = ['app', 'components', 'lib'];
const SOURCE_FILES = ['next.config.js', 'package.json', 'postcss.config.mjs', 'tsconfig.json', 'proxy.ts'];

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  for (const file of SOURCE_FILES) if (existsSync(join(ROOT, file))) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

/** Runs `next build` unless .next holds a build at least as new as every source file. */
export async function ensureBuilt(): Promise<void> {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(buildId)) return;
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource()) return;
  log('building the app (next build)…');
  const child = startChild('next-build', process.execPath, ['node_modules/next/dist/bin/next', 'build']);
  const code = await child.exited;
  if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${child.log}`);
}

export interface App {
  url: string;
  child: Child;
  memory(): { rssMb: number; peakMb: number };
}

export interface AppOptions {
  port: number;
  zuliprc: string;
  env?: Record<string, string | undefined>;
}

/** Starts the app as `npm run serve` does and waits until /api/health says the first snapshot from Zulip is in. */
export async function startApp(options: AppOptions): Promise<App> {
  const child = startChild(`app-${options.port}`, process.execPath, serveArgs(['-H', '127.0.0.1', '-p', String(options.port)], ROOT), {
    ZULIPRC: options.zuliprc,
    // Never let a developer's own Zulip settings leak into a benchmark (undefined: not passed on).
    ZULIP_SITE: undefined,
    ZULIP_EMAIL: undefined,
    ZULIP_API_KEY: undefined,
    // Benchmarks load the directory as anonymous viewers.
    DIRECTORY_ACCESS: 'open',
    NODE_ENV: 'production',
    // More Node flags for the app under test, to compare settings: BENCH_APP_NODE_OPTIONS="--max-semi-space-size=4".
    // (The heap limit comes from package.json's "serve", whose command-line flag wins over NODE_OPTIONS.)
    NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS,
    ...options.env,
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (await Promise.race([child.exited.then(() => true), sleep(0).then(() => false)])) {
      throw new Error(`the app on port ${options.port} exited; see ${child.log}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      const body = (await response.json()) as { status?: string; data?: { people?: number } };
      if (body.status === 'ok' && (body.data?.people ?? 0) > 0) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the app on port ${options.port} did not become healthy; see ${child.log}`);
    await sleep(250);
  }
  return { url, child, memory: () => groupMemoryMb(child.pid) };
}
