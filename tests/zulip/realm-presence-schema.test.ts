import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@/lib/zulip/records';
import type { RecordIssue } from '@/lib/zulip/record-issues';
import { parsePresenceMap } from '@/lib/zulip/parse-presence';
import { getRealmPresenceResponseSchema } from '@/lib/zulip/schemas';
import { caught, clientFor, fixture, json, startServer, type TestServer } from './support';

// GET /realm/presence: the envelope (server_timestamp, a presences object) is checked by its
// schema without rebuilding the map (a 20,000-person answer is ~3.5 MB); each person's legacy
// per-client dict is then read on its own by parsePresenceMap: one that fits neither format is
// reported and skipped, and the rest load. (This file once checked the envelope's fast path
// against a plain zod schema of the whole answer; that schema is gone, and these are the same
// bodies read the way the client now reads them.)

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const good = () => ({
  result: 'success',
  msg: '',
  server_timestamp: 1_700_000_000.5,
  presences: {
    'ana@example.com': {
      website: { status: 'active', timestamp: 1_700_000_000, client: 'website', pushable: false },
      aggregated: { status: 'active', timestamp: 1_700_000_000, client: 'website' },
    },
    'user12@example.com': { ZulipMobile: { status: 'idle', timestamp: 1_699_999_000, pushable: true, extra: [1] } },
    'nobody@example.com': {},
  },
});

const GOOD_RECORDS: Record<string, PresenceRecord> = {
  'ana@example.com': { activeTimestamp: 1_700_000_000, idleTimestamp: 0 },
  'user12@example.com': { activeTimestamp: 0, idleTimestamp: 1_699_999_000 },
  // An empty entry reads as a modern one with neither time: it says nothing.
  'nobody@example.com': { activeTimestamp: 0, idleTimestamp: 0 },
};

type Expected = { rejected: string } | { records: Record<string, PresenceRecord>; skipped: string[] };
type Mutation = [string, (body: ReturnType<typeof good>) => unknown, Expected];
const omit = (body: object, key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));
const only = (records: Record<string, PresenceRecord> = {}, skipped: string[] = []): Expected => ({ records, skipped });
const mutations: Mutation[] = [
  ['valid', (b) => b, only(GOOD_RECORDS)],
  // The envelope: without it the answer is not one.
  ['no presences', (b) => omit(b, 'presences'), { rejected: 'presences' }],
  ['presences null', (b) => ({ ...b, presences: null }), { rejected: 'presences' }],
  ['presences an array', (b) => ({ ...b, presences: [] }), { rejected: 'presences' }],
  ['presences a string', (b) => ({ ...b, presences: 'x' }), { rejected: 'presences' }],
  ['server_timestamp missing', (b) => omit(b, 'server_timestamp'), { rejected: 'server_timestamp' }],
  ['server_timestamp a string', (b) => ({ ...b, server_timestamp: '1' }), { rejected: 'server_timestamp' }],
  ['not an object at all', () => 'nope', { rejected: '(root)' }],
  // One person: skipped and reported, everyone else loads.
  ['a person that is not an object', (b) => ({ ...b, presences: { ...b.presences, 'x@y': 3 } }), only(GOOD_RECORDS, ['x@y'])],
  ['a person that is an array', (b) => ({ ...b, presences: { ...b.presences, 'x@y': [] } }), only(GOOD_RECORDS, ['x@y'])],
  ['an unknown status', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'away', timestamp: 1 } } } }), only({}, ['x@y'])],
  ['status missing', (b) => ({ ...b, presences: { 'x@y': { website: { timestamp: 1 } } } }), only({}, ['x@y'])],
  ['timestamp a string', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: '1' } } } }), only({}, ['x@y'])],
  ['two problems', (b) => ({ ...b, presences: { 'a@y': { w: { status: 'x', timestamp: 1 } }, 'b@y': 4 } }), only({}, ['a@y', 'b@y'])],
  // Neither modern keys nor a readable client record: skipped and reported.
  ['a client entry null', (b) => ({ ...b, presences: { 'x@y': { website: null } } }), only({}, ['x@y'])],
  // Keys beside status and timestamp are not read.
  ['client a number', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, client: 1 } } } }), only({ 'x@y': { activeTimestamp: 0, idleTimestamp: 1 } })],
  ['pushable a string', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, pushable: 'no' } } } }), only({ 'x@y': { activeTimestamp: 0, idleTimestamp: 1 } })],
  ['client null', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, client: null } } } }), only({ 'x@y': { activeTimestamp: 0, idleTimestamp: 1 } })],
  // An unreadable client record beside a readable one is left out; the person is kept.
  [
    'one client record unreadable',
    (b) => ({ ...b, presences: { 'x@y': { website: { status: 'away', timestamp: 9 }, ZulipMobile: { status: 'active', timestamp: 5 } } } }),
    only({ 'x@y': { activeTimestamp: 5, idleTimestamp: 0 } }, ['x@y/website']),
  ],
];

describe('GET /realm/presence, read by the client', () => {
  it.each(mutations)('%s', async (_name, mutate, expected) => {
    server.handle((_, res) => json(res, 200, JSON.stringify(mutate(good()))));
    const issues: RecordIssue[] = [];
    const pending = clientFor(server, { onRecordIssue: (issue) => issues.push(issue) }).getRealmPresence();
    if ('rejected' in expected) {
      const err = await caught(pending);
      expect(err).toMatchObject({ kind: 'invalid_response', endpoint: 'GET /realm/presence' });
      expect((err as Error).message).toContain(expected.rejected);
      return;
    }
    const batch = await pending;
    expect(Object.fromEntries(batch.byApiEmail)).toEqual(expected.records);
    expect(batch.byId.size).toBe(0);
    expect(batch).toMatchObject({ complete: true, serverTimestamp: 1_700_000_000.5 });
    expect(issues).toEqual(expected.skipped.map((id) => ({ kind: 'presence', id, reason: expect.any(String), endpoint: 'GET /realm/presence' })));
  });

  it('skips a timestamp that is not finite', () => {
    // JSON cannot say Infinity; the parsed answer is handed over as an object, so this is checked directly.
    const issues: RecordIssue[] = [];
    const batch = parsePresenceMap(
      { 'x@y': { website: { status: 'idle', timestamp: Infinity } } },
      { endpoint: 'GET /realm/presence', report: (issue) => issues.push(issue) },
      { complete: true, serverTimestamp: 1 },
    );
    expect(batch.byApiEmail.size).toBe(0);
    expect(issues.map((i) => i.id)).toEqual(['x@y']);
  });

  it("reads Zulip's published example", async () => {
    server.handle((_, res) => json(res, 200, fixture('realm-presence-200.json')));
    const issues: RecordIssue[] = [];
    const batch = await clientFor(server, { onRecordIssue: (issue) => issues.push(issue) }).getRealmPresence();
    expect(Object.fromEntries(batch.byApiEmail)).toEqual({ 'iago@zulip.com': { activeTimestamp: 1656958485, idleTimestamp: 0 } });
    expect(issues).toEqual([]);
  });

  it('hands the presences over as received, without rebuilding them', () => {
    const body = good();
    const parsed = getRealmPresenceResponseSchema.parse(body);
    expect(parsed.presences).toBe(body.presences);
  });
});
