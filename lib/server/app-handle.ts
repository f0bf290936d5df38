import 'server-only';
import { createApp, type DirectoryApp } from '@/lib/server/app';
import { readSettings } from '@/lib/server/app-settings';
import { reportCannotStart } from '@/lib/server/log';

// The one process-wide handle (docs/architecture.md §16). Next bundles server code into several
// chunks, each with its own copy of a module, runs proxy.ts in the same process, and dev mode
// reloads modules: the app is kept on globalThis so that all of them share one. It is built on
// first use from the process's environment, read once; a configuration that cannot start (a
// malformed Zulip setting) is thrown to each caller, and the next one tries again.

const KEY = Symbol.for('zulip-directory.app');
type GlobalWithApp = typeof globalThis & { [KEY]?: DirectoryApp };

/** This process's app. Only entry points (proxy.ts, pages, routes) call it; everything else is handed what it needs. */
export function theApp(): DirectoryApp {
  const g = globalThis as GlobalWithApp;
  try {
    return (g[KEY] ??= createApp(readSettings(process.env)));
  } catch (error) {
    reportCannotStart(error);
    throw error;
  }
}

/** This process's app if something has built it, else null: what a shutdown must drain (never builds one). */
export function builtApp(): DirectoryApp | null {
  return (globalThis as GlobalWithApp)[KEY] ?? null;
}
