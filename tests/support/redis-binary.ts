import { spawnSync } from 'node:child_process';

// Where the tests' redis-server is: REDIS_SERVER_PATH, else `redis-server` on the PATH.
export type Found = { ok: true; path: string; version: string } | { ok: false; error: string };

export function findRedisServer(env: Record<string, string | undefined>): Found {
  const path = env.REDIS_SERVER_PATH || 'redis-server';
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, error: env.REDIS_SERVER_PATH ? `REDIS_SERVER_PATH=${path} does not run.` : 'redis-server is not on the PATH.' };
  const version = /v=(\S+)/.exec(probe.stdout)?.[1];
  return { ok: true, path, version: version ? `Redis ${version}` : probe.stdout.trim() };
}
