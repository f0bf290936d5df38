import type { PresenceBatch, PresenceRecord, UserPresenceDetail } from '@/lib/zulip/records';
import type { RecordIssue } from '@/lib/zulip/record-issues';
import { parseEvents } from '@/lib/zulip/parse-events';
import { parseModernEntry, parsePresenceMap, parseUserPresence } from '@/lib/zulip/parse-presence';
import { parseRegister } from '@/lib/zulip/parse-register';
import { parseFieldDefinitions, parseStatuses, parseUsers, type ParseContext } from '@/lib/zulip/parse-users';
import { registerEnvelopeSchema } from '@/lib/zulip/schemas';

// Test support: Zulip wire JSON (fixtures, hand-written users, events and presence) read through
// lib/zulip's real parsers, so tests of the stores and rules downstream keep exercising them.
// The `strict` context fails the test on any skipped record: what it reads must read cleanly.

export const strict: ParseContext = {
  endpoint: 'test',
  report: (issue) => {
    throw new Error(`unexpected record issue: ${JSON.stringify(issue)}`);
  },
};

/** A context that keeps every reported issue, for tests of what gets skipped. */
export function collecting(endpoint = 'test'): { ctx: ParseContext; issues: RecordIssue[] } {
  const issues: RecordIssue[] = [];
  return { ctx: { endpoint, report: (issue) => issues.push(issue) }, issues };
}

export const readUsers = (list: unknown[], isActive?: boolean) => parseUsers(list, strict, isActive);

/** A human's user object as GET /users sends it ("Person {id}", p{id}@example.com), with `extra` over it. */
export const zulipUser = (id: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: id,
  full_name: `Person ${id}`,
  email: `p${id}@example.com`,
  date_joined: '2020-01-01T00:00+00:00',
  is_bot: false,
  is_active: true,
  ...extra,
});
export const readFields = (list: unknown[]) => parseFieldDefinitions(list, strict);
export const readStatuses = (raw: Record<string, unknown>) => parseStatuses(raw, strict);

/** A register answer: the envelope through its schema, then every record through the parsers. */
export const readRegister = (body: unknown) => parseRegister(registerEnvelopeSchema.parse(body), strict);

/** One answered poll's events, as the client reads them (feature level as register said). */
export const readEvents = (events: unknown[], featureLevel = 372) => parseEvents(events, { ...strict, featureLevel });

/** A bulk presence map (register's `presences`, GET /realm/presence's). */
export const readPresenceMap = (raw: Record<string, unknown>, meta: Pick<PresenceBatch, 'complete' | 'serverTimestamp'> = { complete: true, serverTimestamp: null }) =>
  parsePresenceMap(raw, strict, meta);

/** One modern entry `{active_timestamp?, idle_timestamp?}`. */
export function readModern(raw: unknown): PresenceRecord {
  const record = parseModernEntry(raw);
  if (typeof record === 'string') throw new Error(`not a modern presence entry: ${record}`);
  return record;
}

/** GET /users/{id}/presence's `presence` (and top-level `server_timestamp`). */
export function readUserPresence(presence: Record<string, unknown>, serverTimestamp?: unknown): UserPresenceDetail {
  const detail = parseUserPresence(presence, serverTimestamp);
  if (typeof detail === 'string') throw new Error(`not a user presence answer: ${detail}`);
  return detail;
}
