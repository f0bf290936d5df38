// Presence in every generation Zulip has sent it (docs/zulip.md §a, §b, §e), record by record:
// modern entries `{active_timestamp, idle_timestamp}` keyed by user id (either key may be missing
// before 7.0: "no such row"), and legacy per-client dicts `{website: {status, timestamp}, …,
// aggregated}` keyed by API email or user id. One entry that fits neither is reported and skipped.
import type { ClientPresence, PresenceBatch, PresenceRecord, UserPresenceDetail } from './records';
import { read } from './record-issues';
import type { ParseContext } from './parse-users';

/** Zulip 7.0 (FL 178) keeps one row per person, so a legacy record is the whole row from then on. */
export const FL_ONE_ROW_PER_PERSON = 178;

const STATUSES = new Set(['active', 'idle', 'offline']);
const MODERN_KEYS = ['active_timestamp', 'idle_timestamp'] as const;

/** A modern entry; a missing (or null) key reads as 0, as Zulip's web app reads it. */
export function parseModernEntry(raw: unknown): PresenceRecord | string {
  const entry = read.object(raw);
  if (!entry) return 'not an object';
  const times = [0, 0];
  for (const [i, key] of MODERN_KEYS.entries()) {
    const value = entry[key];
    if (value === undefined || value === null) continue;
    const n = read.number(value);
    if (n === null) return `${key} is not a number`;
    times[i] = n;
  }
  return { activeTimestamp: times[0]!, idleTimestamp: times[1]! };
}

/** One legacy `{status, timestamp}` record (client and pushable are extra and ignored). */
export function parseClientPresence(client: string, raw: unknown): ClientPresence | null {
  const entry = read.object(raw);
  const status = entry?.status;
  const timestamp = read.number(entry?.timestamp);
  if (typeof status !== 'string' || !STATUSES.has(status) || timestamp === null) return null;
  return { client, status: status as ClientPresence['status'], timestamp };
}

/**
 * A legacy per-client dict folded into the modern pair the way Zulip's web app folds legacy
 * data: an active record raises the active time, an idle one the idle time. `aggregated`
 * repeats the newest client (and may say a computed "offline"), so it is read only when alone.
 */
export function foldClients(clients: ClientPresence[], aggregated: ClientPresence | null): PresenceRecord {
  const record = { activeTimestamp: 0, idleTimestamp: 0 };
  for (const c of clients.length > 0 ? clients : aggregated ? [aggregated] : []) {
    if (c.status === 'active') record.activeTimestamp = Math.max(record.activeTimestamp, c.timestamp);
    else if (c.status === 'idle') record.idleTimestamp = Math.max(record.idleTimestamp, c.timestamp);
  }
  return record;
}

/** A legacy dict's records; unreadable clients are left out and named to `onBadClient` (null when none is readable). */
function parseLegacyDict(raw: unknown, onBadClient?: (client: string) => void): { clients: ClientPresence[]; aggregated: ClientPresence | null } | null {
  const dict = read.object(raw);
  if (!dict) return null;
  const clients: ClientPresence[] = [];
  let aggregated: ClientPresence | null = null;
  for (const key in dict) {
    if (!Object.hasOwn(dict, key) || key === 'active_timestamp' || key === 'idle_timestamp') continue;
    const record = parseClientPresence(key, dict[key]);
    if (record === null) {
      onBadClient?.(key);
      continue;
    }
    if (key === 'aggregated') aggregated = record;
    else clients.push(record);
  }
  return clients.length > 0 || aggregated ? { clients, aggregated } : null;
}

/** A modern entry has the modern keys (or none at all, before 7.0); a legacy one a record per client. */
function isModernShape(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  if ('active_timestamp' in raw || 'idle_timestamp' in raw) return true;
  for (const key in raw) if (Object.hasOwn(raw, key)) return false;
  return true;
}

/**
 * Bulk presence: register's `presences` (modern with slim_presence; legacy keyed by email from
 * servers that ignore it) and GET /realm/presence's (legacy, keyed by API email).
 */
export function parsePresenceMap(
  raw: Record<string, unknown>,
  ctx: ParseContext,
  meta: Pick<PresenceBatch, 'complete' | 'serverTimestamp'>,
): PresenceBatch {
  const batch: PresenceBatch = { byId: new Map(), byApiEmail: new Map(), ...meta };
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const entry = raw[key];
    const id = /^\d{1,15}$/.test(key) ? Number(key) : null;
    let record: PresenceRecord | string;
    if (isModernShape(entry)) {
      record = parseModernEntry(entry);
    } else {
      const badClients: string[] = [];
      const dict = parseLegacyDict(entry, (client) => badClients.push(client));
      record = dict ? foldClients(dict.clients, dict.aggregated) : 'neither a modern nor a legacy presence entry';
      // The person loads from the clients that could be read; the others are named one by one.
      if (dict) for (const client of badClients) ctx.report({ kind: 'presence', id: `${key.slice(0, 100)}/${client.slice(0, 40)}`, reason: 'client record needs a status and a numeric timestamp', endpoint: ctx.endpoint });
    }
    if (typeof record === 'string') {
      ctx.report({ kind: 'presence', id: key.slice(0, 100), reason: record, endpoint: ctx.endpoint });
    } else if (id !== null) {
      batch.byId.set(id, record);
    } else {
      batch.byApiEmail.set(key, record);
    }
  }
  return batch;
}

/** GET /users/{id}/presence's `presence` object, or a reason it is not one. */
export function parseUserPresence(raw: Record<string, unknown>, serverTimestamp: unknown): UserPresenceDetail | string {
  const dict = parseLegacyDict(raw);
  const hasModern = MODERN_KEYS.some((key) => key in raw);
  const modern = hasModern ? parseModernEntry(raw) : null;
  if (typeof modern === 'string') return modern;
  if (!dict && !modern) return 'has neither client records nor active_timestamp';
  const clients = dict?.clients ?? [];
  const aggregated = dict?.aggregated ?? null;
  return { clients, aggregated, modern, record: modern ?? foldClients(clients, aggregated), serverTimestamp: read.number(serverTimestamp) };
}

/** A presence event, either format (docs/zulip.md §e), as a batch. */
export function parsePresenceEvent(event: Record<string, unknown>, ctx: ParseContext & { featureLevel: number }): PresenceBatch | string {
  const presences = read.object(event.presences);
  if (presences) {
    // FL 419+ simplified events: several people, modern entries, each a whole row. One odd
    // entry is reported and skipped; the others still apply.
    const batch: PresenceBatch = { byId: new Map(), byApiEmail: new Map(), complete: true, serverTimestamp: null };
    for (const key in presences) {
      if (!Object.hasOwn(presences, key)) continue;
      const id = /^\d{1,15}$/.test(key) ? Number(key) : null;
      const record = parseModernEntry(presences[key]);
      const reason = id === null ? 'key is not a user id' : typeof record === 'string' ? record : null;
      if (reason !== null) ctx.report({ kind: 'presence', id: key.slice(0, 100), reason, endpoint: ctx.endpoint });
      else batch.byId.set(id!, record as PresenceRecord);
    }
    return batch;
  }
  const featureLevel = ctx.featureLevel;
  const userId = read.int(event.user_id);
  const dict = parseLegacyDict(event.presence);
  if (userId === null || !dict) return 'needs user_id and a presence dict';
  return {
    byId: new Map([[userId, foldClients(dict.clients, dict.aggregated)]]),
    byApiEmail: new Map(),
    // Before 7.0 the event carries the one client that reported, not the person's whole row.
    complete: featureLevel >= FL_ONE_ROW_PER_PERSON,
    serverTimestamp: read.number(event.server_timestamp),
  };
}
