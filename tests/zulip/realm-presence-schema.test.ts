import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getRealmPresenceResponseSchema, legacyUserPresencesSchema } from '@/lib/zulip/schemas';
import { fixture } from './support';

// GET /realm/presence is validated by a fast structural check (a 20,000-person answer is ~3.5 MB;
// rebuilding it with zod held the event loop for hundreds of milliseconds on every refresh).
// It must accept and refuse exactly what the plain zod schema does, with the same issues.
const reference = z.looseObject({
  server_timestamp: z.number(),
  presences: z.record(z.string(), legacyUserPresencesSchema),
});

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

type Mutation = [string, (body: ReturnType<typeof good>) => unknown];
const omit = (body: object, key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));
const mutations: Mutation[] = [
  ['valid', (b) => b],
  ['no presences', (b) => omit(b, 'presences')],
  ['presences null', (b) => ({ ...b, presences: null })],
  ['presences an array', (b) => ({ ...b, presences: [] })],
  ['presences a string', (b) => ({ ...b, presences: 'x' })],
  ['server_timestamp missing', (b) => omit(b, 'server_timestamp')],
  ['server_timestamp a string', (b) => ({ ...b, server_timestamp: '1' })],
  ['a person that is not an object', (b) => ({ ...b, presences: { ...b.presences, 'x@y': 3 } })],
  ['a person that is an array', (b) => ({ ...b, presences: { ...b.presences, 'x@y': [] } })],
  ['a client entry null', (b) => ({ ...b, presences: { 'x@y': { website: null } } })],
  ['an unknown status', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'away', timestamp: 1 } } } })],
  ['status missing', (b) => ({ ...b, presences: { 'x@y': { website: { timestamp: 1 } } } })],
  ['timestamp a string', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: '1' } } } })],
  ['timestamp infinite', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: Infinity } } } })],
  ['client a number', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, client: 1 } } } })],
  ['pushable a string', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, pushable: 'no' } } } })],
  ['client null', (b) => ({ ...b, presences: { 'x@y': { website: { status: 'idle', timestamp: 1, client: null } } } })],
  ['two problems', (b) => ({ ...b, presences: { 'a@y': { w: { status: 'x', timestamp: 1 } }, 'b@y': 4 } })],
  ['not an object at all', () => 'nope'],
];

describe('GET /realm/presence response schema', () => {
  it.each(mutations)('agrees with the plain zod schema: %s', (_name, mutate) => {
    const body = JSON.parse(JSON.stringify(mutate(good()), (_k, v: unknown) => (v === Infinity ? '__inf__' : v)), (_k, v: unknown) =>
      v === '__inf__' ? Infinity : v,
    ) as unknown;
    const fast = getRealmPresenceResponseSchema.safeParse(body);
    const slow = reference.safeParse(body);
    expect(fast.success).toBe(slow.success);
    if (fast.success && slow.success) expect(fast.data).toEqual(slow.data);
    else expect(fast.error?.issues).toEqual(slow.error?.issues);
  });

  it("reads Zulip's published example", () => {
    const body = fixture('realm-presence-200.json');
    expect(getRealmPresenceResponseSchema.safeParse(body).success).toBe(true);
    expect(reference.safeParse(body).success).toBe(true);
  });

  it('hands the presences over as received, without rebuilding them', () => {
    const body = good();
    const parsed = getRealmPresenceResponseSchema.parse(body);
    expect(parsed.presences).toBe(body.presences);
  });
});
