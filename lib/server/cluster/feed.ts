import 'server-only';
import { z } from 'zod';
import type { PeopleReplica, ReplicaRecord } from '@/lib/directory/domain/people-store';
import type { OrganizationInfo, PresenceDiff } from '@/lib/directory/domain/types';
import type { UserGroupUpdate, UserGroupRecord } from '@/lib/zulip/records';
import { inertText } from '@/lib/directory/domain/safe-text';
import type { Sealer } from '@/lib/server/cluster/deployment';
import { pinnedRealmUrl, readFieldRecords, readGroupRecords, readGroupUpdates, readPeopleRecords, readPresenceChanges, type RecordContext } from '@/lib/server/cluster/redis-records';
import type { UpstreamStatus } from '@/lib/server/upstream-health';
import type { RecordKind } from '@/lib/zulip/record-issues';

// What the instance that talks to Zulip (the leader) tells the others (docs/architecture.md §10):
// a snapshot of everything the directory shows, then entries that each carry what changed. Only
// what a member may see, as the leader derived it (never Zulip's records). Plain JSON with a
// format number and the deployment's identity, signed when REDIS_SHARED_SECRET is set; read back
// strictly at the envelope and record by record inside (feed-records.ts). An instance that meets
// a format it does not know (a rolling deploy with a newer leader) keeps what it has, marked
// stale, rather than misreading it; one that meets another deployment's data never adopts it.

/** 3: the meta carries the people's revision (DirectoryData.peopleRevision). */
export const FEED_FORMAT = 3;

/** The small facts every page needs besides people and presence, sent whole with every entry. */
export interface ViewMeta {
  org: OrganizationInfo;
  presenceDisabled: boolean;
  thresholdSeconds: number;
  /** Zulip's clock minus the leader's, in ms (instances' own clocks are assumed in step: NTP). */
  zulipOffsetMs: number;
  upstream: UpstreamStatus;
  skipped: Partial<Record<RecordKind, number>>;
  /** The leader's number for the people and teams as they are with this entry (DirectoryData.peopleRevision). */
  peopleRevision: number;
}

export interface FeedEntry {
  meta: ViewMeta;
  /** The people Zulip's events changed, each as it is now (a record with neither person nor former: gone). */
  people: ReplicaRecord[];
  /** What Zulip's events changed in teams; the followers apply the same updates. */
  teams: UserGroupUpdate[];
  /** A presence diff with the leader's (global) version, or null when presence did not change. */
  presence: PresenceDiff | null;
}

export interface ViewSnapshot {
  meta: ViewMeta;
  people: PeopleReplica;
  teams: UserGroupRecord[];
  /** Everyone's presence as a full diff: its version is where the followers' logs continue. */
  presence: PresenceDiff;
}

/** What a follower needs to read the feed: whose it must be, how to check it, and where to report odd records. */
export interface FeedReadContext {
  deployment: string;
  sealer: Sealer;
  site: string;
  report: RecordContext['report'];
}

/** Why something read from the feed was not applied. */
export type FeedRefusal = 'unsigned' | 'format' | 'foreign';
export type Decoded<T> = { ok: true; value: T } | { ok: false; refusal: FeedRefusal; deployment?: string };

const freshness = z.object({ presenceUpdatedAt: z.number().nullable(), stale: z.boolean(), problem: z.string().max(500).nullable(), presenceDisabled: z.boolean() }).strict();
const diff = z.object({ version: z.number().int().nonnegative(), full: z.boolean(), changes: z.array(z.unknown()), freshness }).strict();
const meta = z
  .object({
    org: z.object({ name: z.string().max(200), realmUrl: z.string().max(2_000), zulipVersion: z.string().max(100), featureLevel: z.number().int().nonnegative(), demo: z.boolean() }).strict(),
    presenceDisabled: z.boolean(),
    thresholdSeconds: z.number().positive().max(86_400),
    zulipOffsetMs: z.number().finite(),
    upstream: z
      .object({
        state: z.enum(['starting', 'ok', 'unreachable', 'unauthorized', 'rate_limited', 'error']),
        lastSuccessAt: z.number().nullable(),
        presenceUpdatedAt: z.number().nullable(),
        lastError: z.object({ at: z.number(), message: z.string().max(1_000) }).strict().nullable(),
      })
      .strict(),
    skipped: z.partialRecord(z.enum(['user', 'field_value', 'field', 'status', 'presence', 'event', 'user_group']), z.number().int().nonnegative()),
    peopleRevision: z.number().int().nonnegative(),
  })
  .strict();
/** Read first, alone: whose data it is decides whether the rest is read at all. */
const envelope = z.object({ v: z.number(), d: z.string() }).loose();
const entrySchema = z.object({ v: z.literal(FEED_FORMAT), d: z.string(), meta, people: z.array(z.unknown()), teams: z.array(z.unknown()), presence: diff.nullable() }).strict();
const snapshotSchema = z
  .object({ v: z.literal(FEED_FORMAT), d: z.string(), meta, people: z.object({ fields: z.array(z.unknown()), records: z.array(z.unknown()) }).strict(), teams: z.array(z.unknown()), presence: diff })
  .strict();

export const encodeEntry = (entry: FeedEntry, deployment: string, seal: Sealer): string => seal.seal(JSON.stringify({ v: FEED_FORMAT, d: deployment, ...entry }));
export const encodeSnapshot = (snapshot: ViewSnapshot, deployment: string, seal: Sealer): string => seal.seal(JSON.stringify({ v: FEED_FORMAT, d: deployment, ...snapshot }));

/** Opens a stored value: signed if it must be, this deployment's, in this format. */
function open<S extends z.ZodType>(stored: string, schema: S, context: FeedReadContext): Decoded<z.infer<S>> {
  const text = context.sealer.open(stored);
  if (text === null) return { ok: false, refusal: 'unsigned' };
  const json = parseJson(text);
  const head = envelope.safeParse(json);
  if (head.success && head.data.d !== context.deployment) return { ok: false, refusal: 'foreign', deployment: head.data.d.slice(0, 64) };
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, refusal: 'format' };
}

function readMeta(value: z.infer<typeof meta>, records: RecordContext): ViewMeta {
  const { upstream } = value;
  return {
    ...value,
    org: { ...value.org, name: inertText(value.org.name), zulipVersion: inertText(value.org.zulipVersion), realmUrl: pinnedRealmUrl(value.org.realmUrl, records) },
    // Shown in /api/health, as every string read here, inert (a forged entry could carry bidi overrides).
    upstream: { ...upstream, lastError: upstream.lastError && { ...upstream.lastError, message: inertText(upstream.lastError.message) } },
  };
}

function readDiff(value: z.infer<typeof diff>, records: RecordContext): PresenceDiff {
  // The problem is shown on every page (the freshness line).
  const freshness = { ...value.freshness, problem: value.freshness.problem === null ? null : inertText(value.freshness.problem) };
  return { ...value, freshness, changes: readPresenceChanges(value.changes, records) };
}

const recordContext = (context: FeedReadContext): RecordContext => ({ site: context.site, signed: context.sealer.signing, report: context.report });

/** The entry, or why it cannot be applied (the caller skips it and reloads the snapshot). */
export function decodeEntry(stored: string, context: FeedReadContext): Decoded<FeedEntry> {
  const opened = open(stored, entrySchema, context);
  if (!opened.ok) return opened;
  const records = recordContext(context);
  const e = opened.value;
  return {
    ok: true,
    value: { meta: readMeta(e.meta, records), people: readPeopleRecords(e.people, records), teams: readGroupUpdates(e.teams, records), presence: e.presence && readDiff(e.presence, records) },
  };
}

export function decodeSnapshot(stored: string, context: FeedReadContext): Decoded<ViewSnapshot> {
  const opened = open(stored, snapshotSchema, context);
  if (!opened.ok) return opened;
  const records = recordContext(context);
  const s = opened.value;
  return {
    ok: true,
    value: {
      meta: readMeta(s.meta, records),
      people: { fields: readFieldRecords(s.people.fields, records), records: readPeopleRecords(s.people.records, records) },
      teams: readGroupRecords(s.teams, records),
      presence: readDiff(s.presence, records),
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Where the leader's entries go: nowhere for one process on its own, Redis for several. */
export interface FeedWriter {
  /** Everything changed (a new register): the followers replace what they hold. */
  reset(): void;
  publish(entry: FeedEntry): void;
}

export const NO_FOLLOWERS: FeedWriter = { reset() {}, publish() {} };
