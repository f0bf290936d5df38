// Child processes for the benchmarks: every child gets its own process group, so stopping it
// stops everything it started too (tsx re-spawns node, `next start` may fork). `run()` wraps a
// benchmark's main function with a hard deadline and makes sure every child is stopped however
// the benchmark ends: success, exception, Ctrl-C, SIGTERM or timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

const children = new Set<ChildProcess>();
let workDir: string | null = null;

/** A scratch directory for logs and zuliprc files, removed at exit. */
export function scratch(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'directory-bench-'));
  return workDir;
}

export interface Child {
  name: string;
  pid: number;
  log: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `command args` in its own process group with stdout/stderr to a log file. */
export function startChild(name: string, command: string, args: string[], env: Record<string, string | undefined> = {}): Child {
  const log = join(scratch(), `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => children.delete(child));
  return {
    name,
    pid: child.pid!,
    log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // Anything left in the group (grandchildren that ignored SIGTERM) goes too.
      killGroup(child, 'SIGKILL');
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous last resort, safe inside process.on('exit'). */
function killAllNow(): void {
  for (const child of children) killGroup(child, 'SIGKILL');
  children.clear();
  if (workDir && !process.env.BENCH_KEEP_LOGS) rmSync(workDir, { recursive: true, force: true });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => {
    killGroup(c, 'SIGTERM');
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        killGroup(c, 'SIGKILL');
        resolve();
      }, 5_000);
      c.once('exit', () => {
        clearTimeout(t);
        killGroup(c, 'SIGKILL');
        resolve();
      });
      if (c.exitCode !== null || c.signalCode !== null) {
        clearTimeout(t);
        resolve();
      }
    });
  }));
  children.clear();
}

/** Resident memory of a process and everything in its process group, in MB (Linux /proc). */
export function groupMemoryMb(pid: number): { rssMb: number; peakMb: number } {
  let rss = 0;
  let peak = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 5 (after the parenthesised command, which may contain spaces) is the process group.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return { rssMb: rss / 1024, peakMb: peak / 1024 };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a benchmark: prints what it measured, stops every child it started, and exits. A run
 * longer than `timeoutMs` is abandoned (children stopped, exit code 2).
 */
export function run(name: string, timeoutMs: number, main: () => Promise<void>): void {
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n[${name}] ${signal}: stopping`);
      killAllNow();
      process.exit(130);
    });
  }
  const deadline = setTimeout(() => {
    console.error(`\n[${name}] did not finish within ${Math.round(timeoutMs / 1000)} s; stopping everything`);
    killAllNow();
    process.exit(2);
  }, timeoutMs);
  deadline.unref();
  const started = Date.now();
  main().then(
    async () => {
      await stopAll();
      console.log(`\n[${name}] done in ${Math.round((Date.now() - started) / 1000)} s`);
      process.exit(0);
    },
    async (error: unknown) => {
      console.error(`\n[${name}] failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
      if (workDir) console.error(`[${name}] child logs were in ${workDir} (set BENCH_KEEP_LOGS=1 to keep them)`);
      await stopAll();
      process.exit(1);
    },
  );
}

export function log(message: string): void {
  console.error(`  · ${message}`);
}
