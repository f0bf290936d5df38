import 'server-only';
import { z } from 'zod';
import type { DirectoryPolicy, PeopleUpdate } from '@/lib/directory/people-store';
import type { Freshness, OrganizationInfo, PresenceDiff } from '@/lib/directory/types';
import type { FieldRecord, StatusRecord, UserGroupUpdate, UserGroupRecord, UserRecord } from '@/lib/zulip/records';
import type { UpstreamStatus } from '@/lib/server/upstream-health';
import type { RecordKind } from '@/lib/zulip/record-issues';

// What the instance that talks to Zulip (the leader) tells the others (docs/architecture.md §10):
// a snapshot of everything the directory shows, then entries that each carry what changed. Plain
// JSON, one format number: an instance that meets a format it does not know (a rolling deploy
// with a newer leader) keeps what it has, marked stale, rather than misreading it.

export const FEED_FORMAT = 1;

/** The small facts every page needs besides people and presence, sent whole with every entry. */
export interface ViewMeta {
  org: OrganizationInfo;
  presenceDisabled: boolean;
  thresholdSeconds: number;
  /** Zulip's clock minus the leader's, in ms (instances' own clocks are assumed in step: NTP). */
  zulipOffsetMs: number;
  upstream: UpstreamStatus;
  skipped: Partial<Record<RecordKind, number>>;
}

/** What Zulip's events changed in people and teams; the followers apply the same updates. */
export type ReplicatedUpdate = PeopleUpdate | UserGroupUpdate;

export interface FeedEntry {
  meta: ViewMeta;
  updates: ReplicatedUpdate[];
  /** A presence diff with the leader's (global) version, or null when presence did not change. */
  presence: PresenceDiff | null;
}

export interface ViewSnapshot {
  meta: ViewMeta;
  people: { users: UserRecord[]; fields: FieldRecord[]; statuses: Array<[number, StatusRecord]>; realmUrl: string; policy: Partial<DirectoryPolicy> };
  teams: UserGroupRecord[];
  /** Everyone's presence as a full diff: its version is where the followers' logs continue. */
  presence: PresenceDiff;
}

// Strict about the envelope, trusting the records inside: only the leader, running this same
// code, writes them (docs/zulip.md §l is about Zulip's data; this is our own).
const freshness: z.ZodType<Freshness> = z.object({ presenceUpdatedAt: z.number().nullable(), stale: z.boolean(), problem: z.string().nullable(), presenceDisabled: z.boolean() });
const diff = z.object({ version: z.number().int().nonnegative(), full: z.boolean(), changes: z.array(z.object({ id: z.number().int(), presence: z.unknown() })), freshness });
const meta = z.object({
  org: z.object({ name: z.string(), realmUrl: z.string(), zulipVersion: z.string(), featureLevel: z.number(), demo: z.boolean() }),
  presenceDisabled: z.boolean(),
  thresholdSeconds: z.number().positive(),
  zulipOffsetMs: z.number(),
  upstream: z.object({ state: z.string(), lastSuccessAt: z.number().nullable(), presenceUpdatedAt: z.number().nullable(), lastError: z.object({ at: z.number(), message: z.string() }).nullable() }),
  skipped: z.record(z.string(), z.number()),
});
const entrySchema = z.object({ v: z.literal(FEED_FORMAT), meta, updates: z.array(z.object({ kind: z.string() }).loose()), presence: diff.nullable() });
const snapshotSchema = z.object({
  v: z.literal(FEED_FORMAT),
  meta,
  people: z.object({ users: z.array(z.object({ id: z.number() }).loose()), fields: z.array(z.unknown()), statuses: z.array(z.tuple([z.number(), z.unknown()])), realmUrl: z.string(), policy: z.object({}).loose() }),
  teams: z.array(z.object({ id: z.number() }).loose()),
  presence: diff,
});

export const encodeEntry = (entry: FeedEntry): string => JSON.stringify({ v: FEED_FORMAT, ...entry });
export const encodeSnapshot = (snapshot: ViewSnapshot): string => JSON.stringify({ v: FEED_FORMAT, ...snapshot });

/** The entry, or null when it is not one this version can read (the caller reloads the snapshot). */
export function decodeEntry(text: string): FeedEntry | null {
  const parsed = entrySchema.safeParse(parseJson(text));
  return parsed.success ? (parsed.data as unknown as FeedEntry) : null;
}

export function decodeSnapshot(text: string): ViewSnapshot | null {
  const parsed = snapshotSchema.safeParse(parseJson(text));
  return parsed.success ? (parsed.data as unknown as ViewSnapshot) : null;
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
