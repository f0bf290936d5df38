// Every string a follower reads from Redis passes inertText, as Zulip's do (docs/architecture.md
// §10, "Nothing from Redis is trusted further than Zulip is"): a forged entry cannot put bidi
// overrides or control characters on pages (the freshness line, a status emoji) or in /api/health.
import { describe, expect, it } from 'vitest';
import { sealer } from '@/lib/server/cluster/deployment';
import { decodeEntry, FEED_FORMAT } from '@/lib/server/cluster/feed';

const DEPLOYMENT = 'abcdef0123456789';
const SITE = 'https://chat.example.com';
const HOSTILE = 'gnp\u202E.exe\u0007';

const person = {
  id: 7, name: 'Ana', apiEmail: 'ana@example.com', email: null, avatarUrl: null, timezone: 'UTC', dateJoined: '2026-01-01T00:00:00Z',
  role: 400, isGuest: false, pronouns: null, title: null, department: null, office: null, managerIds: [], fields: {},
  status: { text: 'Out sick', emoji: HOSTILE, emojiName: 'hurt' },
};
const entry = {
  v: FEED_FORMAT,
  d: DEPLOYMENT,
  meta: {
    org: { name: 'Example', realmUrl: SITE, zulipVersion: '10.2', featureLevel: 372, demo: false },
    presenceDisabled: false,
    thresholdSeconds: 140,
    zulipOffsetMs: 0,
    upstream: { state: 'error', lastSuccessAt: null, presenceUpdatedAt: null, lastError: { at: 1, message: `Zulip said ${HOSTILE}` } },
    skipped: {},
    peopleRevision: 1,
  },
  people: [{ id: 7, person, former: null, memberKey: null }],
  teams: [],
  presence: { version: 2, full: false, changes: [], freshness: { presenceUpdatedAt: null, stale: true, problem: `Zulip is ${HOSTILE}`, presenceDisabled: false } },
};

describe('a feed entry read by a follower', () => {
  it('has every string inert: the status emoji, the freshness problem and the last error', () => {
    const decoded = decodeEntry(JSON.stringify(entry), { deployment: DEPLOYMENT, sealer: sealer(DEPLOYMENT, null), site: SITE, report: () => {} });
    if (!decoded.ok) throw new Error(`refused: ${decoded.refusal}`);
    const { meta, people, presence } = decoded.value;
    expect(people[0]!.person!.status!.emoji).toBe('gnp.exe');
    expect(presence!.freshness.problem).toBe('Zulip is gnp.exe');
    expect(meta.upstream.lastError!.message).toBe('Zulip said gnp.exe');
  });
});
