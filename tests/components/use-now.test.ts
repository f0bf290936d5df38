import { describe, expect, it } from 'vitest';
import { zulipClockOffset } from '@/components/ui/use-now';

describe('zulipClockOffset', () => {
  it('keeps the offset of the freshest render: a page restored by Back does not set the clock back to when it was rendered', () => {
    // Zulip's clock is 1,000 s ahead of the browser's; the first page mounts 0.2 s after its render.
    expect(zulipClockOffset(11_000, 10_000.2)).toBeCloseTo(999.8);
    // Twenty minutes on, Back shows that page again, with the time it was rendered.
    expect(zulipClockOffset(11_000, 11_200.2)).toBeCloseTo(999.8);
    // A fresh page mounted sooner after its render is the better estimate.
    expect(zulipClockOffset(12_300, 11_300.1)).toBeCloseTo(999.9);
  });
});
