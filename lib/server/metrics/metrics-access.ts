import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';

// Who may read /metrics (README, "Running it in production"). Only whoever holds
// DIRECTORY_METRICS_TOKEN, sent as `Authorization: Bearer <token>`; without the setting the
// route does not exist (404). Never by address: behind a reverse proxy every request comes from
// loopback, so an address proves nothing.

/** The token, null when metrics are off, or why the setting cannot be used (metrics then stay off, saying so). */
export type MetricsSettings = { ok: true; token: string | null } | { ok: false; message: string };

/** Shorter than this is guessable by anyone who can reach the port. */
const MIN_TOKEN_LENGTH = 16;

export function loadMetricsSettings(env: { DIRECTORY_METRICS_TOKEN?: string }): MetricsSettings {
  const token = env.DIRECTORY_METRICS_TOKEN?.trim() || null;
  if (token !== null && (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    return { ok: false, message: `DIRECTORY_METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters with no spaces (openssl rand -hex 32)` };
  }
  return { ok: true, token };
}

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 404 | 503; message: string };

/** Whether a request bearing `authorization` may read the metrics. Compared in constant time (both hashed to one length first). */
export function metricsAccess(settings: MetricsSettings, authorization: string | null): MetricsAccess {
  if (!settings.ok) return { ok: false, status: 503, message: `Metrics are off until their setting is fixed: ${settings.message}.` };
  if (settings.token === null) return { ok: false, status: 404, message: 'Metrics are off (DIRECTORY_METRICS_TOKEN is not set).' };
  const offered = /^Bearer (\S+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(offered), digest(settings.token))) return { ok: false, status: 401, message: 'Metrics need the token: Authorization: Bearer <DIRECTORY_METRICS_TOKEN>.' };
  return { ok: true };
}
