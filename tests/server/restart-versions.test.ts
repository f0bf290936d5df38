// One process on its own numbers presence diffs from the time in ms (docs/architecture.md §10,
// "Versions are global"): a tab open across a restart asks for changes since a version the new
// process never served, and gets the whole state rather than a part of it taken for the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '@/tests/support/fake-clock';
import { startHarness, type Harness } from '@/tests/integration/support';

const startedAt = Date.UTC(2026, 11, 7, 12);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 4, appClock: new FakeClock(startedAt) });
});
afterAll(async () => {
  await h?.close();
});

describe('after a restart', () => {
  it('numbers on above every version the process before it could have served, so a tab’s old one gets the whole state', () => {
    expect(h.runtime.coordination.mode).toBe('single');
    expect(h.runtime.view.log.current).toBeGreaterThan(startedAt);
    // A tab that had version 40 of the process before: the whole state (null), not the changes after 40.
    expect(h.runtime.view.log.since(40)).toBeNull();
  });
});
