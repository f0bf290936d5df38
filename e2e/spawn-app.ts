// Starts the built app (`npm run serve`'s command, from .next) in a child process with the environment a test
// needs, on a free port, keeping everything it prints. For specs that need an app configured
// differently from the ones in playwright.config.ts (another access mode, a secrets scan).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { serveArgs } from '../lib/server/serve-command';

export interface SpawnedApp {
  url: string;
  /** The server's process (`next start` serves from this one process). */
  pid: number;
  /** Everything the app printed so far, stdout and stderr. */
  output(): string;
  /** False once the process has exited (stopped, killed or crashed). */
  running(): boolean;
  stop(): Promise<void>;
  /** SIGTERM, as an orchestrator stops it, never forced; resolves when it has exited. */
  terminate(): Promise<void>;
  /** SIGKILL: gone at once, as in a crash or an OOM kill (no shutdown, no lease given back); resolves when it has exited. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Variables that would configure the app from the test runner's own environment. */
const INHERITED = /^(ZULIP|ZULIPRC|DIRECTORY_|DEMO_ZULIP_|PRESENCE_|REDIS_)/;

export async function spawnApp(env: Record<string, string>, readyPath = '/sign-in', options: { port?: number } = {}): Promise<SpawnedApp> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED.test(k))) as Record<string, string>;
  const child: ChildProcess = spawn(process.execPath, serveArgs(['-H', '127.0.0.1', '-p', String(port)]), {
    env: { ...base, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOME: '/nonexistent-home-for-tests', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`);
    try {
      await fetch(`${url}${readyPath}`, { redirect: 'manual' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the app did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: child.pid!,
    output: () => output,
    running,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      // Next waits for open connections (an event stream) to finish; do not wait forever.
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}
