import { describe, expect, it } from 'vitest';
import { breakdownFromSnapshot, snapshotHoldsPerPersonAnswer } from '@/lib/presence/snapshot-breakdown';

const now = 1_690_000_000;

describe('snapshotHoldsPerPersonAnswer (docs/zulip.md §a)', () => {
  it('holds from 7.0 (FL 178) up to the 12.0-dev levels whose per-person answer has the modern pair (FL 487)', () => {
    expect([65, 156, 177].map(snapshotHoldsPerPersonAnswer)).toEqual([false, false, false]);
    expect([178, 185, 372, 421, 486].map(snapshotHoldsPerPersonAnswer)).toEqual([true, true, true, true, true]);
    expect([487, 497].map(snapshotHoldsPerPersonAnswer)).toEqual([false, false]);
  });
});

describe('breakdownFromSnapshot', () => {
  it('is one "All devices" row with the badge’s state and time, and the combined note', () => {
    expect(breakdownFromSnapshot({ state: 'idle', lastActiveAt: now - 90 }, '10.2')).toEqual({
      kind: 'combined',
      rows: [{ client: 'aggregated', label: 'All devices', state: 'idle', lastReportedAt: now - 90, mostRecent: false }],
      note: 'This Zulip server (version 10.2) reports presence for all devices together.',
      summary: { state: 'idle', lastActiveAt: now - 90 },
    });
  });

  it('has no row when the snapshot has no time for the person, so the panel says what the badge says', () => {
    for (const summary of [null, { state: 'offline' as const, lastActiveAt: null }]) {
      const b = breakdownFromSnapshot(summary, '7.5');
      expect(b.rows).toEqual([]);
      expect(b.summary).toEqual({ state: 'offline', lastActiveAt: null });
    }
  });
});
