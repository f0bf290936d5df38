import { spawnSync } from 'node:child_process';

// Where the tests' tools are: redis-server (REDIS_SERVER_PATH, else on the PATH) and promtool
// (PROMTOOL_PATH, else on the PATH), as scripts/ensure-redis.ts checks them before the tests.
export type Found = { ok: true; path: string; version: string } | { ok: false; error: string };

export function findRedisServer(env: Record<string, string | undefined>): Found {
  const path = env.REDIS_SERVER_PATH || 'redis-server';
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, error: env.REDIS_SERVER_PATH ? `REDIS_SERVER_PATH=${path} does not run.` : 'redis-server is not on the PATH.' };
  const version = /v=(\S+)/.exec(probe.stdout)?.[1];
  return { ok: true, path, version: version ? `Redis ${version}` : probe.stdout.trim() };
}

/** promtool (Debian's prometheus package), which checks /metrics: PROMTOOL_PATH, else `promtool` on the PATH. */
export function promtoolPath(env: Record<string, string | undefined> = process.env): string {
  return env.PROMTOOL_PATH || 'promtool';
}

export function findPromtool(env: Record<string, string | undefined>): Found {
  const path = promtoolPath(env);
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, error: env.PROMTOOL_PATH ? `PROMTOOL_PATH=${path} does not run.` : 'promtool is not on the PATH.' };
  return { ok: true, path, version: `promtool ${/version (\S+)/.exec(probe.stdout + probe.stderr)?.[1] ?? ''}`.trim() };
}

/** promtool's verdict on a /metrics exposition: exit 0 and no lint problem is a pass. */
export function promtoolCheck(body: string): { status: number | null; output: string } {
  const run = spawnSync(promtoolPath(), ['check', 'metrics'], { input: body, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is needed (Debian's prometheus package): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
