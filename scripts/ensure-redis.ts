// The redis-server the tests start (tests/support/redis-server.ts): `npm test` runs this before
// `vitest run`, so a fresh clone gets it by itself. It takes the first of these that runs:
//
// 1. the one named by REDIS_SERVER_PATH, if set (and then only that one);
// 2. `redis-server` on the PATH (Debian's is /usr/bin/redis-server);
// 3. where apt-get exists and we are root: Debian's, `apt-get install -y redis-server` (after
//    `apt-get update` if the package lists are empty);
//
// else it stops and says what to install. Only the tests need Redis: the app runs without it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findRedisServer } from '../tests/support/redis-binary';

function run(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

function canApt(): boolean {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function packageListsEmpty(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').filter((f) => f.endsWith('_Packages')).length === 0;
  } catch {
    return true;
  }
}

export function ensureRedis(): string {
  const found = findRedisServer(process.env);
  if (found.ok) return `${found.version} at ${found.path}`;
  if (process.env.REDIS_SERVER_PATH || !canApt()) throw new Error(`${found.error} Install Redis (Debian: apt-get install redis-server) or set REDIS_SERVER_PATH.`);
  console.log('redis-server not found: installing Debian\'s (apt-get install -y redis-server)');
  if (packageListsEmpty()) run('apt-get', ['update', '-qq']);
  if (!run('apt-get', ['install', '-y', '-qq', 'redis-server'])) throw new Error('apt-get install redis-server failed.');
  const installed = findRedisServer(process.env);
  if (!installed.ok) throw new Error(installed.error);
  return `${installed.version} at ${installed.path} (installed from Debian's packages)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(`Redis for the tests: ${ensureRedis()}`);
  } catch (error) {
    console.error(`No Redis for the tests: ${(error as Error).message}`);
    process.exit(1);
  }
}
