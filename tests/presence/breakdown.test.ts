import { describe, expect, it } from 'vitest';
import { agedDetail, buildBreakdown as buildFromDetail, clientLabel, MODERN_ONLY_SOURCE, OLDER_RULE_NOTE, shortZulipVersion, type BreakdownOptions } from '@/lib/presence/breakdown';
import { thresholdsFor } from '@/lib/presence/status';
import { readUserPresence } from '../zulip/records-support';

// Each response body is written as GET /users/{id}/presence sends it and read by lib/zulip's
// parser, as the client reads it, before the breakdown is built from the record.
const buildBreakdown = (response: { presence: Record<string, unknown>; server_timestamp?: number }, opts: BreakdownOptions) =>
  buildFromDetail(readUserPresence(response.presence, response.server_timestamp), opts);

const now = 1_690_000_000;

describe('pre-7.0 server (per-client keys)', () => {
  // Zulip 6.x: one key per client that reported, plus aggregated; no server_timestamp.
  const response = {
    presence: {
      website: { status: 'idle', timestamp: now - 100 },
      ZulipMobile: { status: 'active', timestamp: now - 30 },
      ZulipTerminal: { status: 'active', timestamp: now - 140 },
      aggregated: { status: 'active', timestamp: now - 30 },
    },
  };
  const opts = { featureLevel: 156, zulipVersion: '6.1', thresholds: thresholdsFor(156), nowSec: now };

  it('has one row per client, newest first, with the most recent one marked', () => {
    const b = buildBreakdown(response, opts);
    expect(b.kind).toBe('per-client');
    expect(b.rows).toEqual([
      { client: 'ZulipMobile', label: 'Mobile app', state: 'active', lastReportedAt: now - 30, mostRecent: true },
      { client: 'website', label: 'Web', state: 'idle', lastReportedAt: now - 100, mostRecent: false },
      // Exactly 140 s old with the pre-164 threshold of 140: offline.
      { client: 'ZulipTerminal', label: 'Terminal', state: 'offline', lastReportedAt: now - 140, mostRecent: false },
    ]);
    expect(b.note).toBeUndefined();
    expect(b.lastActiveAt).toBeUndefined();
    expect(b.summary).toEqual({ state: 'active', lastActiveAt: now - 30 });
  });

  it('keeps a client 139 s old in its own state', () => {
    const b = buildBreakdown(response, { ...opts, nowSec: now - 1 });
    expect(b.rows.find((r) => r.client === 'ZulipTerminal')?.state).toBe('active');
  });

  it('shows unknown clients by their raw name', () => {
    const b = buildBreakdown({ presence: { SomeBot: { status: 'active', timestamp: now - 1 } } }, opts);
    expect(b.rows).toEqual([
      { client: 'SomeBot', label: 'SomeBot', state: 'active', lastReportedAt: now - 1, mostRecent: false },
    ]);
    expect(b.summary.state).toBe('active');
  });
});

describe('7.0 – 11.x server (website + aggregated)', () => {
  const opts = { featureLevel: 372, zulipVersion: '10.2', thresholds: thresholdsFor(372), nowSec: now };

  it('shows one combined row and says the server reports devices together', () => {
    const b = buildBreakdown(
      {
        presence: {
          website: { status: 'active', timestamp: now - 300 },
          aggregated: { status: 'offline', timestamp: now - 300 },
        },
      },
      opts,
    );
    expect(b.kind).toBe('combined');
    expect(b.rows).toEqual([
      { client: 'aggregated', label: 'All devices', state: 'offline', lastReportedAt: now - 300, mostRecent: false },
    ]);
    expect(b.note).toBe('This Zulip server (version 10.2) reports presence for all devices together.');
    expect(b.summary).toEqual({ state: 'offline', lastActiveAt: now - 300 });
    expect(b.lastActiveAt).toBeUndefined();
    expect(b.lastIdleAt).toBeUndefined();
  });

  it('never turns the "website" key into a Web row', () => {
    const b = buildBreakdown(
      {
        presence: {
          website: { status: 'idle', timestamp: now - 20 },
          aggregated: { status: 'idle', timestamp: now - 20 },
        },
      },
      opts,
    );
    expect(b.rows.map((r) => r.label)).toEqual(['All devices']);
    expect(b.rows[0]?.state).toBe('idle');
  });

  it('ignores extra keys such as ignored_parameters_unsupported', () => {
    const b = buildBreakdown(
      { presence: { aggregated: { status: 'active', timestamp: now - 5 }, ignored_parameters_unsupported: ['x'] } },
      opts,
    );
    expect(b.rows).toHaveLength(1);
  });
});

describe('7.0 – 11.x server: the one row by the apps\' rule, with the badge', () => {
  const opts = { featureLevel: 372, zulipVersion: '10.2', thresholds: thresholdsFor(372), nowSec: now };
  // Active 100 s ago, connected 10 s ago: format_legacy_presence_dict says idle (the activity came
  // more than 70 s before the connection); Zulip's apps, and the badge, say active.
  const idleByOlderRule = { presence: { website: { status: 'idle', timestamp: now - 10 }, aggregated: { status: 'idle', timestamp: now - 10 } } };
  const badgeActive = { state: 'active' as const, lastActiveAt: now - 100 };

  it('says active with the badge, keeps the time Zulip reported, and says the answer said idle', () => {
    const b = buildBreakdown(idleByOlderRule, { ...opts, held: badgeActive });
    expect(b.rows).toEqual([{ client: 'aggregated', label: 'All devices', state: 'active', lastReportedAt: now - 10, mostRecent: false }]);
    expect(b.summary).toEqual(badgeActive);
    expect(b.note).toBe(`This Zulip server (version 10.2) reports presence for all devices together. ${OLDER_RULE_NOTE}`);
  });

  it('never says less than the answer: a badge behind it (a follower not yet told) changes nothing', () => {
    const active = { presence: { aggregated: { status: 'active', timestamp: now - 5 } } };
    expect(buildBreakdown(active, { ...opts, held: { state: 'offline', lastActiveAt: now - 900 } }).rows[0]!.state).toBe('active');
    const idle = buildBreakdown(idleByOlderRule, { ...opts, held: { state: 'idle', lastActiveAt: now - 10 } });
    expect(idle.rows[0]!.state).toBe('idle');
    expect(idle.note).not.toContain(OLDER_RULE_NOTE);
  });

  it('an answer that says offline stays offline; before 7.0 the per-client rows are Zulip\'s own', () => {
    const offline = { presence: { aggregated: { status: 'offline', timestamp: now - 300 } } };
    expect(buildBreakdown(offline, { ...opts, held: badgeActive }).summary.state).toBe('offline');
    const sixX = { presence: { website: { status: 'idle', timestamp: now - 10 }, aggregated: { status: 'idle', timestamp: now - 10 } } };
    const b = buildBreakdown(sixX, { featureLevel: 156, zulipVersion: '6.1', thresholds: thresholdsFor(156), nowSec: now, held: badgeActive });
    expect(b.rows.map((r) => r.state)).toEqual(['idle']);
  });
});

describe('12.0-dev server (modern fields + legacy keys + server_timestamp)', () => {
  const opts = {
    featureLevel: 497,
    zulipVersion: '12.0-dev-1234-gabcdef0123',
    thresholds: thresholdsFor(497),
    nowSec: now + 10_000, // must be ignored: server_timestamp is present
  };

  it('uses the modern rule, reports last active / last connected, and keeps the combined row', () => {
    // Active 100 s ago, connected 10 s ago: the legacy dict says idle (70 s rule), the modern
    // rule says active; the modern rule wins everywhere.
    const b = buildBreakdown(
      {
        presence: {
          active_timestamp: now - 100,
          idle_timestamp: now - 10,
          website: { status: 'idle', timestamp: now - 10 },
          aggregated: { status: 'idle', timestamp: now - 10 },
        },
        server_timestamp: now,
      },
      opts,
    );
    expect(b.kind).toBe('combined');
    expect(b.summary).toEqual({ state: 'active', lastActiveAt: now - 100 });
    expect(b.lastActiveAt).toBe(now - 100);
    expect(b.lastIdleAt).toBe(now - 10);
    expect(b.rows).toEqual([
      { client: 'aggregated', label: 'All devices', state: 'active', lastReportedAt: now - 10, mostRecent: false },
    ]);
    expect(b.note).toBe('This Zulip server (version 12.0-dev) reports presence for all devices together.');
  });

  it('goes offline by the server clock, with date_joined as the fallback', () => {
    const b = buildBreakdown(
      {
        presence: {
          active_timestamp: 0,
          idle_timestamp: now - 5000,
          aggregated: { status: 'offline', timestamp: now - 5000 },
        },
        server_timestamp: now,
      },
      { ...opts, dateJoined: now - 9000 },
    );
    expect(b.summary).toEqual({ state: 'offline', lastActiveAt: now - 9000 });
    expect(b.lastActiveAt).toBeUndefined();
    expect(b.lastIdleAt).toBe(now - 5000);
  });
});

describe('an answer served from the cache is judged as of now (agedDetail)', () => {
  const opts = { featureLevel: 497, zulipVersion: '12.0-dev', thresholds: thresholdsFor(497), nowSec: now + 7200 };
  const answer = readUserPresence({ active_timestamp: now - 10, idle_timestamp: now - 10, aggregated: { status: 'active', timestamp: now - 10 } }, now);

  it('active when Zulip gave it; offline two hours on (the last known answer while Zulip fails)', () => {
    expect(buildFromDetail(answer, opts).summary.state).toBe('active');
    const later = buildFromDetail(agedDetail(answer, 7200), opts);
    expect(later.summary).toEqual({ state: 'offline', lastActiveAt: now - 10 });
    expect(later.rows.map((r) => r.state)).toEqual(['offline']);
  });

  it('leaves an answer without server_timestamp to the caller’s clock', () => {
    const old = readUserPresence({ website: { status: 'active', timestamp: now - 10 }, aggregated: { status: 'active', timestamp: now - 10 } }, undefined);
    expect(agedDetail(old, 7200)).toBe(old);
  });
});

describe('12.0-dev server at FL 487–496 (the modern pair only)', () => {
  // docs/zulip.md §a: no `website`, no `aggregated`, no `server_timestamp`, nothing marked offline.
  const opts = { featureLevel: 490, zulipVersion: '12.0-dev-2000-gabcdef0123', thresholds: thresholdsFor(490), nowSec: now };

  it('shows last active / last connected and one combined row read from them, on the app’s estimate of Zulip’s clock', () => {
    const b = buildBreakdown({ presence: { active_timestamp: now - 20, idle_timestamp: now - 5 } }, opts);
    expect(b.kind).toBe('combined');
    expect(b.summary).toEqual({ state: 'active', lastActiveAt: now - 20 });
    expect(b.lastActiveAt).toBe(now - 20);
    expect(b.lastIdleAt).toBe(now - 5);
    // The row names the fields it was read from: Zulip sent no client key (not even `aggregated`).
    expect(b.rows).toEqual([
      { client: MODERN_ONLY_SOURCE, label: 'All devices', state: 'active', lastReportedAt: now - 5, mostRecent: false },
    ]);
    expect(b.note).toBe('This Zulip server (version 12.0-dev) reports presence for all devices together.');
  });

  it('says offline by its own reckoning, since the server no longer marks the answer offline', () => {
    const b = buildBreakdown({ presence: { active_timestamp: now - 900, idle_timestamp: now - 600 } }, opts);
    expect(b.summary).toEqual({ state: 'offline', lastActiveAt: now - 900 });
    expect(b.rows.map((r) => r.state)).toEqual(['offline']);
  });
});

describe('no data', () => {
  // An empty presence object is refused by the parser (Zulip answers "No presence data" with a
  // 400 instead; tests/zulip/user-presence.test.ts), so the empty record is built directly here.
  it('returns no rows and an offline summary without a time', () => {
    const b = buildFromDetail(
      { clients: [], aggregated: null, modern: null, record: { activeTimestamp: 0, idleTimestamp: 0 }, serverTimestamp: null },
      { featureLevel: 372, zulipVersion: '10.2', thresholds: 200, nowSec: now },
    );
    expect(b.rows).toEqual([]);
    expect(b.summary).toEqual({ state: 'offline', lastActiveAt: null });
  });
});

describe('helpers', () => {
  it('labels known clients', () => {
    expect(clientLabel('website')).toBe('Web');
    expect(clientLabel('ZulipElectron')).toBe('Desktop app');
    expect(clientLabel('toString')).toBe('toString');
  });
  it('shortens version strings', () => {
    expect(shortZulipVersion('10.2')).toBe('10.2');
    expect(shortZulipVersion('11.0-beta1')).toBe('11.0-beta1');
    expect(shortZulipVersion('12.0-dev-1234-gabcdef')).toBe('12.0-dev');
    expect(shortZulipVersion('weird')).toBe('weird');
  });
});
