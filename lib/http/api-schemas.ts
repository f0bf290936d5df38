import { z } from 'zod';
import type { SignInOutcome } from '@/lib/access/sign-in';
import type { OrgLevel, OrgPath } from '@/lib/directory/domain/org-chart-types';
import { PEOPLE_INDEX_FORMAT, type PeopleIndexPayload } from '@/lib/directory/search/people-index';
import type { AvatarUrls, Profile } from '@/lib/directory/domain/service-types';
import type { PeoplePage, PresenceDiff } from '@/lib/directory/domain/types';
import type { PresenceDetail } from '@/lib/presence/detail-types';

// The bodies the API answers with, as zod schemas, for its OpenAPI document (lib/http/openapi.ts,
// docs/architecture.md §6). They describe the domain types the routes return and are checked
// against them at compile time (the `Same` lines at the end): a field added to, removed from or
// retyped in PeoplePage, Profile… and not here fails `tsc`. The routes never parse their own
// answers with these (that would cost every request); tests/http/openapi.test.ts validates real
// answers against the document instead. Object schemas are closed (no other properties), so a
// field the document does not name fails those tests too.

/** The schemas the document lists under components/schemas, by name (lib/http/openapi.ts reads `id`). */
export const apiSchemas = z.registry<{ id: string }>();

const unixSeconds = z.number().describe('Unix seconds');
const unixMs = z.number().describe('Unix milliseconds');

export const presenceSummarySchema = z.object({
  state: z.enum(['active', 'idle', 'offline']),
  lastActiveAt: unixSeconds.nullable(),
});

export const freshnessSchema = z.object({
  presenceUpdatedAt: unixMs.nullable(),
  stale: z.boolean(),
  problem: z.string().nullable(),
  presenceDisabled: z.boolean(),
}).describe('How current the data is.');

export const organizationSchema = z.object({
  name: z.string(),
  realmUrl: z.string(),
  zulipVersion: z.string(),
  featureLevel: z.number().int(),
  demo: z.boolean(),
});

const teamSummarySchema = z.object({ id: z.number().int(), name: z.string() });

const hhmm = z.string().describe('"HH:MM" on the person\'s clock');

export const workingHoursSchema = z.object({
  text: z.string().describe('As written, or the organization\'s default (DIRECTORY_WORKING_HOURS)'),
  days: z.array(z.number().int()).describe('0 Sunday … 6 Saturday'),
  start: hhmm,
  end: hhmm.describe('May be "24:00", and before `start` when the hours pass midnight'),
  timeZone: z.string().describe('IANA zone the hours are in'),
}).describe('Working hours, from a profile field or the organization\'s default (docs/architecture.md §18).');

const dateHint = z.object({ kind: z.literal('date'), year: z.number().int(), month: z.number().int(), day: z.number().int() });
const dayMonthHint = z.object({ kind: z.literal('day-month'), month: z.number().int(), day: z.number().int() });
const returnHintSchema = z.discriminatedUnion('kind', [dateHint, dayMonthHint, z.object({ kind: z.literal('weekday'), weekday: z.number().int() }), z.object({ kind: z.literal('tomorrow') })]);

const statusMeaningSchema = z.object({
  kind: z.enum(['out', 'busy']),
  reason: z.string(),
  returns: returnHintSchema.nullable().describe('Out only: the return the text names, not yet a date'),
  lastDay: z.boolean().describe('Out only: that date is the last day away ("until Friday"), not the day back ("back on Monday")'),
  starts: z.discriminatedUnion('kind', [dateHint, dayMonthHint]).nullable().describe('Out only: the day the absence starts, said ahead of time with a date ("OOO from 22 Dec"); null: now'),
}).describe('What a Zulip status says about reaching the person.');

export const availabilitySchema = z.object({
  reachable: z.boolean().describe('Active or idle, not out, and within working hours where they are known'),
  out: z
    .object({
      reason: z.string(),
      until: z.string().nullable().describe('YYYY-MM-DD in their zone'),
      lastDay: z.boolean().describe('`until` is the last day away ("until Friday"), not the day back ("back on Monday")'),
    })
    .nullable(),
  busy: z.boolean(),
  workingHours: workingHoursSchema.nullable(),
  withinWorkingHours: z.boolean().nullable().describe('null when the hours are unknown'),
}).describe('Can they be reached now, and if not, when.');

export const personRowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  apiEmail: z.string().describe('Zulip’s API email: the real address, or a dummy one when it is hidden'),
  email: z.string().nullable().describe('The real address when Zulip shows it to an ordinary member'),
  avatarUrl: z.string().nullable(),
  timezone: z.string().describe('IANA zone, or "" when never set'),
  dateJoined: z.string().describe('ISO 8601, as Zulip sent it'),
  role: z.number().int(),
  isGuest: z.boolean(),
  pronouns: z.string().nullable(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  office: z.string().nullable(),
  managerIds: z.array(z.number().int()),
  fields: z.record(z.string(), z.string()).describe('Raw custom profile field values by field id'),
  status: z.object({ text: z.string().nullable(), emoji: z.string().nullable(), emojiName: z.string().nullable() }).nullable(),
  statusMeaning: statusMeaningSchema.nullable(),
  workingHours: workingHoursSchema.nullable(),
  presence: presenceSummarySchema.nullable(),
  availability: availabilitySchema,
}).describe('A person with their presence and availability at the time of the answer.');

export const peoplePageSchema = z.object({
  total: z.number().int(),
  reachable: z.number().int(),
  out: z.number().int().describe('Among the same people: how many are out'),
  offset: z.number().int(),
  limit: z.number().int(),
  items: z.array(personRowSchema),
  facets: z.object({ departments: z.array(z.string()), offices: z.array(z.string()), teams: z.array(teamSummarySchema) }),
  freshness: freshnessSchema,
  presenceVersion: z.number().int(),
  approximate: z.boolean().optional().describe('The search matched no one as typed: these are names one typo away'),
});

const stringCode = z.number().int().describe('A position in `strings`; -1 for none');

export const peopleIndexSchema = z
  .object({
    format: z.literal(PEOPLE_INDEX_FORMAT),
    fields: z.array(z.object({ id: z.number().int(), type: z.number().int() })),
    strings: z.array(z.string()),
    id: z.array(z.number().int()),
    name: z.array(z.string()),
    apiEmail: z.array(z.string()),
    email: z.array(z.union([z.string(), z.literal(0), z.literal(1)])).describe('1: the same as apiEmail, 0: none shown, else the address'),
    avatar: z.array(z.number().int()).describe('The picture\'s version: it is at /api/people/{id}/avatar?v={version}; -1 for none'),
    timezone: z.array(stringCode),
    joined: z.array(z.union([z.number().int().describe('Minutes since the epoch'), z.string().describe('As sent, when not in Zulip\'s own form')])).describe('Zulip\'s date_joined'),
    pronouns: z.array(stringCode),
    title: z.array(stringCode),
    department: z.array(stringCode),
    office: z.array(stringCode),
    status: z.array(z.union([z.tuple([z.string().nullable(), z.string().nullable(), z.string().nullable()]), z.literal(0)])).describe('[text, emoji, emoji name], or 0 for none'),
    hours: z.array(z.tuple([z.string(), z.array(z.number().int()), z.string(), z.string(), z.union([z.string(), z.literal(0)])])).describe('Distinct working hours: [text, days, start, end, zone or 0 for the person\'s own]'),
    workingHours: z.array(z.number().int()).describe('A position in `hours`; -1 for unknown'),
    fieldValues: z
      .record(z.string(), z.union([z.array(z.number().int().describe('A position in `strings`; -1 for none, -2 for the text of the person\'s working hours')), z.enum(['pronouns', 'title', 'department', 'office'])]))
      .describe('A column per searched field, by field id; or the name of the column above it is the same as'),
    teams: z.array(z.object({ id: z.number().int(), name: z.string(), members: z.array(z.number().int()).describe('Positions in the columns, each the gap from the one before') })),
  })
  .describe('Everyone listed, column by column, for a browser to search as the viewer types.');

const orgPersonRefSchema = z.object({ id: z.number().int(), name: z.string(), left: z.boolean() });

/** Someone named in a list (a profile's reports and peers, a level of the org chart). */
const personLinkSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  presence: presenceSummarySchema.nullable(),
  left: z.boolean(),
});

const peopleListSchema = z.object({
  items: z.array(personLinkSchema),
  total: z.number().int(),
});

const renderedFieldSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('paragraphs'), paragraphs: z.array(z.string()) }),
  z.object({ kind: z.literal('option'), text: z.string() }),
  z.object({ kind: z.literal('date'), iso: z.string(), text: z.string() }),
  z.object({ kind: z.literal('link'), href: z.string(), text: z.string() }),
  z.object({ kind: z.literal('people'), people: z.array(z.object({ id: z.number().int(), name: z.string().nullable(), left: z.boolean() })) }),
  z.object({ kind: z.literal('external'), href: z.string(), text: z.string() }),
]);

export const profileSchema = z.object({
  person: personRowSchema,
  line: z.object({ chain: z.array(orgPersonRefSchema), managers: z.array(orgPersonRefSchema), loops: z.boolean(), skipped: z.number().int() }),
  reports: peopleListSchema,
  alsoReports: peopleListSchema,
  peers: peopleListSchema,
  teams: z.array(teamSummarySchema),
  fields: z.array(z.object({ id: z.number().int(), name: z.string(), rendered: renderedFieldSchema, setByOrganization: z.boolean() })),
  // `open` is null before Zulip 9.0, whose web app opens a profile from no link (docs/zulip.md §i).
  usualHours: z.boolean().describe('Their working hours are the organization\'s usual ones (DIRECTORY_WORKING_HOURS): they wrote none'),
  links: z.object({ message: z.string(), open: z.string().nullable() }),
  org: organizationSchema,
  freshness: freshnessSchema,
  presenceVersion: z.number().int(),
});

const presenceStateSchema = z.enum(['active', 'idle', 'offline']);

const breakdownSchema = z.object({
  kind: z.enum(['per-client', 'combined']),
  rows: z.array(z.object({ client: z.string(), label: z.string(), state: presenceStateSchema, lastReportedAt: unixSeconds, mostRecent: z.boolean() })),
  lastActiveAt: unixSeconds.optional(),
  lastIdleAt: unixSeconds.optional(),
  note: z.string().optional(),
  summary: presenceSummarySchema,
});

const detailCommon = { personId: z.number().int(), fetchedAt: z.number(), stale: z.boolean() };
const available = z.object({ ...detailCommon, available: z.literal(true), breakdown: breakdownSchema });
const unavailable = z.object({ ...detailCommon, available: z.literal(false), reason: z.string() });
const fromZulip = { source: z.literal('zulip') };
const fromSnapshot = { source: z.literal('snapshot'), snapshotAt: unixSeconds.nullable(), snapshotAgeSeconds: z.number().int().nullable() };

/** Each answer with each source: closed objects cannot be combined with allOf, so the four are spelled out. */
export const presenceDetailSchema = z.union([available.extend(fromZulip), available.extend(fromSnapshot), unavailable.extend(fromZulip), unavailable.extend(fromSnapshot)]).describe('One person’s per-client breakdown, or why there is none.');

export const presenceDiffSchema = z.object({
  version: z.number().int(),
  full: z.boolean().describe('Every known person (a reset), not only changes'),
  changes: z.array(z.object({ id: z.number().int(), presence: presenceSummarySchema.nullable() })),
  freshness: freshnessSchema,
}).describe('Presence changes since a version, or everyone (`full`).');

export const orgLevelSchema = z.object({
  parent: z.number().int().nullable(),
  offset: z.number().int(),
  total: z.number().int(),
  items: z.array(
    personLinkSchema.extend({
      reports: z.number().int(),
      below: z.number().int().describe('Everyone below, all levels'),
      repeat: z.boolean(),
      alsoReportsTo: z.array(orgPersonRefSchema),
    }),
  ),
}).describe('One page of one level of the org chart.');

export const orgPathSchema = z.object({ path: z.array(z.number().int()).describe('Top first, the person last'), levels: z.array(orgLevelSchema) }).describe('The way down to someone, each level the page that holds the next step.');

const nullableInt = z.number().int().nullable();

export const livenessSchema = z.object({ status: z.literal('live'), draining: z.boolean().describe('Told to stop (SIGTERM/SIGINT) and finishing') }).describe('The process answers.');

export const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), reason: z.string().nullable().describe('Why not: loading from Zulip, catching up with the leader, shutting down…') })
  .describe('Whether to send this instance requests.');

export const healthSchema = z.object({
  status: z.enum(['ok', 'stale', 'unhealthy', 'starting', 'unreachable', 'unauthorized', 'rate_limited', 'error']),
  demo: z.boolean(),
  upstream: z.object({
    site: z.string(),
    zulipVersion: z.string().nullable(),
    featureLevel: nullableInt,
    reachable: z.boolean(),
    credentialsAccepted: z.boolean().nullable(),
    lastSuccessAt: unixMs.nullable(),
    lastError: z.object({ at: unixMs, message: z.string() }).nullable(),
    rateLimit: z.object({
      limit: nullableInt,
      remaining: nullableInt,
      resetAt: unixMs.nullable(),
      blockedUntil: unixMs.nullable(),
      allowance: nullableInt,
      interactiveAvailable: z.boolean(),
      backgroundAvailable: z.boolean(),
    }),
  }),
  data: z.object({
    people: z.number().int(),
    stale: z.boolean(),
    problem: z.string().nullable(),
    presenceUpdatedAt: unixMs.nullable(),
    presenceAgeSeconds: nullableInt,
    presenceDisabled: z.boolean(),
    skippedRecords: z.partialRecord(z.enum(['user', 'field_value', 'field', 'status', 'presence', 'event', 'user_group']), z.number().int()),
    zulipClockOffsetSeconds: z.number().int(),
  }),
  viewers: z.number().int(),
  cluster: z.object({
    mode: z.enum(['single', 'redis']),
    instance: z.string(),
    role: z.enum(['leader', 'follower']),
    leader: z.string().nullable(),
    deployment: z.string().nullable(),
    redis: z.enum(['ok', 'unreachable', 'foreign_deployment']).nullable(),
  }),
});

export const avatarUrlsSchema = z.object({
  avatars: z.record(z.string().regex(/^\d+$/), z.string()).describe('By user id: the URL of their picture'),
});

export const signInAnswerSchema = z.object({ viewer: z.object({ id: z.number().int(), name: z.string() }) });
export const signOutAnswerSchema = z.object({ signedOut: z.literal(true) });

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string().describe('Stable, for programs: invalid_query, invalid_ref, not_found, sign_in_required, upstream_timeout…'),
    message: z.string().describe('For people'),
  }),
}).describe('The one error shape of every /api route and of the exports.');
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

apiSchemas.add(presenceSummarySchema, { id: 'PresenceSummary' });
apiSchemas.add(freshnessSchema, { id: 'Freshness' });
apiSchemas.add(organizationSchema, { id: 'Organization' });
apiSchemas.add(personRowSchema, { id: 'PersonRow' });
apiSchemas.add(peoplePageSchema, { id: 'PeoplePage' });
apiSchemas.add(profileSchema, { id: 'Profile' });
apiSchemas.add(peopleIndexSchema, { id: 'PeopleIndex' });
apiSchemas.add(presenceDetailSchema, { id: 'PresenceDetail' });
apiSchemas.add(avatarUrlsSchema, { id: 'AvatarUrls' });
apiSchemas.add(presenceDiffSchema, { id: 'PresenceDiff' });
apiSchemas.add(orgLevelSchema, { id: 'OrgLevel' });
apiSchemas.add(orgPathSchema, { id: 'OrgPath' });
apiSchemas.add(healthSchema, { id: 'Health' });
apiSchemas.add(livenessSchema, { id: 'Liveness' });
apiSchemas.add(readinessSchema, { id: 'Readiness' });
apiSchemas.add(signInAnswerSchema, { id: 'SignedIn' });
apiSchemas.add(signOutAnswerSchema, { id: 'SignedOut' });
apiSchemas.add(apiErrorSchema, { id: 'Error' });

// Compile-time: each schema's type and the route's own are assignable both ways.
// (The health body's are in lib/server/health-report.ts, beside it.)
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Check<T extends true> = T;
export type SchemaChecks = [
  Check<Same<z.infer<typeof peoplePageSchema>, PeoplePage>>,
  Check<Same<z.infer<typeof profileSchema>, Profile>>,
  Check<Same<z.infer<typeof peopleIndexSchema>, PeopleIndexPayload>>,
  Check<Same<z.infer<typeof presenceDetailSchema>, PresenceDetail>>,
  Check<Same<z.infer<typeof avatarUrlsSchema>, AvatarUrls>>,
  Check<Same<z.infer<typeof presenceDiffSchema>, PresenceDiff>>,
  Check<Same<z.infer<typeof orgLevelSchema>, OrgLevel>>,
  Check<Same<z.infer<typeof orgPathSchema>, OrgPath>>,
  Check<Same<z.infer<typeof signInAnswerSchema>['viewer'], Extract<SignInOutcome, { ok: true }>['viewer']>>,
];
