import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ZulipConfigError } from './errors';
import { parseIni } from './zuliprc';

// Zulip's own configuration conventions (the Python bindings and zulip-terminal use them):
// ZULIP_SITE / ZULIP_EMAIL / ZULIP_API_KEY, or a zuliprc INI file with [api] site/email/key.
// Nothing configured at all means demo mode. Anything half-configured is an error that names
// the variable, file and key at fault, never the key's value.

export type ZulipConfig = {
  /** Normalized origin + path, no trailing slash, e.g. "https://chat.example.com". */
  site: string;
  email: string;
  apiKey: string;
};

export type LoadedZulipConfig =
  | { mode: 'zulip'; config: ZulipConfig; source: 'env' | 'zuliprc' }
  | { mode: 'demo' };

type SiteResult = { ok: true; site: string } | { ok: false; reason: string };

/** Normalizes a site as Zulip's bindings do: add a scheme if missing, drop trailing "/" and "/api". */
export function normalizeSite(input: string): SiteResult {
  let s = input.trim();
  if (s === '') return { ok: false, reason: 'is empty' };
  // python-zulip-api: "localhost…" gets http://, anything else without a scheme gets https://.
  if (/^(localhost|127\.0\.0\.1)([:/]|$)/i.test(s)) s = `http://${s}`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'is not an http(s) URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not contain a user name or password' };
  if (url.search || url.hash) return { ok: false, reason: 'must not contain "?" or "#"' };
  // The bindings append "/api" unless the site already ends with it; we append "/api/v1" ourselves.
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api(\/v1)?$/, '');
  return { ok: true, site: url.origin + base };
}

const configSchema = z.object({
  site: z.string().transform((value, ctx) => {
    const result = normalizeSite(value);
    if (result.ok) return result.site;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }),
  email: z.string().trim().regex(/^[^\s@:]+@[^\s@:]+$/, 'is not an email address'),
  // Basic auth is "email:key", so a ":" or whitespace in the key cannot work.
  apiKey: z.string().trim().regex(/^[^\s:]+$/, 'is malformed (it must not contain spaces or ":")'),
});

type Field = keyof z.input<typeof configSchema>;
type Raw = Record<Field, string | undefined>;

const ENV_NAMES: Record<Field, string> = { site: 'ZULIP_SITE', email: 'ZULIP_EMAIL', apiKey: 'ZULIP_API_KEY' };
const RC_KEYS: Record<Field, string> = { site: 'site', email: 'email', apiKey: 'key' };
const FIELDS: Field[] = ['site', 'email', 'apiKey'];

export function loadZulipConfig(
  env: Partial<NodeJS.ProcessEnv> = process.env,
  home: string = os.homedir(),
): LoadedZulipConfig {
  const fromEnv: Raw = { site: nonEmpty(env.ZULIP_SITE), email: nonEmpty(env.ZULIP_EMAIL), apiKey: nonEmpty(env.ZULIP_API_KEY) };
  const envSet = FIELDS.filter((f) => fromEnv[f] !== undefined);
  const rcVar = nonEmpty(env.ZULIPRC);

  if (envSet.length > 0 && rcVar !== undefined) {
    throw new ZulipConfigError(
      `Both ZULIPRC and ${list(envSet.map((f) => ENV_NAMES[f]))} are set; configure Zulip with one or the other`,
    );
  }
  if (envSet.length > 0) {
    const missing = FIELDS.filter((f) => fromEnv[f] === undefined).map((f) => ENV_NAMES[f]);
    if (missing.length > 0) {
      const present = envSet.map((f) => ENV_NAMES[f]);
      throw new ZulipConfigError(
        `${list(missing)} ${missing.length === 1 ? 'is' : 'are'} not set (${list(present)} ${present.length === 1 ? 'is' : 'are'})`,
      );
    }
    return { mode: 'zulip', config: validate(fromEnv, (f) => ENV_NAMES[f]), source: 'env' };
  }

  if (rcVar !== undefined) {
    const file = path.resolve(expandHome(rcVar, home));
    if (!fs.existsSync(file)) throw new ZulipConfigError(`ZULIPRC is set to ${file}, which does not exist`);
    return { mode: 'zulip', config: readZuliprc(file), source: 'zuliprc' };
  }
  const defaultFile = path.join(home, '.zuliprc');
  if (fs.existsSync(defaultFile)) return { mode: 'zulip', config: readZuliprc(defaultFile), source: 'zuliprc' };
  return { mode: 'demo' };
}

function readZuliprc(file: string): ZulipConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ZulipConfigError(`zuliprc ${file}: cannot be read (${code})`);
  }
  const api = parseIni(text).get('api');
  if (!api) throw new ZulipConfigError(`zuliprc ${file}: no [api] section`);
  const raw: Raw = { site: nonEmpty(api.get('site')), email: nonEmpty(api.get('email')), apiKey: nonEmpty(api.get('key')) };
  const missing = FIELDS.filter((f) => raw[f] === undefined).map((f) => RC_KEYS[f]);
  if (missing.length > 0) {
    throw new ZulipConfigError(`zuliprc ${file}: [api] ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} missing`);
  }
  return validate(raw, (f) => `zuliprc ${file}: [api] ${RC_KEYS[f]}`);
}

function validate(raw: Raw, name: (field: Field) => string): ZulipConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // One clear message: the first problem, named. Issue messages are ours and carry no values.
  const issue = parsed.error.issues[0]!;
  const field = issue.path[0] as Field;
  throw new ZulipConfigError(`${name(field)} ${issue.message}`);
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
