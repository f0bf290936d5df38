import { describe, expect, it } from 'vitest';
import { PresenceFanOut } from '@/lib/presence/fan-out';

const freshness = { presenceUpdatedAt: 1, stale: false, problem: null, presenceDisabled: false };

describe('PresenceFanOut', () => {
  it('serializes and encodes a diff once: every viewer gets the very same bytes', () => {
    const fanOut = new PresenceFanOut();
    const got: Array<{ text: string; bytes: Uint8Array }> = [];
    const unsubscribe = [1, 2, 3].map(() => fanOut.subscribe((text, bytes) => got.push({ text, bytes })));
    const changes = Array.from({ length: 5_000 }, (_, id) => ({ id, presence: { state: 'active' as const, lastActiveAt: 1 } }));
    fanOut.publish({ version: 7, full: false, changes, freshness });
    expect(got).toHaveLength(3);
    expect(got[1]!.bytes).toBe(got[0]!.bytes);
    expect(got[2]!.bytes).toBe(got[0]!.bytes);
    expect(new TextDecoder().decode(got[0]!.bytes)).toBe(got[0]!.text);
    expect(got[0]!.text.startsWith('id: 7\nevent: presence\ndata: {')).toBe(true);
    expect(got[0]!.text.endsWith('}\n\n')).toBe(true);
    unsubscribe.forEach((u) => u());
    expect(fanOut.size).toBe(0);
  });
});
