import { describe, expect, it } from 'vitest';
import {
  statusFromLegacyAggregated,
  statusFromLegacyClients,
  statusFromModern,
  thresholdsFor,
} from '@/lib/presence/status';
import { parseUserPresence } from '@/lib/zulip/parse-presence';
import { readModern as modern, readRegister, readUserPresence } from '../zulip/records-support';
import registerFixture from '../fixtures/zulip/register-200.json';

// Presence and thresholds are written as Zulip sends them and read through lib/zulip's parsers
// (`modern` reads one modern entry, where either key may be missing or null).

/** Register's realm part, from an answer carrying these server_presence_* fields. */
const realmFrom = (fields: Record<string, unknown>) => readRegister({ ...registerFixture, ...fields }).realm;
/** A legacy per-client dict, as the per-person endpoint sends it. */
function legacy(dict: Record<string, unknown>) {
  const { clients, aggregated } = readUserPresence(dict);
  return [clients, aggregated] as const;
}

describe('thresholdsFor', () => {
  it('uses the old hard-coded 140/60 before feature level 164', () => {
    expect(thresholdsFor(163)).toEqual({ offlineThresholdSeconds: 140, pingIntervalSeconds: 60 });
  });
  it('uses 200/60 from feature level 164', () => {
    expect(thresholdsFor(164)).toEqual({ offlineThresholdSeconds: 200, pingIntervalSeconds: 60 });
    expect(thresholdsFor(497)).toEqual({ offlineThresholdSeconds: 200, pingIntervalSeconds: 60 });
  });
  it('prefers the values register sent, field by field', () => {
    expect(
      thresholdsFor(372, realmFrom({ server_presence_offline_threshold_seconds: 300, server_presence_ping_interval_seconds: 90 })),
    ).toEqual({ offlineThresholdSeconds: 300, pingIntervalSeconds: 90 });
    expect(thresholdsFor(372, realmFrom({ server_presence_offline_threshold_seconds: 260 }))).toEqual({
      offlineThresholdSeconds: 260,
      pingIntervalSeconds: 60,
    });
    expect(thresholdsFor(100, realmFrom({}))).toEqual({ offlineThresholdSeconds: 140, pingIntervalSeconds: 60 });
  });
});

describe.each([200, 140])('statusFromModern with T = %i', (T) => {
  const now = 1_700_000_000;

  it('is active while the active timestamp is younger than T (T − 1 s old)', () => {
    expect(statusFromModern(modern({ active_timestamp: now - (T - 1), idle_timestamp: now - 5 }), now, T)).toEqual({
      state: 'active',
      lastActiveAt: now - (T - 1),
    });
  });

  it('is no longer active when the active timestamp is exactly T old; idle if connected', () => {
    expect(statusFromModern(modern({ active_timestamp: now - T, idle_timestamp: now - 10 }), now, T)).toEqual({
      state: 'idle',
      lastActiveAt: now - 10,
    });
  });

  it('is offline when both are exactly T old, showing the last active time', () => {
    expect(statusFromModern(modern({ active_timestamp: now - T - 600, idle_timestamp: now - T }), now, T)).toEqual({
      state: 'offline',
      lastActiveAt: now - T - 600,
    });
  });

  it('accepts the thresholds object too', () => {
    const thresholds = { offlineThresholdSeconds: T, pingIntervalSeconds: 60 };
    expect(statusFromModern(modern({ active_timestamp: now - T + 1, idle_timestamp: 0 }), now, thresholds).state).toBe(
      'active',
    );
  });
});

describe('statusFromModern details', () => {
  const now = 1_700_000_000;

  it('offline shows the active timestamp; idle shows the later of the two', () => {
    expect(statusFromModern(modern({ active_timestamp: now - 50, idle_timestamp: now - 60 }), now, 40)).toEqual({
      state: 'offline',
      lastActiveAt: now - 50,
    });
    expect(statusFromModern(modern({ active_timestamp: now - 500, idle_timestamp: now - 30 }), now, 200)).toEqual({
      state: 'idle',
      lastActiveAt: now - 30,
    });
  });

  it('offline: falls back to date_joined for someone never active (ISO or seconds)', () => {
    const joined = '2023-11-14T20:00+00:00';
    const joinedSec = Date.parse(joined) / 1000;
    expect(statusFromModern(modern({ idle_timestamp: now - 1000 }), now, 200, joined)).toEqual({
      state: 'offline',
      lastActiveAt: joinedSec,
    });
    expect(statusFromModern(modern({ active_timestamp: now - 1000 }), now, 200, now - 5000)).toEqual({
      state: 'offline',
      lastActiveAt: now - 1000,
    });
  });

  it('missing timestamps count as infinitely old; no data at all gives no last-active time', () => {
    expect(statusFromModern(modern({}), now, 200)).toEqual({ state: 'offline', lastActiveAt: null });
    expect(statusFromModern(modern({ active_timestamp: null, idle_timestamp: now - 1 }), now, 200)).toEqual({
      state: 'idle',
      lastActiveAt: now - 1,
    });
  });

  it('measures against the server timestamp, not the local clock', () => {
    const serverNow = 1_000_000;
    expect(statusFromModern(modern({ active_timestamp: serverNow - 10, idle_timestamp: serverNow - 10 }), serverNow, 200).state).toBe(
      'active',
    );
  });
});

describe('statusFromLegacyAggregated', () => {
  const now = 1_600_000_000;

  it.each([200, 140])('keeps the status while younger than T, offline at exactly T (T = %i)', (T) => {
    expect(statusFromLegacyAggregated({ status: 'active', timestamp: now - (T - 1) }, now, T)).toEqual({
      state: 'active',
      lastActiveAt: now - (T - 1),
    });
    expect(statusFromLegacyAggregated({ status: 'idle', timestamp: now - (T - 1) }, now, T).state).toBe('idle');
    expect(statusFromLegacyAggregated({ status: 'active', timestamp: now - T }, now, T)).toEqual({
      state: 'offline',
      lastActiveAt: now - T,
    });
  });

  it('accepts the "offline" the per-person endpoint writes into aggregated', () => {
    expect(statusFromLegacyAggregated({ status: 'offline', timestamp: now - 265 }, now, 200)).toEqual({
      state: 'offline',
      lastActiveAt: now - 265,
    });
    // Even if the clock says it is fresh, an explicit offline stays offline.
    expect(statusFromLegacyAggregated({ status: 'offline', timestamp: now - 5 }, now, 200).state).toBe('offline');
  });
});

describe('statusFromLegacyClients', () => {
  const now = 1_600_000_000;

  it('uses aggregated when present', () => {
    const [clients, aggregated] = legacy({
      website: { client: 'website', status: 'active', timestamp: now - 10, pushable: false },
      aggregated: { client: 'website', status: 'idle', timestamp: now - 20 },
    });
    expect(statusFromLegacyClients(clients, aggregated, now, 200)).toEqual({ state: 'idle', lastActiveAt: now - 20 });
  });

  it('otherwise uses the newest client entry', () => {
    const [clients, aggregated] = legacy({
      website: { status: 'idle', timestamp: now - 300 },
      ZulipMobile: { status: 'active', timestamp: now - 30 },
    });
    expect(aggregated).toBeNull();
    expect(statusFromLegacyClients(clients, aggregated, now, 200)).toEqual({ state: 'active', lastActiveAt: now - 30 });
    expect(statusFromLegacyClients(clients, aggregated, now + 200, 200)).toEqual({ state: 'offline', lastActiveAt: now - 30 });
  });

  it('returns null with nothing usable', () => {
    expect(statusFromLegacyClients([], null, now, 200)).toBeNull();
    // Junk never gets this far: the parser finds no client record in it and says so.
    expect(parseUserPresence({ junk: 5, other: { status: 'active' } }, undefined)).toEqual(expect.any(String));
    expect(parseUserPresence({}, undefined)).toEqual(expect.any(String));
  });
});
