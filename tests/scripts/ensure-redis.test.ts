import { describe, expect, it } from 'vitest';
import { ensurePromtool, ensureRedis, NoRedis, type Machine } from '@/scripts/ensure-redis';

interface World {
  env?: Record<string, string | undefined>;
  installed?: boolean;
  root?: boolean;
  emptyAptLists?: boolean;
}

/** A machine where exactly what `world` says exists; it records the apt-get commands run. */
function machine(world: World) {
  let installed = world.installed ?? false;
  let listsUpdated = !world.emptyAptLists;
  const commands: string[] = [];
  const m: Machine = {
    env: world.env ?? {},
    find: () => (installed ? { ok: true, path: 'redis-server', version: 'Redis 7.0.15' } : { ok: false, error: 'redis-server is not on the PATH.' }),
    canApt: () => world.root ?? false,
    packageListsEmpty: () => !listsUpdated,
    aptGet: (args) => {
      commands.push(`apt-get ${args.join(' ')}`);
      if (args[0] === 'update') listsUpdated = true;
      if (args[0] === 'install' && listsUpdated) installed = true;
      return args[0] === 'update' || installed;
    },
    say: () => {},
  };
  return { m, commands };
}

describe('ensure-redis', () => {
  it('uses the redis-server it finds, and installs nothing', () => {
    const { m, commands } = machine({ installed: true, root: true });
    expect(ensureRedis(m)).toBe('Redis 7.0.15 at redis-server');
    expect(commands).toEqual([]);
  });

  it("installs Debian's as root, updating empty package lists first", () => {
    const { m, commands } = machine({ root: true, emptyAptLists: true });
    expect(ensureRedis(m)).toContain("installed from Debian's packages");
    expect(commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq redis-server']);
  });

  it('says what to install where it cannot install', () => {
    const { m, commands } = machine({ root: false });
    expect(() => ensureRedis(m)).toThrow(NoRedis);
    expect(() => ensureRedis(m)).toThrow(/apt-get install redis-server/);
    expect(commands).toEqual([]);
  });

  it('a REDIS_SERVER_PATH that does not run is an error, not a reason to install another', () => {
    const { m, commands } = machine({ root: true, env: { REDIS_SERVER_PATH: '/opt/redis/bin/redis-server' } });
    expect(() => ensureRedis(m)).toThrow(/REDIS_SERVER_PATH/);
    expect(commands).toEqual([]);
  });
});

describe('ensure-redis: promtool, the same way', () => {
  it("installs Debian's prometheus package as root, or says what to install", () => {
    const { m, commands } = machine({ root: true });
    expect(ensurePromtool(m)).toContain("installed from Debian's packages");
    expect(commands).toEqual(['apt-get install -y -qq prometheus']);
    expect(() => ensurePromtool(machine({ root: false }).m)).toThrow(/apt-get install prometheus/);
    expect(() => ensurePromtool(machine({ env: { PROMTOOL_PATH: '/opt/promtool' }, root: true }).m)).toThrow(/PROMTOOL_PATH/);
  });
});
