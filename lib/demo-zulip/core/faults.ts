// Fault injection for resilience tests (POST /demo/faults): slow responses, random errors,
// broken JSON, dropped connections and forced 429s on /api/v1. Validated strictly, so a typo in
// a test's fault body is a clear 400 rather than a silently healthy server.

export interface FaultConfig {
  /** Delay before every affected request is handled. */
  latencyMs?: number;
  /** Probability (0–1) that an affected request fails with `errorStatus`. */
  errorRate?: number;
  /** Status of injected failures (default 500; 502–504 look like a proxy in front of Zulip). */
  errorStatus?: number;
  /** Cut successful JSON bodies in half. */
  malformedJson?: boolean;
  /** Close the connection without answering. */
  dropConnections?: boolean;
  /** Answer with RATE_LIMIT_HIT; `count` limits how many times (default: until cleared). */
  force429?: { retryAfter: number; count?: number };
  /** Only requests whose path starts with this are affected (default: all of /api/v1). */
  pathPrefix?: string;
}

export class FaultInputError extends Error {}

const KEYS = new Set(['latencyMs', 'errorRate', 'errorStatus', 'malformedJson', 'dropConnections', 'force429', 'pathPrefix', 'expireQueues']);

/** Checks a POST /demo/faults body; returns the config and whether queues should be expired now. */
export function parseFaults(input: unknown): { config: FaultConfig; expireQueues: boolean } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultInputError('The body must be a JSON object.');
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!KEYS.has(key)) throw new FaultInputError(`Unknown fault "${key}". Known: ${[...KEYS].join(', ')}.`);
  const config: FaultConfig = {};
  const num = (key: string, min: number, max: number, integer = false): number | undefined => {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new FaultInputError(`"${key}" must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`);
    }
    return value;
  };
  const bool = (key: string): boolean | undefined => {
    const value = body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw new FaultInputError(`"${key}" must be true or false.`);
    return value;
  };
  config.latencyMs = num('latencyMs', 0, 600_000, true);
  config.errorRate = num('errorRate', 0, 1);
  config.errorStatus = num('errorStatus', 400, 599, true);
  config.malformedJson = bool('malformedJson');
  config.dropConnections = bool('dropConnections');
  if (body.force429 !== undefined) {
    const f = body.force429;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new FaultInputError('"force429" must be an object like {"retryAfter": 2.5}.');
    const { retryAfter, count, ...rest } = f as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new FaultInputError(`Unknown "force429" key "${Object.keys(rest)[0]}".`);
    if (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter) || retryAfter < 0 || retryAfter > 86_400) {
      throw new FaultInputError('"force429.retryAfter" must be a number of seconds from 0 to 86400.');
    }
    if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
      throw new FaultInputError('"force429.count" must be a positive integer.');
    }
    config.force429 = count === undefined ? { retryAfter } : { retryAfter, count };
  }
  if (body.pathPrefix !== undefined) {
    if (typeof body.pathPrefix !== 'string' || !body.pathPrefix.startsWith('/')) throw new FaultInputError('"pathPrefix" must be a path starting with "/".');
    config.pathPrefix = body.pathPrefix;
  }
  for (const key of Object.keys(config) as Array<keyof FaultConfig>) if (config[key] === undefined) delete config[key];
  return { config, expireQueues: bool('expireQueues') ?? false };
}


export class Faults {
  config: FaultConfig = {};

  constructor(private readonly random: () => number) {}

  set(config: FaultConfig): void {
    this.config = config;
  }

  clear(): void {
    this.config = {};
  }

  applies(path: string): boolean {
    if (!path.startsWith('/api/v1/')) return false;
    return this.config.pathPrefix === undefined || path.startsWith(this.config.pathPrefix);
  }

  /** Whether this request should fail, drawing once from the PRNG. */
  shouldFail(): boolean {
    const rate = this.config.errorRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** Takes one forced 429 if configured; returns its Retry-After. */
  takeForced429(): number | null {
    const f = this.config.force429;
    if (!f) return null;
    if (f.count !== undefined) {
      if (f.count <= 0) return null;
      f.count -= 1;
      if (f.count === 0) delete this.config.force429;
    }
    return f.retryAfter;
  }
}
