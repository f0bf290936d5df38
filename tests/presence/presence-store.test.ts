import { describe, expect, it } from 'vitest';
import { PresenceStore } from '@/lib/presence/presence-store';
import { PresenceLog } from '@/lib/presence/presence-log';
import { readPresenceMap } from '../zulip/records-support';
import realmPresence from '../fixtures/zulip/realm-presence-200.json';

const T = 200;

describe('PresenceStore', () => {
  it('computes states against the server clock, not the local one', () => {
    const s = new PresenceStore(T);
    // The local clock is an hour behind the server; ages must still come out right.
    s.replaceAll(readPresenceMap({ '1': { active_timestamp: 10_000, idle_timestamp: 10_000 } }).byId, 10_050);
    s.setServerTime(10_050, 6_450);
    expect(s.recompute([{ id: 1 }], 6_450)).toEqual([{ id: 1, presence: { state: 'active', lastActiveAt: 10_000 } }]);
    // 300 s later: offline by the passage of time alone.
    expect(s.recompute([{ id: 1 }], 6_750)).toEqual([{ id: 1, presence: { state: 'offline', lastActiveAt: 10_000 } }]);
    // Nothing changed: no diff.
    expect(s.recompute([{ id: 1 }], 6_760)).toEqual([]);
  });

  // A legacy presence event before 7.0 (one client's record, not the whole row), read as the
  // client reads it: lib/zulip folds the dict, the store merges the result.
  const legacyEvent = (userId: number, presence: Record<string, unknown>) =>
    readPresenceMap({ [userId]: presence }, { complete: false, serverTimestamp: null }).byId.get(userId)!;

  it("folds legacy per-client data in as Zulip's web app does", () => {
    const s = new PresenceStore(T);
    s.replaceAll(readPresenceMap({ '1': { active_timestamp: 1_000, idle_timestamp: 5_000 } }).byId, 5_000);
    s.apply(1, legacyEvent(1, { website: { status: 'idle', timestamp: 5_100 }, aggregated: { status: 'offline', timestamp: 9_999 } }), false);
    s.setServerTime(5_150, 5_150);
    expect(s.recompute([{ id: 1 }], 5_150)[0]?.presence?.state).toBe('idle');
    s.apply(1, legacyEvent(1, { ZulipMobile: { status: 'active', timestamp: 5_140 } }), false);
    expect(s.recompute([{ id: 1 }], 5_150)[0]?.presence).toEqual({ state: 'active', lastActiveAt: 5_140 });
  });

  it("moves a time back only for a person's whole row (invisible mode), never for one client's older report", () => {
    const s = new PresenceStore(T);
    s.replaceAll(new Map([[1, { activeTimestamp: 5_000, idleTimestamp: 5_000 }]]), 5_100);
    s.setServerTime(5_100, 5_100);
    // Reports arrive in any order: an older one from one client changes nothing.
    s.apply(1, { activeTimestamp: 4_000, idleTimestamp: 0 }, false);
    expect(s.recompute([{ id: 1 }], 5_100)[0]?.presence).toEqual({ state: 'active', lastActiveAt: 5_000 });
    // The whole row, earlier than ours: Zulip moved it back on purpose.
    s.apply(1, { activeTimestamp: 4_000, idleTimestamp: 4_000 }, true);
    expect(s.recompute([{ id: 1 }], 5_100)[0]?.presence).toEqual({ state: 'offline', lastActiveAt: 4_000 });
  });

  it('reads a moved-back row that only says "idle, long ago" (6.x) and ignores the 70 s a legacy active record hides', () => {
    const s = new PresenceStore(140);
    s.replaceAll(new Map([[1, { activeTimestamp: 5_000, idleTimestamp: 5_060 }]]), 5_080);
    s.setServerTime(5_080, 5_080);
    // Legacy "active at 5,000" (last connected up to 70 s later is not shown): the same row.
    s.apply(1, { activeTimestamp: 5_000, idleTimestamp: 0 }, true);
    expect(s.recompute([{ id: 1 }], 5_080)[0]?.presence).toEqual({ state: 'active', lastActiveAt: 5_000 });
    // Zulip 6.x turning availability off: one idle row at now − 420 s (docs/zulip-versions.md §4).
    s.apply(1, { activeTimestamp: 0, idleTimestamp: 5_080 - 420 }, true);
    expect(s.recompute([{ id: 1 }], 5_080)[0]?.presence).toEqual({ state: 'offline', lastActiveAt: null });
  });

  it('keeps an active time older than a moved-back row, which a legacy idle record does not carry (Zulip 10.x hiding availability)', () => {
    const s = new PresenceStore(140);
    const now = 1_765_000_000;
    // Active three hours ago, idle now.
    s.replaceAll(new Map([[1, { activeTimestamp: now - 3 * 3600, idleTimestamp: now }]]), now);
    s.setServerTime(now, now);
    // Hiding their availability, Zulip moves the row's connected time back (do_change_user_setting,
    // docs/zulip-versions.md §4) and keeps the older active time; the legacy form of that row is
    // "idle at now − 265 s" (format_legacy_presence_dict), folded to no active time at all.
    s.apply(1, { activeTimestamp: 0, idleTimestamp: now - 265 }, true);
    expect(s.recompute([{ id: 1, dateJoined: '2020-12-28T09:39+00:00' }], now)[0]?.presence).toEqual({ state: 'offline', lastActiveAt: now - 3 * 3600 });
  });

  it('someone offline with no active time shows when they joined, as the web app does (status_from_raw) and the breakdown did', () => {
    const s = new PresenceStore(T);
    // Only ever idle (a background tab before 7.0), or a row moved back by invisible mode.
    s.replaceAll(new Map([[1, { activeTimestamp: 0, idleTimestamp: 4_000 }]]), 10_000);
    s.setServerTime(10_000, 10_000);
    const joined = '2026-01-05T09:30+00:00';
    expect(s.recompute([{ id: 1, dateJoined: joined }], 10_000)[0]?.presence).toEqual({ state: 'offline', lastActiveAt: Date.parse(joined) / 1000 });
  });

  it("reads Zulip's published realm/presence example", () => {
    const s = new PresenceStore(T);
    const batch = readPresenceMap(realmPresence.presences, { complete: true, serverTimestamp: realmPresence.server_timestamp });
    const [email, record] = [...batch.byApiEmail][0]!;
    expect(email).toContain('@');
    s.apply(1, record, batch.complete);
    s.setServerTime(batch.serverTimestamp!, realmPresence.server_timestamp);
    const [change] = s.recompute([{ id: 1 }], realmPresence.server_timestamp);
    expect(['active', 'idle']).toContain(change?.presence?.state);
  });

  it('forgets people who are no longer listed', () => {
    const s = new PresenceStore(T);
    s.replaceAll(readPresenceMap({ '1': { active_timestamp: 100, idle_timestamp: 100 } }).byId, 100);
    s.recompute([{ id: 1 }], 100);
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
