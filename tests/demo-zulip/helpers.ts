// Shared helpers for the demo Zulip server tests: start a server, call it over real HTTP the way
// a Zulip client does (basic auth, form-encoded bodies, JSON-encoded values), and compare
// responses with the shapes of Zulip's published examples (tests/fixtures/zulip).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { startDemoZulip, type DemoZulip, type DemoZulipOptions } from '@/lib/demo-zulip/server';
import type { DemoUser } from '@/lib/demo-zulip/types';

export interface TestServer extends DemoZulip {
  /** Moves the server's clock (only when started with a controllable clock). */
  advance(seconds: number): void;
  nowMs(): number;
}

/** Starts a small, paused demo server on a free port with a clock the test can move. */
export async function startTestServer(opts: DemoZulipOptions = {}): Promise<TestServer> {
  let now = Date.now();
  const demo = await startDemoZulip({ port: 0, users: 40, simulation: false, clock: () => now, ...opts });
  return Object.assign(demo, {
    advance(seconds: number) {
      now += seconds * 1000;
    },
    nowMs: () => now,
  });
}

export type Params = Record<string, string | number | boolean | unknown[] | Record<string, unknown>>;

/** Zulip's encoding: strings as they are, everything else JSON-encoded. */
export function encodeParams(params: Params): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  return form.toString();
}

export interface Creds {
  email: string;
  apiKey: string;
}

export interface CallOptions {
  method?: string;
  params?: Params;
  /** Credentials; null sends no Authorization header. */
  auth?: Creds | null;
  headers?: Record<string, string>;
  /** A raw path (already encoded) instead of `path`-joined parameters. */
  rawQuery?: string;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export const basicAuth = (c: Creds) => `Basic ${Buffer.from(`${c.email}:${c.apiKey}`).toString('base64')}`;

/** One API call: GET/HEAD parameters in the query string, others form-encoded in the body. */
export async function call(server: Pick<DemoZulip, 'site' | 'bot'>, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const method = opts.method ?? 'GET';
  const auth = opts.auth === undefined ? server.bot : opts.auth;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (auth) headers.authorization ??= basicAuth(auth);
  let url = `${server.site}${path.startsWith('/') ? path : `/api/v1/${path}`}`;
  let body: string | undefined;
  const encoded = opts.params ? encodeParams(opts.params) : '';
  if (method === 'GET' || method === 'HEAD') {
    if (encoded) url += `?${encoded}`;
  } else if (encoded) {
    body = encoded;
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  if (opts.rawQuery !== undefined) url += `?${opts.rawQuery}`;
  const res = await fetch(url, { method, headers, body, signal: opts.signal });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // non-JSON answers (HTML errors, images) keep an empty body; tests read `text`
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A JSON call to the /demo/ control surface. */
export async function control(server: Pick<DemoZulip, 'site'>, method: string, path: string, body?: unknown): Promise<CallResult> {
  const res = await fetch(`${server.site}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown>, text };
}

export const credsOf = (user: DemoUser): Creds => ({ email: user.delivery_email, apiKey: user.api_key });

/** Picks a user from the live organization. */
export function findUser(server: DemoZulip, predicate: (u: DemoUser) => boolean, what = 'a matching user'): DemoUser {
  const user = server.org.users.find(predicate);
  if (!user) throw new Error(`the demo organization has no ${what}`);
  return user;
}

/**
 * An active human whose real address the (member) bot may not see. From FL 163 that is the
 * person's own setting; before, it is the realm's, so this restricts the realm to administrators
 * until the test ends (docs/zulip.md §f).
 */
export async function hiddenHuman(server: TestServer, featureLevel: number, predicate: (u: DemoUser) => boolean = () => true): Promise<DemoUser> {
  if (featureLevel < 163) {
    expect((await control(server, 'POST', '/demo/realm', { email_address_visibility: 'admins' })).status).toBe(200);
    onTestFinished(async () => {
      await control(server, 'POST', '/demo/realm', { email_address_visibility: 'everyone' });
    });
    return findUser(server, (u) => u.is_active && !u.is_bot && predicate(u), 'active human');
  }
  return findUser(server, (u) => u.is_active && !u.is_bot && !['everyone', 'members'].includes(u.email_visibility) && predicate(u), 'user with a hidden address');
}

/** An active human with presence switched on (the usual presence test subject). */
export const activeHuman = (u: DemoUser) => u.is_active && !u.is_bot && u.presence_enabled;

// --- fixtures and shapes ------------------------------------------------------------------------

export function fixture(name: string): Record<string, unknown> {
  const file = fileURLToPath(new URL(`../fixtures/zulip/${name}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export interface ShapeRules {
  /** Paths of objects keyed by ids or emails: each value is compared with the example's first value. */
  maps?: string[];
  /** Keys of the example that may be missing from the response, each with the reason. */
  absent?: Record<string, string>;
  /** Keys the response may have that the example lacks, each with the reason. */
  extra?: Record<string, string>;
  /** Paths where null and a value of the example's type are both fine. */
  nullable?: string[];
}

const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0;
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The union of array elements' keys; keys not in every element become optional. */
function mergeElements(items: unknown[]): { merged: unknown; optional: Set<string> } {
  if (!items.every((i) => kind(i) === 'object')) return { merged: items[0], optional: new Set() };
  const merged: Record<string, unknown> = {};
  const counts = new Map<string, number>();
  for (const item of items as Array<Record<string, unknown>>) {
    for (const [k, v] of Object.entries(item)) {
      // Prefer the most informative example: a value over null, a non-empty object over {}.
      if (!(k in merged) || merged[k] === null || isEmpty(merged[k])) merged[k] = v;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return { merged, optional: new Set([...counts].filter(([, n]) => n < items.length).map(([k]) => k)) };
}

/**
 * Collects differences between the shape (keys and value types, recursively) of `actual` and of
 * Zulip's example. Arrays compare every element with the union of the example's elements.
 */
export function shapeDiff(actual: unknown, example: unknown, rules: ShapeRules = {}, path = '$', optional = new Set<string>()): string[] {
  const errors: string[] = [];
  const ak = kind(actual);
  const ek = kind(example);
  if (ak !== ek) {
    const nullable = rules.nullable?.includes(path);
    if (!(nullable && (ak === 'null' || ek === 'null'))) errors.push(`${path}: ${ak} where Zulip's example has ${ek}`);
    return errors;
  }
  if (ak === 'array') {
    const items = example as unknown[];
    if (items.length === 0) return errors;
    const { merged, optional: opt } = mergeElements(items);
    (actual as unknown[]).forEach((item) => errors.push(...shapeDiff(item, merged, rules, `${path}[*]`, opt)));
    return errors;
  }
  if (ak !== 'object') return errors;
  const a = actual as Record<string, unknown>;
  const e = example as Record<string, unknown>;
  if (rules.maps?.includes(path)) {
    const { merged, optional: opt } = mergeElements(Object.values(e));
    for (const value of Object.values(a)) errors.push(...shapeDiff(value, merged, rules, `${path}{*}`, opt));
    return errors;
  }
  for (const key of Object.keys(e)) {
    const p = `${path}.${key}`;
    if (!(key in a)) {
      if (!optional.has(key) && !(rules.absent && p in rules.absent)) errors.push(`${p}: missing`);
      continue;
    }
    errors.push(...shapeDiff(a[key], e[key], rules, p));
  }
  for (const key of Object.keys(a)) {
    const p = `${path}.${key}`;
    if (!(key in e) && !(rules.extra && p in rules.extra)) errors.push(`${p}: not in Zulip's example`);
  }
  return errors;
}

export function expectShape(actual: unknown, example: unknown, rules: ShapeRules = {}): void {
  expect(shapeDiff(actual, example, rules)).toEqual([]);
}

/** Waits until `check` passes (for effects of timers: heartbeats, garbage collection). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a brand-new person through the control surface: active, no presence row, no status. */
export async function newPerson(server: TestServer, body: Record<string, unknown> = {}): Promise<{ user_id: number; creds: Creds; email: string }> {
  const res = await control(server, 'POST', '/demo/users', { full_name: 'Test Person', ...body });
  if (res.status !== 200) throw new Error(`creating a user failed: ${res.text}`);
  const user = res.body.user as { user_id: number; delivery_email: string; api_key: string; email: string };
  return { user_id: user.user_id, creds: { email: user.delivery_email, apiKey: user.api_key }, email: user.email };
}

export const UA = {
  browser: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  mobile: 'ZulipMobile/27.2 (Android 14)',
  desktop: 'ZulipDesktop/5.11.1 (Linux)',
  terminal: 'ZulipTerminal/0.7.0 Python/3.11',
};
