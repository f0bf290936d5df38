// Zulip's error responses: `{"result":"error","msg":…,"code":…, …extra fields}` with the HTTP
// status Zulip uses. Handlers throw ApiError; the router turns it into the exact body.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    msg: string,
    /** Zulip's `code`; null for the few responses that have none (405). */
    readonly code: string | null = 'BAD_REQUEST',
    /** Extra top-level body fields (`queue_id`, `var_name`, `retry-after`, `allowed_methods`…). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { result: 'error', msg: this.message };
    if (this.code !== null) body.code = this.code;
    return { ...body, ...this.extra };
  }
}

/** A JsonableError: HTTP 400, code BAD_REQUEST. */
export const badRequest = (msg: string) => new ApiError(400, msg);

/** `RequestVariableMissingError`. */
export const missingArgument = (name: string) =>
  new ApiError(400, `Missing '${name}' argument`, 'REQUEST_VARIABLE_MISSING', { var_name: name });

/** Every basic-auth failure is rewrapped by Zulip as UnauthorizedError with this header (docs/zulip.md §h). */
export const unauthorized = (msg: string) =>
  new ApiError(401, msg, 'UNAUTHORIZED', {}, { 'WWW-Authenticate': 'Basic realm="zulip"' });

/** `json_method_not_allowed`: no `code` key, checked before authentication. */
export const methodNotAllowed = (allowed: string[]) =>
  new ApiError(405, 'Method Not Allowed', null, { allowed_methods: allowed });

export const notFound = () => new ApiError(404, 'Not Found');

export const badEventQueueId = (queueId: string) =>
  new ApiError(400, `Bad event queue ID: ${queueId}`, 'BAD_EVENT_QUEUE_ID', { queue_id: queueId });

/** RateLimitedError: `retry-after` in the body and `Retry-After` header, both possibly fractional. */
export const rateLimited = (retryAfter: number) =>
  new ApiError(429, 'API usage exceeded rate limit', 'RATE_LIMIT_HIT', { 'retry-after': retryAfter }, { 'Retry-After': String(retryAfter) });
