// /api/health's ages are read on the app's clock, the one its data was stamped with
// (docs/architecture.md §16), never on the process's own: an app handed a clock an hour behind
// the real one reports data it just loaded as new, and Zulip's clock an hour ahead of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthReport } from '@/lib/server/health-report';
import { FakeClock } from '@/tests/support/fake-clock';
import { startHarness, type Harness } from '@/tests/integration/support';

const HOUR_MS = 60 * 60 * 1000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ seed: 3, appClock: new FakeClock(Date.now() - HOUR_MS) });
});
afterAll(async () => {
  await h?.close();
});

describe('the health report', () => {
  it('measures the data’s age and Zulip’s clock against the app’s clock', () => {
    const { data } = healthReport(h.runtime).body;
    expect(data.presenceUpdatedAt).not.toBeNull();
    expect(data.presenceAgeSeconds).toBeLessThan(60);
    // Zulip (the demo server) runs on the real clock: an hour ahead of this app's.
    expect(Math.abs(data.zulipClockOffsetSeconds - HOUR_MS / 1000)).toBeLessThan(60);
  });
});
