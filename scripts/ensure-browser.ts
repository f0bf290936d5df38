// The Chromium the browser tests run in: `npm test` runs this before `playwright test`, so a fresh
// clone gets its browser by itself. It takes the first of these that launches:
//
// 1. the one named by PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH or CHROME_PATH, if set (and then only
//    that one: a browser named is the browser wanted);
// 2. Debian's Chromium, /usr/bin/chromium;
// 3. Playwright's own, already downloaded (~/.cache/ms-playwright, or PLAYWRIGHT_BROWSERS_PATH);
// 4. Playwright's own, downloaded now: `npx playwright install chromium` (from cdn.playwright.dev);
// 5. where that fails, apt-get exists and we are root: Debian's, `apt-get install -y chromium`
//    (after `apt-get update` if the package lists are empty);
//
// else it stops and says what to install. It prints one line: which browser, and how it got it.
// It records its choice in .e2e/browser.json, which playwright.config.ts reads (browserForTests).
// ENSURE_BROWSER_IGNORE_SYSTEM=1 skips 2 and 3, so a machine that has a browser can check the
// rest of the chain as a fresh one meets it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const RECORD = join('.e2e', 'browser.json');
const NAMED = ['PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH', 'CHROME_PATH'] as const;
const APT_INSTALL = ['install', '-y', 'chromium'];

export type Outcome = { ok: true; version: string } | { ok: false; error: string };
export type Run = { ok: boolean; output: string };

/** What the chain asks of the machine, so that tests can say what exists. */
export interface Machine {
  env: Record<string, string | undefined>;
  exists(path: string): boolean;
  /** Launches Chromium as the browser tests do (Playwright's own without a path), then closes it. */
  launch(executablePath?: string): Promise<Outcome>;
  /** `npx playwright install chromium` */
  playwrightInstall(): Promise<Run>;
  hasAptGet(): boolean;
  isRoot(): boolean;
  aptGet(args: string[]): Promise<Run>;
  /** Progress, before a step that may take a while. */
  say(line: string): void;
}

/** executablePath absent: Playwright's own. */
export interface Choice {
  executablePath?: string;
  line: string;
}

export class NoBrowser extends Error {}

export async function chooseBrowser(m: Machine): Promise<Choice> {
  const named = NAMED.find((name) => m.env[name]);
  if (named) {
    const path = m.env[named] as string;
    const launched: Outcome = m.exists(path) ? await m.launch(path) : { ok: false, error: 'no such file' };
    if (!launched.ok) throw new NoBrowser(`${named}=${path} does not launch: ${launched.error} (unset it, and npm test finds or installs one).`);
    return { executablePath: path, line: `Chromium ${launched.version} at ${path} (from ${named})` };
  }

  const debian = (version: string, how: string): Choice => ({
    executablePath: DEBIAN_CHROMIUM,
    line: `Debian's Chromium ${version} (${DEBIAN_CHROMIUM}), ${how}`,
  });
  const playwrights = (version: string, how: string): Choice => ({ line: `Playwright's Chromium ${version}, ${how}` });

  let none = 'no Chromium installed';
  if (m.env.ENSURE_BROWSER_IGNORE_SYSTEM === '1') {
    none = 'installed browsers ignored (ENSURE_BROWSER_IGNORE_SYSTEM=1)';
  } else {
    if (m.exists(DEBIAN_CHROMIUM)) {
      const launched = await m.launch(DEBIAN_CHROMIUM);
      if (launched.ok) return debian(launched.version, 'already installed');
      none = `Debian's Chromium does not launch: ${launched.error}`;
    }
    const launched = await m.launch();
    if (launched.ok) return playwrights(launched.version, 'already downloaded');
  }

  m.say(`${none}; downloading Playwright's: npx playwright install chromium`);
  const download = await m.playwrightInstall();
  let whyNotPlaywright: string;
  if (download.ok) {
    const launched = await m.launch();
    if (launched.ok) return playwrights(launched.version, 'downloaded now (npx playwright install chromium)');
    whyNotPlaywright = `Playwright's Chromium, downloaded, does not launch: ${launched.error} (missing system libraries? npx playwright install-deps chromium)`;
  } else {
    whyNotPlaywright = `Playwright's download failed: ${errorIn(download.output)}`;
  }

  if (m.hasAptGet() && m.isRoot()) {
    m.say(`${whyNotPlaywright}; installing Debian's: apt-get install -y chromium`);
    let apt = await m.aptGet(APT_INSTALL);
    if (!apt.ok && (await m.aptGet(['update'])).ok) apt = await m.aptGet(APT_INSTALL);
    if (!apt.ok) throw new NoBrowser(`${whyNotPlaywright}. apt-get install -y chromium failed: ${errorIn(apt.output)}.`);
    const launched: Outcome = m.exists(DEBIAN_CHROMIUM) ? await m.launch(DEBIAN_CHROMIUM) : { ok: false, error: `no ${DEBIAN_CHROMIUM}` };
    if (!launched.ok) throw new NoBrowser(`${whyNotPlaywright}. Debian's Chromium, installed, does not launch: ${launched.error}.`);
    return debian(launched.version, `from apt-get install -y chromium (${whyNotPlaywright})`);
  }
  const why = m.hasAptGet() ? 'Debian\'s cannot be installed without root' : 'no apt-get to install Debian\'s';
  throw new NoBrowser(`${whyNotPlaywright}; ${why}.`);
}

export const HOW_TO_GET_ONE = [
  'Get one of these, then run npm test again:',
  '  npx playwright install chromium        Playwright\'s own (downloads from https://cdn.playwright.dev)',
  '  sudo apt-get install chromium          Debian\'s, at /usr/bin/chromium',
  '  CHROME_PATH=/path/to/chrome npm test   a Chromium or Chrome you already have',
].join('\n');

/** The Chromium for playwright.config.ts: one named in the environment, else the one recorded, else Debian's if it is there, else Playwright's own. */
export function browserForTests(root: string, env: Record<string, string | undefined> = process.env, exists: (path: string) => boolean = existsSync): { executablePath?: string } {
  const named = NAMED.find((name) => env[name]);
  if (named) return { executablePath: env[named] };
  const recorded = readRecord(root);
  if (recorded && (recorded.executablePath === undefined || exists(recorded.executablePath))) {
    return recorded.executablePath === undefined ? {} : { executablePath: recorded.executablePath };
  }
  return exists(DEBIAN_CHROMIUM) ? { executablePath: DEBIAN_CHROMIUM } : {};
}

function readRecord(root: string): Choice | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(root, RECORD), 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { executablePath, line } = value as Record<string, unknown>;
    if (executablePath !== undefined && typeof executablePath !== 'string') return undefined;
    return { executablePath, line: typeof line === 'string' ? line : '' };
  } catch {
    return undefined;
  }
}

export async function main(root: string, m: Machine = machine(root), print: (line: string, failed: boolean) => void = (line, failed) => (failed ? console.error : console.log)(line)): Promise<number> {
  const record = join(root, RECORD);
  try {
    const choice = await chooseBrowser(m);
    mkdirSync(dirname(record), { recursive: true });
    writeFileSync(record, `${JSON.stringify(choice, null, 2)}\n`);
    print(`ensure-browser: browser tests use ${choice.line}`, false);
    return 0;
  } catch (error) {
    if (!(error instanceof NoBrowser)) throw error;
    rmSync(record, { force: true });
    print(`ensure-browser: no browser for the browser tests. ${error.message}\n${HOW_TO_GET_ONE}`, true);
    return 1;
  }
}

/** The first line of the first error in a command's output, else its last line. */
export function errorIn(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const error = lines.find((line) => /^(Error|E):/.test(line)) ?? lines.at(-1) ?? 'no output';
  return error.replace(/^(Error|E):\s*/, '').slice(0, 200);
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/^browserType\.launch:\s*/, '') ?? '';

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    let output = '';
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => done({ ok: false, output: `Error: ${error.message}` }));
    child.on('close', (code) => done({ ok: code === 0, output }));
  });
}

function machine(root: string): Machine {
  return {
    env: process.env,
    exists: existsSync,
    async launch(executablePath) {
      const { chromium } = await import('@playwright/test');
      try {
        const browser = await chromium.launch({ executablePath, timeout: 60_000 });
        const version = browser.version();
        await browser.close();
        return { ok: true, version };
      } catch (error) {
        return { ok: false, error: firstLine(error) };
      }
    },
    playwrightInstall: () => run(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'install', 'chromium']),
    hasAptGet: () => process.platform === 'linux' && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
    isRoot: () => process.getuid?.() === 0,
    aptGet: (args) => run('apt-get', ['-q', ...args], { DEBIAN_FRONTEND: 'noninteractive' }),
    say: (line) => console.log(`ensure-browser: ${line}`),
  };
}

if (process.argv[1] && basename(process.argv[1]) === 'ensure-browser.ts') {
  main(resolve(__dirname, '..')).then((code) => {
    process.exitCode = code;
  });
}
