import 'server-only';
import { z } from 'zod';
import type { ClientPresence, FieldRecord, UserGroupRecord, UserGroupUpdate, UserPresenceDetail } from '@/lib/zulip/records';
import type { RecordIssue, RecordKind } from '@/lib/zulip/record-issues';
import type { Person, PresenceChange } from '@/lib/directory/domain/types';
import type { ReplicaRecord } from '@/lib/directory/domain/people-store';
import { inertText } from '@/lib/directory/domain/safe-text';
import { knownTimeZone, resolveAvatarUrl } from '@/lib/directory/domain/to-person';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';
import { workingHoursOf } from '@/lib/directory/domain/availability/working-hours';

// What a follower reads back from Redis, checked record by record as Zulip's own data is
// (docs/zulip.md §l, docs/architecture.md §10 "Nothing from Redis is trusted further than Zulip
// is"): a record that does not fit is skipped and reported, the others are kept; every string
// passes the same inertText as Zulip's, time zones the same check, and links and image origins
// are pinned to the configured Zulip site. The records are the leader's derived ones (a member's
// view), never Zulip's raw ones, so the shapes here are the app's.

/** What the reader knows that Redis must not be able to change. */
export interface RecordContext {
  /** The configured Zulip site (ZULIP_SITE): links into Zulip and avatars are pinned to its origin. */
  site: string;
  /** True when what was read carried a valid signature (REDIS_SHARED_SECRET): avatars may then be on any http(s) origin, as the leader read them from Zulip. */
  signed: boolean;
  report: (issue: RecordIssue) => void;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const status = z.object({ text: text(1_000).nullable(), emoji: text(64).nullable(), emojiName: text(200).nullable() }).strict();
/** A manager field's text holds at most 20,000 characters, so never 10,000 ids. */
const MAX_MANAGER_IDS = 10_000;
const person = z
  .object({
    id,
    name: text(1_000),
    apiEmail: text(320),
    email: text(320).nullable(),
    avatarUrl: text(2_000).nullable(),
    timezone: text(100),
    dateJoined: text(64),
    role: z.number().int(),
    isGuest: z.boolean(),
    pronouns: text(1_000).nullable(),
    title: text(1_000).nullable(),
    department: text(1_000).nullable(),
    office: text(1_000).nullable(),
    // As many as a manager field's text may hold (20,000 characters of "[1,2,…]"): more would be
    // a record no leader writes, fewer would drop a person the leader lists.
    managerIds: z.array(id).max(MAX_MANAGER_IDS),
    fields: z.record(z.string().regex(/^\d{1,15}$/), text(20_000)),
    status: status.nullable(),
    // Both derived again here from the status and the hours' text (cleanPerson), never taken as
    // read; absent from a leader of an earlier version (during a rolling upgrade).
    statusMeaning: z.unknown().optional(),
    workingHours: z.object({ text: text(1_000) }).loose().nullable().optional(),
  })
  .strict();
// isGuest: absent from a leader of an earlier version (during a rolling upgrade), and for anyone not a guest.
const former = z.object({ id, name: text(1_000), managerIds: z.array(id).max(MAX_MANAGER_IDS), isGuest: z.boolean().optional() }).strict();
const replicaRecord = z.object({ id, person: person.nullable(), former: former.nullable(), memberKey: text(100).nullable() }).strict();
const field = z.object({ id, type: z.number().int(), name: text(200), hint: text(1_000), fieldData: text(100_000), order: z.number().int(), editableByUser: z.boolean().optional() }).strict();
const group = z
  .object({ id, name: text(1_000), description: text(10_000), memberIds: z.array(id).max(200_000), subgroupIds: z.array(id).max(10_000), isSystem: z.boolean(), deactivated: z.boolean() })
  .strict();
const groupUpdate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group_added'), group }).strict(),
  z.object({ kind: z.literal('group_updated'), groupId: id, changes: group.pick({ name: true, description: true, deactivated: true }).partial().strict() }).strict(),
  z.object({ kind: z.enum(['group_members_added', 'group_members_removed']), groupId: id, userIds: z.array(id).max(200_000) }).strict(),
  z.object({ kind: z.enum(['group_subgroups_added', 'group_subgroups_removed']), groupId: id, subgroupIds: z.array(id).max(10_000) }).strict(),
  z.object({ kind: z.literal('group_removed'), groupId: id }).strict(),
]);
const presenceChange = z
  .object({ id, presence: z.object({ state: z.enum(['active', 'idle', 'offline']), lastActiveAt: z.number().finite().nullable() }).strict().nullable() })
  .strict();

const GRAVATAR_HOSTS = new Set(['secure.gravatar.com', 'www.gravatar.com', 'gravatar.com']);

/** Parses each of `values`, keeping those that fit and reporting the others. */
function each<T>(values: unknown[], schema: z.ZodType<T>, kind: RecordKind, context: RecordContext): T[] {
  const kept: T[] = [];
  for (const value of values) {
    const parsed = schema.safeParse(value);
    if (parsed.success) kept.push(parsed.data);
    else context.report({ kind, id: idOf(value), reason: `not a record this version writes (${parsed.error.issues[0]?.path.join('.') || 'shape'})`, endpoint: 'Redis feed' });
  }
  return kept;
}

function idOf(value: unknown): string {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).id ?? (value as Record<string, unknown>).groupId : undefined;
  return typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : '?';
}

/** The URL when its origin is the Zulip site's (or any http(s) one when signed, or Gravatar for avatars); else null. */
function pinned(url: string | null, context: RecordContext, allowGravatar: boolean): string | null {
  const resolved = resolveAvatarUrl(url, context.site);
  if (resolved === null) return null;
  const parsed = new URL(resolved);
  if (context.signed || parsed.origin === new URL(context.site).origin || (allowGravatar && parsed.protocol === 'https:' && GRAVATAR_HOSTS.has(parsed.hostname))) return resolved;
  return null;
}

const inertOrNull = (value: string | null) => (value === null ? null : inertText(value));

function cleanPerson(p: z.infer<typeof person>, context: RecordContext): Person {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.fields)) fields[key] = inertText(value);
  const shownStatus = p.status && { text: inertOrNull(p.status.text), emoji: inertOrNull(p.status.emoji), emojiName: inertOrNull(p.status.emojiName) };
  const timezone = knownTimeZone(p.timezone);
  return {
    ...p,
    name: inertText(p.name),
    avatarUrl: pinned(p.avatarUrl, context, true),
    timezone,
    pronouns: inertOrNull(p.pronouns),
    title: inertOrNull(p.title),
    department: inertOrNull(p.department),
    office: inertOrNull(p.office),
    fields,
    status: shownStatus,
    statusMeaning: statusMeaning(shownStatus),
    workingHours: p.workingHours ? workingHoursOf(inertText(p.workingHours.text), null, timezone) : null,
  };
}

export function readPeopleRecords(values: unknown[], context: RecordContext): ReplicaRecord[] {
  const records: ReplicaRecord[] = [];
  for (const record of each(values, replicaRecord, 'user', context)) {
    if (record.person && record.person.id !== record.id) {
      context.report({ kind: 'user', id: String(record.id), reason: 'its person has another id', endpoint: 'Redis feed' });
      continue;
    }
    records.push({
      id: record.id,
      person: record.person && cleanPerson(record.person, context),
      former: record.former && { ...record.former, name: inertText(record.former.name) },
      memberKey: record.memberKey,
    });
  }
  return records;
}

export function readFieldRecords(values: unknown[], context: RecordContext): FieldRecord[] {
  return each(values, field, 'field', context);
}

const cleanGroup = (g: UserGroupRecord): UserGroupRecord => ({ ...g, name: inertText(g.name), description: inertText(g.description) });

export function readGroupRecords(values: unknown[], context: RecordContext): UserGroupRecord[] {
  return each(values, group, 'user_group', context).map(cleanGroup);
}

export function readGroupUpdates(values: unknown[], context: RecordContext): UserGroupUpdate[] {
  return each(values, groupUpdate, 'user_group', context).map((update): UserGroupUpdate => {
    if (update.kind === 'group_added') return { kind: 'group_added', group: cleanGroup(update.group) };
    if (update.kind === 'group_updated') {
      const { name, description, deactivated } = update.changes;
      return { kind: 'group_updated', groupId: update.groupId, changes: { ...(name !== undefined && { name: inertText(name) }), ...(description !== undefined && { description: inertText(description) }), ...(deactivated !== undefined && { deactivated }) } };
    }
    return update;
  });
}

export function readPresenceChanges(values: unknown[], context: RecordContext): PresenceChange[] {
  return each(values, presenceChange, 'presence', context);
}

/** A link into Zulip from Redis: kept only when it is on the configured site's origin. */
export function pinnedRealmUrl(url: string, context: RecordContext): string {
  try {
    const parsed = new URL(url);
    if (parsed.origin === new URL(context.site).origin && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) return url.replace(/\/+$/, '');
  } catch {
    // Not a URL: the site it is.
  }
  return context.site;
}

const clientPresence = z.object({ client: text(200), status: z.enum(['active', 'idle', 'offline']), timestamp: z.number().finite() }).strict();
const presenceRecord = z.object({ activeTimestamp: z.number().finite(), idleTimestamp: z.number().finite() }).strict();
const presenceDetail = z
  .object({ clients: z.array(clientPresence).max(100), aggregated: clientPresence.nullable(), modern: presenceRecord.nullable(), record: presenceRecord, serverTimestamp: z.number().finite().nullable() })
  .strict();

/** One person's per-person presence answer as another instance stored or relayed it; null when it is not one. */
export function readPresenceDetail(value: unknown): UserPresenceDetail | null {
  const parsed = presenceDetail.safeParse(value);
  if (!parsed.success) return null;
  const inertClient = (c: ClientPresence): ClientPresence => ({ ...c, client: inertText(c.client) });
  return { ...parsed.data, clients: parsed.data.clients.map(inertClient), aggregated: parsed.data.aggregated && inertClient(parsed.data.aggregated) };
}
