import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserForTests, chooseBrowser, DEBIAN_CHROMIUM, errorIn, main, NoBrowser, RECORD, type Machine } from '@/scripts/ensure-browser';

const PLAYWRIGHT = 'playwright'; // Playwright's own browser, launched without a path
const OFFLINE = 'Downloading Chrome for Testing 159.0.8154.6\nError: getaddrinfo ENOTFOUND cdn.playwright.dev\n    at GetAddrInfoReqWrap\nFailed to install browsers';

interface World {
  env?: Record<string, string | undefined>;
  /** Files that exist. */
  files?: string[];
  /** Browsers that launch: paths, or PLAYWRIGHT once downloaded. */
  launches?: string[];
  download?: 'ok' | 'fails' | 'ok, but no system libraries';
  aptGet?: boolean;
  root?: boolean;
  /** apt-get install fails until apt-get update has run (a fresh container's empty lists). */
  emptyAptLists?: boolean;
}

/** A machine where exactly what `world` says exists; it records the commands run. */
function machine(world: World) {
  const files = new Set(world.files ?? []);
  const launches = new Set(world.launches ?? []);
  const commands: string[] = [];
  const said: string[] = [];
  let listsUpdated = !world.emptyAptLists;
  const m: Machine = {
    env: world.env ?? {},
    exists: (path) => files.has(path),
    launch: async (path) => {
      const which = path ?? PLAYWRIGHT;
      if (launches.has(which)) return { ok: true, version: which === PLAYWRIGHT ? '159.0.8154.6' : '156.0.8078.108' };
      return { ok: false, error: which === PLAYWRIGHT ? "Executable doesn't exist at /root/.cache/ms-playwright/chromium_headless_shell-1255/chrome-headless-shell" : 'error while loading shared libraries: libnss3.so' };
    },
    playwrightInstall: async () => {
      commands.push('npx playwright install chromium');
      if (world.download === 'ok') launches.add(PLAYWRIGHT);
      return world.download?.startsWith('ok') ? { ok: true, output: '' } : { ok: false, output: OFFLINE };
    },
    hasAptGet: () => world.aptGet ?? false,
    isRoot: () => world.root ?? false,
    aptGet: async (args) => {
      commands.push(`apt-get ${args.join(' ')}`);
      if (args[0] === 'update') {
        listsUpdated = true;
        return { ok: true, output: '' };
      }
      if (!listsUpdated) return { ok: false, output: 'Reading package lists...\nE: Unable to locate package chromium' };
      files.add(DEBIAN_CHROMIUM);
      launches.add(DEBIAN_CHROMIUM);
      return { ok: true, output: '' };
    },
    say: (line) => said.push(line),
  };
  return { m, commands, said };
}

const debianMachine: World = { files: [DEBIAN_CHROMIUM], launches: [DEBIAN_CHROMIUM], aptGet: true, root: true, download: 'ok' };
const freshDebianRoot: World = { aptGet: true, root: true, download: 'fails' };

describe('the chain: the first browser that launches', () => {
  it('takes Debian’s Chromium when it is there, installing nothing', async () => {
    const { m, commands, said } = machine(debianMachine);
    expect(await chooseBrowser(m)).toEqual({ executablePath: DEBIAN_CHROMIUM, line: "Debian's Chromium 156.0.8078.108 (/usr/bin/chromium), already installed" });
    expect(commands).toEqual([]);
    expect(said).toEqual([]);
  });

  it('takes Playwright’s own when it is already downloaded, with no path', async () => {
    const { m, commands } = machine({ launches: [PLAYWRIGHT], download: 'ok', aptGet: true, root: true });
    expect(await chooseBrowser(m)).toEqual({ line: "Playwright's Chromium 159.0.8154.6, already downloaded" });
    expect(commands).toEqual([]);
  });

  it('prefers a browser named in PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then CHROME_PATH, over Debian’s', async () => {
    const both = { PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/opt/a/chrome', CHROME_PATH: '/opt/b/chrome' };
    const files = [DEBIAN_CHROMIUM, '/opt/a/chrome', '/opt/b/chrome'];
    const first = machine({ ...debianMachine, env: both, files, launches: files });
    expect(await chooseBrowser(first.m)).toEqual({ executablePath: '/opt/a/chrome', line: 'Chromium 156.0.8078.108 at /opt/a/chrome (from PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH)' });
    const second = machine({ ...debianMachine, env: { CHROME_PATH: '/opt/b/chrome' }, files, launches: files });
    expect((await chooseBrowser(second.m)).executablePath).toBe('/opt/b/chrome');
  });

  it('stops when the browser named does not exist or launch, rather than take or install another', async () => {
    for (const world of [
      { ...debianMachine, env: { CHROME_PATH: '/opt/missing/chrome' } },
      { ...debianMachine, env: { CHROME_PATH: '/opt/broken/chrome' }, files: [DEBIAN_CHROMIUM, '/opt/broken/chrome'] },
    ]) {
      const { m, commands } = machine(world);
      await expect(chooseBrowser(m)).rejects.toThrow(/^CHROME_PATH=\/opt\/(missing|broken)\/chrome does not launch: (no such file|error while loading shared libraries)/);
      expect(commands).toEqual([]);
    }
  });

  it('downloads Playwright’s own when no browser is there', async () => {
    const { m, commands, said } = machine({ download: 'ok' });
    expect(await chooseBrowser(m)).toEqual({ line: "Playwright's Chromium 159.0.8154.6, downloaded now (npx playwright install chromium)" });
    expect(commands).toEqual(['npx playwright install chromium']);
    expect(said).toEqual(["no Chromium installed; downloading Playwright's: npx playwright install chromium"]);
  });

  it('moves on from a Debian Chromium that does not launch', async () => {
    const { m, commands, said } = machine({ files: [DEBIAN_CHROMIUM], download: 'ok' });
    expect((await chooseBrowser(m)).line).toMatch(/^Playwright's Chromium .*, downloaded now/);
    expect(commands).toEqual(['npx playwright install chromium']);
    expect(said[0]).toBe("Debian's Chromium does not launch: error while loading shared libraries: libnss3.so; downloading Playwright's: npx playwright install chromium");
  });

  it('installs Debian’s with apt-get, as root, when Playwright’s download fails', async () => {
    const { m, commands, said } = machine(freshDebianRoot);
    expect(await chooseBrowser(m)).toEqual({
      executablePath: DEBIAN_CHROMIUM,
      line: "Debian's Chromium 156.0.8078.108 (/usr/bin/chromium), from apt-get install -y chromium (Playwright's download failed: getaddrinfo ENOTFOUND cdn.playwright.dev)",
    });
    expect(commands).toEqual(['npx playwright install chromium', 'apt-get install -y chromium']);
    expect(said[1]).toBe("Playwright's download failed: getaddrinfo ENOTFOUND cdn.playwright.dev; installing Debian's: apt-get install -y chromium");
  });

  it('runs apt-get update when the package lists are empty, then installs', async () => {
    const { m, commands } = machine({ ...freshDebianRoot, emptyAptLists: true });
    expect((await chooseBrowser(m)).executablePath).toBe(DEBIAN_CHROMIUM);
    expect(commands).toEqual(['npx playwright install chromium', 'apt-get install -y chromium', 'apt-get update', 'apt-get install -y chromium']);
  });

  it('installs Debian’s when Playwright’s downloads but cannot launch (no system libraries)', async () => {
    const { m, commands } = machine({ ...freshDebianRoot, download: 'ok, but no system libraries' });
    const choice = await chooseBrowser(m);
    expect(choice.executablePath).toBe(DEBIAN_CHROMIUM);
    expect(choice.line).toContain("Playwright's Chromium, downloaded, does not launch: Executable doesn't exist");
    expect(commands).toEqual(['npx playwright install chromium', 'apt-get install -y chromium']);
  });

  it('stops, installing nothing, without root or without apt-get', async () => {
    for (const [world, why] of [
      [{ aptGet: true, root: false, download: 'fails' }, "Debian's cannot be installed without root"],
      [{ aptGet: false, root: true, download: 'fails' }, "no apt-get to install Debian's"],
    ] as const) {
      const { m, commands } = machine(world);
      await expect(chooseBrowser(m)).rejects.toThrow(new NoBrowser(`Playwright's download failed: getaddrinfo ENOTFOUND cdn.playwright.dev; ${why}.`));
      expect(commands).toEqual(['npx playwright install chromium']);
    }
  });

  it('stops when apt-get cannot install it either', async () => {
    const { m } = machine(freshDebianRoot);
    m.aptGet = async () => ({ ok: false, output: 'E: Unable to locate package chromium' });
    await expect(chooseBrowser(m)).rejects.toThrow("apt-get install -y chromium failed: Unable to locate package chromium.");
  });

  it('with ENSURE_BROWSER_IGNORE_SYSTEM=1, passes over the browsers installed and goes down the chain', async () => {
    const env = { ENSURE_BROWSER_IGNORE_SYSTEM: '1' };
    const { m, commands, said } = machine({ ...debianMachine, launches: [DEBIAN_CHROMIUM, PLAYWRIGHT], env, download: 'fails' });
    expect((await chooseBrowser(m)).line).toMatch(/^Debian's Chromium .*, from apt-get install -y chromium \(Playwright's download failed/);
    expect(commands).toEqual(['npx playwright install chromium', 'apt-get install -y chromium']);
    expect(said[0]).toBe("installed browsers ignored (ENSURE_BROWSER_IGNORE_SYSTEM=1); downloading Playwright's: npx playwright install chromium");
  });
});

describe('the record playwright.config.ts reads', () => {
  let root: string;
  afterEach(() => rmSync(root, { force: true, recursive: true }));
  const newRoot = () => (root = mkdtempSync(join(tmpdir(), 'ensure-browser-')));

  it('main writes the choice and prints one line; a failure prints what to install and removes the record', async () => {
    newRoot();
    const printed: [string, boolean][] = [];
    const print = (line: string, failed: boolean) => printed.push([line, failed]);
    expect(await main(root, machine(freshDebianRoot).m, print)).toBe(0);
    expect(printed).toEqual([[expect.stringMatching(/^ensure-browser: browser tests use Debian's Chromium 156\.0\.8078\.108 \(\/usr\/bin\/chromium\), from apt-get/), false]]);
    expect(JSON.parse(readFileSync(join(root, RECORD), 'utf8'))).toMatchObject({ executablePath: DEBIAN_CHROMIUM });
    expect(browserForTests(root, {}, () => true)).toEqual({ executablePath: DEBIAN_CHROMIUM });

    printed.length = 0;
    expect(await main(root, machine({ download: 'fails' }).m, print)).toBe(1);
    expect(printed[0]?.[1]).toBe(true);
    expect(printed[0]?.[0]).toContain('ensure-browser: no browser for the browser tests.');
    expect(printed[0]?.[0]).toContain('npx playwright install chromium');
    expect(printed[0]?.[0]).toContain('sudo apt-get install chromium');
    expect(existsSync(join(root, RECORD))).toBe(false);
  });

  it('Playwright’s own is recorded without a path, so the config gives none', async () => {
    newRoot();
    expect(await main(root, machine({ download: 'ok' }).m, () => {})).toBe(0);
    expect(browserForTests(root, {}, (path) => path === DEBIAN_CHROMIUM)).toEqual({});
  });

  it('without a record (playwright test run alone), or with one naming a path gone, the config takes Debian’s if there, else Playwright’s own', () => {
    newRoot();
    expect(browserForTests(root, {}, (path) => path === DEBIAN_CHROMIUM)).toEqual({ executablePath: DEBIAN_CHROMIUM });
    expect(browserForTests(root, {}, () => false)).toEqual({});
    mkdirSync(join(root, '.e2e'));
    writeFileSync(join(root, RECORD), JSON.stringify({ executablePath: '/opt/gone/chrome', line: '' }));
    expect(browserForTests(root, {}, () => false)).toEqual({});
    writeFileSync(join(root, RECORD), 'not json');
    expect(browserForTests(root, {}, (path) => path === DEBIAN_CHROMIUM)).toEqual({ executablePath: DEBIAN_CHROMIUM });
  });

  it('a browser named in the environment wins over the record', () => {
    newRoot();
    mkdirSync(join(root, '.e2e'));
    writeFileSync(join(root, RECORD), JSON.stringify({ executablePath: DEBIAN_CHROMIUM, line: '' }));
    expect(browserForTests(root, { CHROME_PATH: '/opt/b/chrome' }, () => true)).toEqual({ executablePath: '/opt/b/chrome' });
  });
});

describe('errorIn', () => {
  it('finds the first error line of Playwright’s and apt-get’s output, else the last line', () => {
    expect(errorIn(OFFLINE)).toBe('getaddrinfo ENOTFOUND cdn.playwright.dev');
    expect(errorIn('Reading package lists...\nE: Unable to locate package chromium\n')).toBe('Unable to locate package chromium');
    expect(errorIn('something\nwent wrong\n')).toBe('went wrong');
    expect(errorIn('')).toBe('no output');
  });
});
