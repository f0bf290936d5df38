import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';
import { processGlobal } from '@/lib/process-global';

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

/** The process's logger (lib/process-global.ts: every server chunk shares it). */
export function appLogger(): Logger {
  return processGlobal('logger', () => createLogger());
}
