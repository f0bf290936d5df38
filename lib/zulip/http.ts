import 'server-only';
import type { z } from 'zod';
import type { ZulipConfig } from './config';
import { ZulipError, type ZulipErrorKind } from './errors';
import type { Endpoint } from './path';
import { MAX_RESET_MS, type RequestBudget, type RequestPriority } from './rate-budget';
import { envelopeSchema } from './schemas';
import { summarizeZodError } from './zod-summary';

// The one place that talks HTTP to Zulip (dub's HttpBaseClient pattern): basic auth, a timeout
// combined with the caller's signal, body read as text, JSON-parsed, Zulip's {result, msg, code}
// envelope checked, then the endpoint's zod schema. Every failure becomes a ZulipError. Anything
// the server sends back (msg, error causes) passes through `redact` first, and messages are
// built from the endpoint template, so the API key cannot reach an error, its cause or a log.

export type Params = Record<string, unknown>;

export type CallOptions = {
  /** Cancels the call; the promise then rejects with the signal's reason (not a ZulipError). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** 'interactive' calls fail fast when the budget is low; 'background' calls wait. */
  priority?: RequestPriority;
};

export type HttpOptions = {
  fetch: typeof fetch;
  timeoutMs: number;
  budget: RequestBudget;
  userAgent: string;
  /** Told of every call that went out (after the budget let it): its endpoint template and how it ended. */
  onCall?: CallObserver;
};

/** How a call that went out ended: `ok`, the ZulipError's kind, or `aborted` (the caller gave up). */
export type CallOutcome = 'ok' | 'aborted' | ZulipErrorKind;
export type CallObserver = (endpoint: string, outcome: CallOutcome) => void;

export type RequestSpec<S extends z.ZodType> = {
  endpoint: Endpoint;
  schema: S;
  query?: Params;
  form?: Params;
  /** Default true. /server_settings needs no credentials, so it gets none. */
  auth?: boolean;
  /** Default true. Unauthenticated calls are limited per IP, not per bot: keep them out of the budget. */
  budgeted?: boolean;
  priority: RequestPriority;
  /** Values this call sends that must never appear in an error (a viewer's password). */
  secrets?: string[];
};

/** Where to send requests and, for authenticated calls, whose credentials to send. */
export type RequesterConfig = Pick<ZulipConfig, 'site'> & Partial<Pick<ZulipConfig, 'email' | 'apiKey'>>;

export type Requester = <S extends z.ZodType>(spec: RequestSpec<S>, options?: CallOptions) => Promise<z.output<S>>;

/** The secrets a client's errors and reports must never contain: the key and the header built from it. */
function credentialSecrets(config: RequesterConfig): string[] {
  return config.apiKey ? [config.apiKey, Buffer.from(`${config.email ?? ''}:${config.apiKey}`).toString('base64')] : [];
}

/** Removes the client's credentials from text that came from the server (record ids, reasons). */
export function credentialRedactor(config: RequesterConfig): (text: string) => string {
  return makeRedactor(credentialSecrets(config));
}

export function createRequester(config: RequesterConfig, http: HttpOptions): Requester {
  const base = `${config.site}/api/v1`;
  const baseSecrets = credentialSecrets(config);
  const credentials = baseSecrets[1] ?? null;

  return async function request(spec, options = {}) {
    const label = spec.endpoint.label;
    const redact = makeRedactor([...baseSecrets, ...(spec.secrets ?? [])]);
    const auth = spec.auth ?? true;
    // A programming error, not a Zulip failure: an anonymous client was asked for an authenticated call.
    if (auth && credentials === null) throw new TypeError(`${label} needs credentials, and this client has none`);
    const priority = options.priority ?? spec.priority;
    if (spec.budgeted ?? true) await http.budget.acquire(label, priority, options.signal);
    if (!http.onCall) return send(spec, options, redact);
    try {
      const result = await send(spec, options, redact);
      http.onCall(label, 'ok');
      return result;
    } catch (error) {
      http.onCall(label, error instanceof ZulipError ? error.kind : 'aborted');
      throw error;
    }
  };

  /** One call the budget let through, from the request to the parsed answer. */
  async function send<S extends z.ZodType>(spec: RequestSpec<S>, options: CallOptions, redact: (text: string) => string): Promise<z.output<S>> {
    const { endpoint, schema } = spec;
    const label = endpoint.label;
    const auth = spec.auth ?? true;
    const budgeted = spec.budgeted ?? true;

    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': http.userAgent };
    if (auth) headers.Authorization = `Basic ${credentials}`;
    let body: string | undefined;
    if (spec.form) {
      body = encodeParams(spec.form);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const url = base + endpoint.path + (spec.query ? `?${encodeParams(spec.query)}` : '');

    // The timeout starts after any budget wait, so waiting for the budget is not a timeout.
    const timeout = AbortSignal.timeout(options.timeoutMs ?? http.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let res: Response;
    let text: string;
    try {
      // redirect: 'manual' so credentials are never replayed to another origin and a POST is
      // never silently turned into a GET; a redirect means the site URL is wrong.
      res = await http.fetch(url, { method: endpoint.method, headers, body, signal, redirect: 'manual' });
      text = await res.text();
    } catch (err) {
      // No answer to read a count from; the call is no longer on its way either way.
      if (budgeted) http.budget.settle();
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw new ZulipError({ kind: 'timeout', endpoint: label });
      throw new ZulipError({ kind: 'network', endpoint: label, detail: describeCause(err, redact), cause: safeCause(err, redact) });
    }
    if (budgeted) http.budget.update(res.headers);

    const json = parseJson(text);
    const envelope = envelopeSchema.safeParse(json);
    const code = envelope.success ? envelope.data.code : undefined;
    const zulipMessage = envelope.success ? redact(envelope.data.msg) || undefined : undefined;
    const status = res.status;

    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after')) ?? bodyRetryAfter(json);
      // Awaited: a shared budget has told every instance by the time the caller sees the 429.
      if (budgeted && retryAfterSeconds !== undefined) await http.budget.block(retryAfterSeconds);
      throw new ZulipError({ kind: 'rate_limited', endpoint: label, status, code, zulipMessage, retryAfterSeconds });
    }
    if (status < 200 || status > 299) {
      const detail = status >= 300 && status < 400 ? 'unexpected redirect; check the Zulip site URL' : undefined;
      throw new ZulipError({ kind: 'http', endpoint: label, status, code, zulipMessage, detail });
    }
    if (json === undefined) throw new ZulipError({ kind: 'invalid_response', endpoint: label, status, detail: 'body is not JSON' });
    if (!envelope.success) {
      throw new ZulipError({ kind: 'invalid_response', endpoint: label, status, detail: summarizeZodError(envelope.error) });
    }
    if (envelope.data.result === 'error') throw new ZulipError({ kind: 'http', endpoint: label, status, code, zulipMessage });

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ZulipError({ kind: 'invalid_response', endpoint: label, status, detail: redact(summarizeZodError(parsed.error)) });
    }
    return parsed.data;
  }
}

/** Form/query encoding as Zulip's clients do it: strings as-is, everything else JSON-encoded. */
export function encodeParams(params: Params): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    out.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out.toString();
}

/**
 * Seconds, possibly fractional ("28.706807374954224"); or an HTTP date, per RFC 9110. At most
 * an hour, as a window's reset is (MAX_RESET_MS): a wait further out is more likely a proxy's or a
 * clock's mistake than Zulip's rule, and taken whole it would shut the budget for weeks.
 */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return boundedWait(seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? boundedWait((date - Date.now()) / 1000) : undefined;
}

function bodyRetryAfter(json: unknown): number | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const value = (json as Record<string, unknown>)['retry-after'];
  if (typeof value === 'number' && Number.isFinite(value)) return boundedWait(value);
  return typeof value === 'string' ? parseRetryAfter(value) : undefined;
}

const boundedWait = (seconds: number): number => Math.min(Math.max(seconds, 0), MAX_RESET_MS / 1000);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function makeRedactor(secrets: string[]): (text: string) => string {
  const needles = secrets.filter((s) => s.length >= 4);
  return (text) => needles.reduce((t, s) => t.split(s).join('[redacted]'), text);
}

// undici reports "fetch failed" with the useful part (ECONNREFUSED, UND_ERR_SOCKET…) in `cause`.
function describeCause(err: unknown, redact: (s: string) => string): string {
  const inner = (err as { cause?: unknown })?.cause;
  const code = (inner as { code?: unknown })?.code ?? (err as { code?: unknown })?.code;
  const message = inner instanceof Error ? inner.message : err instanceof Error ? err.message : String(err);
  return redact(typeof code === 'string' ? `${code}: ${message}` : message).slice(0, 200);
}

// The original error may reference request internals; keep only a redacted copy of its text.
function safeCause(err: unknown, redact: (s: string) => string): Error {
  const copy = new Error(describeCause(err, redact));
  copy.name = err instanceof Error ? err.name : 'Error';
  return copy;
}
