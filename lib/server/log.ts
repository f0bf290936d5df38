import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';

// The server's log: one JSON line per event (pino), each with an `event` name an operator can
// grep for (README, "Reading the log"). LOG_LEVEL picks the level (default info; "silent" for none), read with every
// other setting (app-settings.ts); the app's one logger is made in app.ts.

export type { Logger };

export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
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
