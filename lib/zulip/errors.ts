import 'server-only';

// The one error type every Zulip call throws, plus the configuration error. Messages are built
// only from the endpoint template, the HTTP status and Zulip's own `code`/`msg` (which the client
// redacts before they get here), so an error can be logged or serialized without leaking the key.

export type ZulipErrorKind = 'network' | 'timeout' | 'http' | 'invalid_response' | 'rate_limited';

export type ZulipErrorInit = {
  kind: ZulipErrorKind;
  /** Method + path template, e.g. "GET /users/{user_id_or_email}/presence". Never a concrete URL. */
  endpoint: string;
  status?: number;
  /** Zulip's machine-readable `code` (BAD_REQUEST, BAD_EVENT_QUEUE_ID, UNAUTHORIZED, RATE_LIMIT_HIT…). */
  code?: string;
  /** Zulip's human-readable (and translated) `msg`. Branch on `code`, never on this. */
  zulipMessage?: string;
  retryAfterSeconds?: number;
  /** Short, key-free detail (e.g. the zod issue path); appended to the message. */
  detail?: string;
  cause?: unknown;
};

/**
 * Marks ZulipErrors. Next bundles server code into several chunks, each with its own copy of
 * this class, and the one app (on globalThis, lib/server/app-handle.ts) is shared by all of them: an error made in one
 * chunk fails `instanceof` in another, so isZulipError checks this process-wide brand instead.
 */
const BRAND = Symbol.for('zulip-directory.ZulipError');

export class ZulipError extends Error {
  override readonly name = 'ZulipError';
  readonly [BRAND] = true;
  readonly kind: ZulipErrorKind;
  readonly endpoint: string;
  readonly status?: number;
  readonly code?: string;
  readonly zulipMessage?: string;
  readonly retryAfterSeconds?: number;

  constructor(init: ZulipErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code;
    this.zulipMessage = init.zulipMessage;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** Any 401: Zulip says the credentials or the account are unusable (the specific codes vary by version). */
  get isAuth(): boolean {
    return this.status === 401;
  }

  static isAuth(e: unknown): boolean {
    return isZulipError(e) && e.isAuth;
  }

  /** The queue was garbage-collected or is not ours: the fix is to register again. */
  static isBadEventQueue(e: unknown): boolean {
    return isZulipError(e) && e.code === 'BAD_EVENT_QUEUE_ID';
  }

  // Explicit so JSON.stringify(err) gives a useful, key-free object (Error's own fields are not enumerable).
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      zulipMessage: this.zulipMessage,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}

export function isZulipError(e: unknown): e is ZulipError {
  return e instanceof ZulipError || (e instanceof Error && (e as unknown as Record<symbol, unknown>)[BRAND] === true);
}

function describe(init: ZulipErrorInit): string {
  const parts = [`Zulip ${init.endpoint}:`];
  switch (init.kind) {
    case 'network':
      parts.push('network error');
      break;
    case 'timeout':
      parts.push('timed out');
      break;
    case 'invalid_response':
      parts.push('unexpected response');
      break;
    case 'rate_limited':
      parts.push('rate limited');
      break;
    case 'http':
      parts.push('request failed');
      break;
  }
  if (init.status !== undefined) parts.push(`(HTTP ${init.status}${init.code ? ` ${init.code}` : ''})`);
  else if (init.code) parts.push(`(${init.code})`);
  if (init.zulipMessage) parts.push(`"${init.zulipMessage}"`);
  if (init.retryAfterSeconds !== undefined) parts.push(`retry after ${init.retryAfterSeconds}s`);
  if (init.detail) parts.push(`- ${init.detail}`);
  return parts.join(' ');
}

/**
 * Missing or invalid Zulip configuration. The message names the variable, file and key at fault
 * and never contains a credential value.
 */
export class ZulipConfigError extends Error {
  override readonly name = 'ZulipConfigError';
}
