import { describe, expect, it } from 'vitest';
import { applyDiff } from '@/components/presence/live-presence';
import { applyPolled } from '@/components/presence/live-presence-state';

const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };

describe('applyDiff', () => {
  it('merges partial diffs over what the page already knows', () => {
    const first = applyDiff(undefined, { version: 3, full: false, changes: [{ id: 1, presence: { state: 'active', lastActiveAt: 10 } }], freshness });
    expect(first).toMatchObject({ version: 3, complete: false, byId: { 1: { state: 'active', lastActiveAt: 10 } } });
    const second = applyDiff(first, { version: 4, full: false, changes: [{ id: 2, presence: null }], freshness: { ...freshness, stale: true, problem: 'Zulip is unreachable' } });
    expect(second.byId).toEqual({ 1: { state: 'active', lastActiveAt: 10 }, 2: null });
    expect(second.freshness.stale).toBe(true);
  });

  it('a full diff replaces everything and marks the map complete', () => {
    const partial = applyDiff(undefined, { version: 1, full: false, changes: [{ id: 1, presence: { state: 'idle', lastActiveAt: 5 } }], freshness });
    const full = applyDiff(partial, { version: 9, full: true, changes: [{ id: 2, presence: { state: 'active', lastActiveAt: 7 } }], freshness });
    expect(full.byId).toEqual({ 2: { state: 'active', lastActiveAt: 7 } });
    expect(full.complete).toBe(true);
  });

  it('keeps what it holds when an older change list arrives late, and takes the freshness of a poll that found nothing new', () => {
    const now = applyDiff(undefined, { version: 7, full: false, changes: [{ id: 1, presence: { state: 'active', lastActiveAt: 70 } }], freshness });
    // A poll asked at version 5 and answered after the stream's version 7.
    const late = applyDiff(now, { version: 6, full: false, changes: [{ id: 1, presence: { state: 'idle', lastActiveAt: 60 } }], freshness: { ...freshness, stale: true, problem: 'old' } });
    expect(late).toBe(now);
    const quiet = applyDiff(now, { version: 7, full: false, changes: [], freshness: { ...freshness, presenceUpdatedAt: 2 } });
    expect(quiet.byId).toEqual(now.byId);
    expect(quiet.freshness.presenceUpdatedAt).toBe(2);
    // A restarted server numbers from 1 again, and sends everyone.
    const restarted = applyDiff(now, { version: 1, full: true, changes: [{ id: 2, presence: null }], freshness });
    expect(restarted).toMatchObject({ version: 1, complete: true, byId: { 2: null } });
  });
});

describe('applyPolled', () => {
  it('a poll answered after the stream came back does not move the state back, even with a full answer', () => {
    const fromStream = { ...applyDiff(undefined, { version: 11, full: true, changes: [{ id: 1, presence: { state: 'active' as const, lastActiveAt: 70 } }], freshness }), receivedAt: 2_000 };
    const staleFull = { version: 10, full: true, changes: [{ id: 1, presence: { state: 'idle' as const, lastActiveAt: 60 } }], freshness };
    // Asked at 1,500, while polling; the stream's catch-up came at 2,000.
    expect(applyPolled(fromStream, staleFull, 1_500)).toBe(fromStream);
    // Asked after the state last heard anything: it is the news.
    expect(applyPolled(fromStream, staleFull, 2_500)?.byId[1]).toEqual({ state: 'idle', lastActiveAt: 60 });
  });
});
