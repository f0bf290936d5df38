import { z } from 'zod';
import { loadClientAddressSource, type ClientAddressSource } from '@/lib/access/client-address';
import type { LoadedZulipConfig } from '@/lib/zulip/config';

// Who may view the directory (README, "Who can see the directory"). Read from the environment,
// validated with zod, and fail-closed: a mode that is set but incomplete, or no mode at all with
// a real Zulip configured, refuses every request for staff data with a message saying what to set.
//
//   DIRECTORY_ACCESS=open    anyone who can reach the app (the default only for the demo organization)
//   DIRECTORY_ACCESS=proxy   a reverse proxy has signed the person in: it sends their email in
//                            DIRECTORY_PROXY_HEADER and proves it is the proxy with DIRECTORY_PROXY_SECRET
//   DIRECTORY_ACCESS=zulip   people sign in with their Zulip email and password (or API key);
//                            sessions are cookies signed with DIRECTORY_SESSION_SECRET; the client
//                            address for the sign-in limits comes from DIRECTORY_TRUSTED_PROXY_HOPS
//                            or DIRECTORY_CLIENT_IP_HEADER (lib/access/client-address.ts)
//
// And in every mode DIRECTORY_PUBLIC_URL (optional): the address people open, e.g.
// https://directory.example.com. When it is https, cookies are Secure (`__Host-`) even behind a
// TLS proxy that does not send X-Forwarded-Proto, and the redirects the app builds point at it.

export type AccessConfig =
  | { mode: 'open' }
  | { mode: 'proxy'; identityHeader: string; secretHeader: string; secret: string }
  | { mode: 'zulip'; sessionSecret: string; sessionSeconds: number }
  /** A real Zulip is configured and no mode was chosen: nobody sees staff data until one is. */
  | { mode: 'unconfigured' }
  /** A mode was chosen but its settings are missing or wrong: refuse, and say which. */
  | { mode: 'invalid'; message: string };

export type AccessMode = AccessConfig['mode'];

/** Everything about who may view the directory, as read once from the settings (lib/server/app-settings.ts). */
export interface AccessSettings {
  config: AccessConfig;
  /** DIRECTORY_PUBLIC_URL's origin, or null. */
  publicUrl: string | null;
  /** Where the client's address comes from, for the sign-in limits (client-address.ts). */
  clientAddress: ClientAddressSource;
}

/** Reads the access settings; never throws: problems make `config` `{ mode: 'invalid' }`, and every request is refused saying why. */
export function loadAccessSettings(env: Partial<NodeJS.ProcessEnv>, zulip: LoadedZulipConfig): AccessSettings {
  const publicUrl = loadPublicUrl(env);
  const clientAddress = loadClientAddressSource(env);
  return {
    config: loadAccessConfig(env, zulip),
    publicUrl: publicUrl.ok ? publicUrl.origin : null,
    clientAddress: 'error' in clientAddress ? { kind: 'none' } : clientAddress,
  };
}

/** The header a proxy proves itself with (the value is DIRECTORY_PROXY_SECRET). */
export const PROXY_SECRET_HEADER = 'x-directory-proxy-secret';
export const DEFAULT_PROXY_HEADER = 'x-forwarded-email';
export const SESSION_HOURS = 12;

const secret = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .min(32, `${name} must be at least 32 characters (e.g. the output of \`openssl rand -base64 32\`)`)
    .max(1024, `${name} must be at most 1024 characters`);

const headerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]{1,100}$/, 'DIRECTORY_PROXY_HEADER must be an HTTP header name, e.g. X-Forwarded-Email')
  .refine((h) => !['cookie', 'authorization', 'host', PROXY_SECRET_HEADER].includes(h), 'DIRECTORY_PROXY_HEADER cannot be that header');

const envSchema = z.discriminatedUnion(
  'DIRECTORY_ACCESS',
  [
    z.object({ DIRECTORY_ACCESS: z.literal('open') }),
    z.object({
      DIRECTORY_ACCESS: z.literal('proxy'),
      DIRECTORY_PROXY_HEADER: headerName.default(DEFAULT_PROXY_HEADER),
      DIRECTORY_PROXY_SECRET: secret('DIRECTORY_PROXY_SECRET'),
    }),
    z.object({ DIRECTORY_ACCESS: z.literal('zulip'), DIRECTORY_SESSION_SECRET: secret('DIRECTORY_SESSION_SECRET') }),
  ],
  { error: 'DIRECTORY_ACCESS must be "open", "proxy" or "zulip"' },
);

const PUBLIC_URL_RULE = 'DIRECTORY_PUBLIC_URL must be the address people open the directory at: http(s), a host, no path, query or user name (e.g. https://directory.example.com)';

const publicUrlSchema = z
  .string()
  .max(2048, PUBLIC_URL_RULE)
  .refine((raw) => URL.canParse(raw) && !/[?#]/.test(raw), PUBLIC_URL_RULE)
  .transform((raw) => new URL(raw))
  .refine((url) => /^https?:$/.test(url.protocol) && url.hostname !== '' && !url.username && !url.password && url.pathname === '/', PUBLIC_URL_RULE);

/** DIRECTORY_PUBLIC_URL as an origin ("https://directory.example.com"), null when unset. */
export function loadPublicUrl(env: Partial<NodeJS.ProcessEnv>): { ok: true; origin: string | null } | { ok: false; message: string } {
  const raw = env.DIRECTORY_PUBLIC_URL?.trim();
  if (!raw) return { ok: true, origin: null };
  const parsed = publicUrlSchema.safeParse(raw);
  // The message names the variable and the rule, never the value.
  return parsed.success ? { ok: true, origin: parsed.data.origin } : { ok: false, message: PUBLIC_URL_RULE };
}

/** Reads the access settings from `env`, beside the Zulip configuration read from the same settings. Never throws: problems become `{mode: 'invalid'}`. */
function loadAccessConfig(env: Partial<NodeJS.ProcessEnv>, zulip: LoadedZulipConfig): AccessConfig {
  const publicUrl = loadPublicUrl(env);
  if (!publicUrl.ok) return { mode: 'invalid', message: publicUrl.message };
  // In every mode, as DIRECTORY_PUBLIC_URL: they decide which host export and vCard links name.
  const address = loadClientAddressSource(env);
  if ('error' in address) return { mode: 'invalid', message: address.error };
  const raw = Object.fromEntries(
    ['DIRECTORY_ACCESS', 'DIRECTORY_PROXY_HEADER', 'DIRECTORY_PROXY_SECRET', 'DIRECTORY_SESSION_SECRET']
      .map((k) => [k, env[k]?.trim() || undefined])
      .filter(([, v]) => v !== undefined),
  );
  if (raw.DIRECTORY_ACCESS === undefined) return zulip.mode === 'zulip' ? { mode: 'unconfigured' } : { mode: 'open' };
  const parsed = envSchema.safeParse(raw);
  // Messages name the variable and the rule, never a value.
  if (!parsed.success) return { mode: 'invalid', message: parsed.error.issues[0]?.message ?? 'Invalid access settings' };
  const c = parsed.data;
  switch (c.DIRECTORY_ACCESS) {
    case 'open':
      return { mode: 'open' };
    case 'proxy':
      return { mode: 'proxy', identityHeader: c.DIRECTORY_PROXY_HEADER, secretHeader: PROXY_SECRET_HEADER, secret: c.DIRECTORY_PROXY_SECRET };
    case 'zulip':
      return { mode: 'zulip', sessionSecret: c.DIRECTORY_SESSION_SECRET, sessionSeconds: SESSION_HOURS * 3600 };
  }
}

/**
 * Whether people reach the app over https: DIRECTORY_PUBLIC_URL's scheme when it is set
 * (whatever the request says), else the proxy's X-Forwarded-Proto (Next's server sets it from its
 * own listener when no proxy did), else the scheme of the request's address when there is one.
 * From headers, so a page (which has only the headers) decides as its route and proxy.ts do.
 */
export function servedOverHttps(headers: Headers, requestUrl: string | undefined, access: Pick<AccessSettings, 'publicUrl'>): boolean {
  const configured = access.publicUrl;
  if (configured !== null) return configured.startsWith('https:');
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' || (requestUrl !== undefined && requestUrl.startsWith('https:'));
}
