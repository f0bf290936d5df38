import 'server-only';
import { z } from 'zod';
import { parseWorkingHours } from '@/lib/directory/domain/availability/working-hours';

// Tunables of the directory itself (Zulip credentials live in lib/zulip/config.ts).
const DEFAULT_LEASE_SECONDS = 10;

const schema = z.object({
  PRESENCE_REFRESH_SECONDS: z.coerce.number().min(5).max(600).default(15),
  PRESENCE_DETAIL_CACHE_SECONDS: z.coerce.number().min(1).max(600).default(10),
  DIRECTORY_NAME: z.string().trim().min(1).max(100).optional(),
  /**
   * The longest any call to Zulip may take, and so the longest a page or API request ever waits
   * on Zulip (default 10 s). Optional in the type so callers that build settings by hand (tests,
   * benchmarks) need not name it.
   */
  ZULIP_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).optional(),
  /**
   * Guests (Zulip's role 600) are not staff: they are not listed and cannot sign in unless this
   * is "true" (README, "Who can see the directory"). Optional in the type, like the timeout.
   */
  DIRECTORY_ALLOW_GUESTS: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('false')
    .transform((v) => v === 'true')
    .optional(),
  /**
   * With several instances (REDIS_URL): how long the leader's lease lasts unrenewed, so how soon
   * another instance takes over from one that died (docs/architecture.md §10). Optional in the
   * type, like the timeout.
   */
  DIRECTORY_LEASE_SECONDS: z.coerce.number().min(3).max(60).default(DEFAULT_LEASE_SECONDS).optional(),
  /** Working hours of people whose profile gives none, e.g. "Mon-Fri 09:00-17:00" (docs/architecture.md §18). */
  DIRECTORY_WORKING_HOURS: z
    .string()
    .trim()
    .max(200)
    .refine((v) => v === '' || parseWorkingHours(v) !== null, 'must be working hours such as "Mon-Fri 09:00-17:00"')
    .transform((v) => v || null)
    .optional(),
  /** Custom profile fields, by name or id, comma-separated, that the directory never uses or sends (docs/architecture.md §18). */
  DIRECTORY_HIDDEN_FIELDS: z
    .string()
    .max(2_000)
    .transform((v) => v.split(',').map((f) => f.trim()).filter(Boolean))
    .optional(),
});

export const DEFAULT_ZULIP_TIMEOUT_SECONDS = 10;

/**
 * Whole milliseconds: a setting in seconds may have decimals ("16.1"), and 16.1 × 1000 is
 * 16100.000000000002, which Redis refuses as an expiry ("value is not an integer").
 */
const millis = (seconds: number) => Math.round(seconds * 1000);

/** The Zulip call timeout in milliseconds, from settings or the default. */
export function zulipTimeoutMs(settings: Pick<DirectorySettings, 'ZULIP_TIMEOUT_SECONDS'>): number {
  return millis(settings.ZULIP_TIMEOUT_SECONDS ?? DEFAULT_ZULIP_TIMEOUT_SECONDS);
}

/** How long the leader's lease lasts unrenewed, in milliseconds. */
export function leaseMs(settings: Pick<DirectorySettings, 'DIRECTORY_LEASE_SECONDS'>): number {
  return millis(settings.DIRECTORY_LEASE_SECONDS ?? DEFAULT_LEASE_SECONDS);
}

/** How often presence is polled, in milliseconds. */
export function refreshMs(settings: Pick<DirectorySettings, 'PRESENCE_REFRESH_SECONDS'>): number {
  return millis(settings.PRESENCE_REFRESH_SECONDS);
}

/** How long a per-person presence breakdown is kept, in milliseconds. */
export function detailCacheMs(settings: Pick<DirectorySettings, 'PRESENCE_DETAIL_CACHE_SECONDS'>): number {
  return millis(settings.PRESENCE_DETAIL_CACHE_SECONDS);
}

export type DirectorySettings = z.infer<typeof schema>;

export function loadSettings(env: Partial<NodeJS.ProcessEnv>): DirectorySettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
