// Command-line and environment options of the demo Zulip server (cli.ts), kept apart from the
// entry point so they can be tested without starting anything.
import { CLOCK_OFFSET_ENV, MAX_CLOCK_OFFSET_SECONDS, parseClockOffset } from './clock-offset';
import type { DemoZulipOptions } from './server';

export const USAGE = `Usage: npm run demo-zulip -- [options]

  --port N            port to listen on (default 9991; 0 = any free port)   env DEMO_ZULIP_PORT
  --host HOST         address to listen on (default 127.0.0.1)
  --seed N            organization seed (default 1)                          env DEMO_ZULIP_SEED
  --users N           number of people, 1 to 50000 (default 250)             env DEMO_ZULIP_USERS
  --feature-level N   Zulip API feature level to imitate (default 372 = 10.2;
                      e.g. 150 for a 6.x server, 497 for 12.0-dev)           env DEMO_ZULIP_FEATURE_LEVEL
  --rate-limit N      API requests per user per 60 s (default 200)
  --clock-offset-seconds N
                      seconds the server's clock is off (default 0; 3600 =
                      an hour ahead, -90 = behind)                           env DEMO_ZULIP_CLOCK_OFFSET_SECONDS
  --tick N            seconds between presence simulation ticks (default 10)
  --paused            start with the presence simulation paused
  --zuliprc-out PATH  also write the directory bot's zuliprc to PATH
  --help              show this help
`;

export class UsageError extends Error {}

function integer(name: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) throw new UsageError(`${name} must be an integer, got ${JSON.stringify(text ?? '')}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${name} must be from ${min} to ${max}, got ${value}`);
  return value;
}

function clockOffset(name: string, text: string | undefined): number {
  const value = parseClockOffset(text);
  if (value === null) throw new UsageError(`${name} must be a number of seconds from -${MAX_CLOCK_OFFSET_SECONDS} to ${MAX_CLOCK_OFFSET_SECONDS}, got ${JSON.stringify(text ?? '')}`);
  return value;
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a positive number, got ${JSON.stringify(text ?? '')}`);
  return value;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined>): { options: DemoZulipOptions; zuliprcOut?: string; help: boolean } {
  const options: DemoZulipOptions = { port: 9991 };
  if (env.DEMO_ZULIP_PORT !== undefined) options.port = integer('DEMO_ZULIP_PORT', env.DEMO_ZULIP_PORT, 0, 65535);
  if (env.DEMO_ZULIP_SEED !== undefined) options.seed = integer('DEMO_ZULIP_SEED', env.DEMO_ZULIP_SEED, -(2 ** 31), 2 ** 31 - 1);
  if (env.DEMO_ZULIP_USERS !== undefined) options.users = integer('DEMO_ZULIP_USERS', env.DEMO_ZULIP_USERS, 1, 50_000);
  if (env.DEMO_ZULIP_FEATURE_LEVEL !== undefined) options.featureLevel = integer('DEMO_ZULIP_FEATURE_LEVEL', env.DEMO_ZULIP_FEATURE_LEVEL, 1, 999);
  if (env[CLOCK_OFFSET_ENV] !== undefined) options.clockOffsetSeconds = clockOffset(CLOCK_OFFSET_ENV, env[CLOCK_OFFSET_ENV]);
  let zuliprcOut: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        options.port = integer('--port', value(), 0, 65535);
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed':
        options.seed = integer('--seed', value(), -(2 ** 31), 2 ** 31 - 1);
        break;
      case '--users':
        options.users = integer('--users', value(), 1, 50_000);
        break;
      case '--feature-level':
        options.featureLevel = integer('--feature-level', value(), 1, 999);
        break;
      case '--rate-limit':
        options.rateLimit = { requests: integer('--rate-limit', value(), 1, 1_000_000), windowSeconds: 60 };
        break;
      case '--clock-offset-seconds':
        options.clockOffsetSeconds = clockOffset('--clock-offset-seconds', value());
        break;
      case '--tick':
        options.tickSeconds = positive('--tick', value());
        break;
      case '--paused':
        options.simulation = false;
        break;
      case '--zuliprc-out':
        zuliprcOut = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { options, zuliprcOut, help };
}
