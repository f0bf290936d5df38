import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';

// The server's log: one JSON line per event (pino), each with an `event` name an operator can
// grep for (README, "Reading the log"). LOG_LEVEL picks the level (default info; "silent" for none).

export type { Logger };

export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'zulip-directory' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

const KEY = Symbol.for('zulip-directory.logger');
type GlobalWithLogger = typeof globalThis & { [KEY]?: Logger };

/** The process's logger (kept on globalThis, like the runtime, so every server chunk shares it). */
export function appLogger(): Logger {
  const g = globalThis as GlobalWithLogger;
  return (g[KEY] ??= createLogger());
}
