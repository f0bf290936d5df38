import type { LegacyPresence, UserPresence } from './schemas';

// Small, pure helpers that take Zulip's presence shapes apart. They do not decide active/idle/
// offline (lib/presence does); they only say which generation of data the server sent.

export type UserPresenceParts = {
  /** Per-client records, as sent: several before 7.0, only "website" from 7.0 on. */
  clients: Record<string, LegacyPresence>;
  aggregated?: LegacyPresence;
  /** 12.0-dev (FL ~497) modern fields, when the server sent them. */
  active_timestamp?: number;
  idle_timestamp?: number;
};

export function splitUserPresence(presence: UserPresence): UserPresenceParts {
  const { aggregated, active_timestamp, idle_timestamp, ...clients } = presence;
  const parts: UserPresenceParts = { clients: clients as Record<string, LegacyPresence> };
  if (aggregated !== undefined) parts.aggregated = aggregated;
  if (active_timestamp !== undefined) parts.active_timestamp = active_timestamp;
  if (idle_timestamp !== undefined) parts.idle_timestamp = idle_timestamp;
  return parts;
}
