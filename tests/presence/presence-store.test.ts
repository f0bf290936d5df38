import { describe, expect, it } from 'vitest';
import { PresenceStore } from '@/lib/presence/presence-store';
import { PresenceLog } from '@/lib/presence/presence-log';
import realmPresence from '../fixtures/zulip/realm-presence-200.json';

const T = 200;

describe('PresenceStore', () => {
  it('computes states against the server clock, not the local one', () => {
    const s = new PresenceStore(T);
    // The local clock is an hour behind the server; ages must still come out right.
    s.replaceAll({ '1': { active_timestamp: 10_000, idle_timestamp: 10_000 } }, 10_050);
    s.setServerTime(10_050, 6_450);
    expect(s.recompute([1], 6_450)).toEqual([{ id: 1, presence: { state: 'active', lastActiveAt: 10_000 } }]);
    // 300 s later: offline by the passage of time alone.
    expect(s.recompute([1], 6_750)).toEqual([{ id: 1, presence: { state: 'offline', lastActiveAt: 10_000 } }]);
    // Nothing changed: no diff.
    expect(s.recompute([1], 6_760)).toEqual([]);
  });

  it("folds legacy per-client data in as Zulip's web app does", () => {
    const s = new PresenceStore(T);
    s.replaceAll({ '1': { active_timestamp: 1_000, idle_timestamp: 5_000 } }, 5_000);
    s.mergeLegacy(1, { website: { status: 'idle', timestamp: 5_100 }, aggregated: { status: 'offline', timestamp: 9_999 } });
    s.setServerTime(5_150, 5_150);
    expect(s.recompute([1], 5_150)[0]?.presence?.state).toBe('idle');
    s.mergeLegacy(1, { ZulipMobile: { status: 'active', timestamp: 5_140 } });
    expect(s.recompute([1], 5_150)[0]?.presence).toEqual({ state: 'active', lastActiveAt: 5_140 });
  });

  it("reads Zulip's published realm/presence example", () => {
    const s = new PresenceStore(T);
    const [email, clients] = Object.entries(realmPresence.presences)[0]!;
    expect(email).toContain('@');
    s.mergeLegacy(1, clients as Record<string, { status: string; timestamp: number }>);
    s.setServerTime(realmPresence.server_timestamp, realmPresence.server_timestamp);
    const [change] = s.recompute([1], realmPresence.server_timestamp);
    expect(['active', 'idle']).toContain(change?.presence?.state);
  });

  it('forgets people who are no longer listed', () => {
    const s = new PresenceStore(T);
    s.replaceAll({ '1': { active_timestamp: 100, idle_timestamp: 100 } }, 100);
    s.recompute([1], 100);
    expect(s.get(1)).not.toBeNull();
    s.recompute([], 100);
    expect(s.get(1)).toBeNull();
  });
});

describe('PresenceLog', () => {
  const fresh = { presenceUpdatedAt: null, stale: false, problem: null, presenceDisabled: false };

  it('merges changes since a version, latest first, and asks for a reset when too old or after a full diff', () => {
    const log = new PresenceLog();
    log.append([{ id: 1, presence: null }], true, fresh);
    const v1 = log.current;
    log.append([{ id: 1, presence: { state: 'idle', lastActiveAt: 1 } }], false, fresh);
    log.append([{ id: 1, presence: { state: 'active', lastActiveAt: 2 } }, { id: 2, presence: null }], false, fresh);
    expect(log.since(v1)).toEqual([
      { id: 1, presence: { state: 'active', lastActiveAt: 2 } },
      { id: 2, presence: null },
    ]);
    expect(log.since(log.current)).toEqual([]);
    expect(log.since(0)).toBeNull();
    expect(log.since(log.current + 5)).toBeNull();
  });
});
