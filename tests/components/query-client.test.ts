// @vitest-environment jsdom
// In a browser (a window): there TanStack collects unobserved entries after five minutes; on a server it never does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyDiff, type LivePresenceState } from '@/components/presence/live-presence';
import { makeQueryClient } from '@/lib/directory/client/query-client';
import { directoryKeys } from '@/lib/directory/client/queries';

const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the tab’s query client', () => {
  it('keeps the live presence state for the page’s life, though no observer holds it', () => {
    const client = makeQueryClient();
    const key = directoryKeys.presenceLive();
    // As the stream and the people index write it (components/presence/live-presence.tsx):
    // setQueryData only, read through a cache subscription.
    client.setQueryData<LivePresenceState>(key, applyDiff(undefined, { version: 1, full: true, changes: [{ id: 1, presence: { state: 'active', lastActiveAt: 10 } }], freshness }));
    // Something else written the same way, with the default garbage collection: gone after five minutes.
    client.setQueryData(directoryKeys.presencePoll(), { version: 1 });
    for (let minute = 1; minute <= 60; minute++) {
      vi.advanceTimersByTime(60_000);
      client.setQueryData<LivePresenceState>(key, (state) => applyDiff(state, { version: 1 + minute, full: false, changes: [], freshness }));
    }
    expect(client.getQueryData(directoryKeys.presencePoll())).toBeUndefined();
    const state = client.getQueryData<LivePresenceState>(key);
    expect(state?.complete).toBe(true);
    expect(state?.version).toBe(61);
    expect(state?.byId[1]).toEqual({ state: 'active', lastActiveAt: 10 });
  });
});
