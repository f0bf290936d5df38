// The redis-server the tests start (tests/support/redis-server.ts): `npm test` runs this before
// `vitest run`, so a fresh clone gets it by itself. It takes the first of these that runs:
//
// 1. the one named by REDIS_SERVER_PATH, if set (and then only that one);
// 2. `redis-server` on the PATH (Debian's is /usr/bin/redis-server);
// 3. where apt-get exists and we are root: Debian's, `apt-get install -y redis-server` (after
//    `apt-get update` if the package lists are empty);
//
// else it stops and says what to install. Only the tests need Redis: the app runs without it.
// promtool (Debian's prometheus package), which checks the app's /metrics in the tests, is found
// or installed the same way (PROMTOOL_PATH).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPromtool, findRedisServer, type Found } from '../tests/support/redis-binary';

/** What the chain asks of the machine, so that tests can say what exists. */
export interface Machine {
  env: Record<string, string | undefined>;
  find(): Found;
  canApt(): boolean;
  packageListsEmpty(): boolean;
  /** apt-get with these arguments; true when it succeeded. */
  aptGet(args: string[]): boolean;
  say(line: string): void;
}

export class NoRedis extends Error {}

/** A program the tests run, and where it comes from. */
interface Tool {
  name: string;
  /** Debian's package that brings it. */
  debian: string;
  /** The variable that names it instead of the PATH. */
  pathVariable: string;
}

const REDIS: Tool = { name: 'Redis', debian: 'redis-server', pathVariable: 'REDIS_SERVER_PATH' };
const PROMTOOL: Tool = { name: 'promtool', debian: 'prometheus', pathVariable: 'PROMTOOL_PATH' };

/** The line saying which one the tests use, or NoRedis saying what to do. */
function ensureTool(m: Machine, tool: Tool): string {
  const found = m.find();
  if (found.ok) return `${found.version} at ${found.path}`;
  if (m.env[tool.pathVariable] || !m.canApt()) throw new NoRedis(`${found.error} Install ${tool.name} (Debian: apt-get install ${tool.debian}) or set ${tool.pathVariable}.`);
  m.say(`${tool.name} not found: installing Debian's (apt-get install -y ${tool.debian})`);
  if (m.packageListsEmpty()) m.aptGet(['update', '-qq']);
  if (!m.aptGet(['install', '-y', '-qq', tool.debian])) throw new NoRedis(`apt-get install ${tool.debian} failed.`);
  const installed = m.find();
  if (!installed.ok) throw new NoRedis(installed.error);
  return `${installed.version} at ${installed.path} (installed from Debian's packages)`;
}

export const ensureRedis = (m: Machine) => ensureTool(m, REDIS);
export const ensurePromtool = (m: Machine) => ensureTool(m, PROMTOOL);

const thisMachine = (find: Machine['find']): Machine => ({
  env: process.env,
  find,
  canApt: () => process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
  packageListsEmpty: () => {
    try {
      return readdirSync('/var/lib/apt/lists').filter((f) => f.endsWith('_Packages')).length === 0;
    } catch {
      return true;
    }
  },
  aptGet: (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0,
  say: (line) => console.log(line),
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(`Redis for the tests: ${ensureRedis(thisMachine(() => findRedisServer(process.env)))}`);
    console.log(`promtool for the tests: ${ensurePromtool(thisMachine(() => findPromtool(process.env)))}`);
  } catch (error) {
    console.error(`Not ready for the tests: ${(error as Error).message}`);
    process.exit(1);
  }
}
