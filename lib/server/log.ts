import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';
import { cannotStartMessage } from '@/lib/server/cannot-start';

// The server's log: one JSON line per event (pino), each with an `event` name an operator can
// grep for (README, "Reading the log"). LOG_LEVEL picks the level (default info; "silent" for none), read with every
// other setting (app-settings.ts); the app's one logger is made in app.ts.

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** LOG_LEVEL as pino takes it (any case; unset: info); one it does not know stops the app, naming the setting. */
export function logLevelFrom(value: string | undefined): string {
  const level = value?.trim().toLowerCase() || 'info';
  if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`Invalid setting LOG_LEVEL: must be one of ${LEVELS.join(', ')}`);
  return level;
}

/**
 * Says once on stderr (one JSON line, as the log's) why the app cannot start, for the settings
 * that stop it before it has a log of its own: otherwise only each refused request would tell.
 */
const toldWhy = new Set<string>();
export function reportCannotStart(error: unknown, logger?: Logger): void {
  const text = cannotStartMessage(error);
  if (toldWhy.has(text)) return;
  if (toldWhy.size < 100) toldWhy.add(text);
  if (logger) logger.error({ event: 'directory_cannot_start' }, text);
  else process.stderr.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), app: 'zulip-directory', event: 'directory_cannot_start', msg: text })}\n`);
}

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
