import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RenderClockProvider } from '@/components/presence/render-clock';
import { LocalTime, localTimeLabel, offsetFromViewer } from '@/components/ui/local-time';

// 2026-01-06 (a Tuesday) 23:30 UTC: already Wednesday in Tokyo.
const NOW = Date.UTC(2026, 0, 6, 23, 30) / 1000;
const at = new Date(NOW * 1000);
// What the viewer's browser would say for 24 and 12 hours (the test runs in Node's own locale).
const hm = (zone: string) => new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(at);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('localTimeLabel', () => {
  it('shows the time in the person’s zone in the viewer’s locale, with their weekday when it is another day there than for the viewer', () => {
    expect(localTimeLabel('Asia/Tokyo', NOW, 'Europe/London')?.time).toMatch(new RegExp(`^Wed ${hm('Asia/Tokyo')}$`));
    expect(localTimeLabel('Asia/Tokyo', NOW, 'Asia/Seoul')?.time).toBe(hm('Asia/Tokyo'));
    expect(localTimeLabel('Europe/London', NOW, 'Europe/Paris')?.time).toMatch(/^Tue /);
    expect(localTimeLabel('Not/AZone', NOW, 'Europe/London')).toBeNull();
  });

  it('says how far the person is from the viewer, in hours and minutes', () => {
    expect(offsetFromViewer('America/New_York', 'Europe/Paris', at)).toBe('6 h behind you');
    expect(offsetFromViewer('Asia/Kolkata', 'Europe/London', at)).toBe('5 h 30 min ahead of you');
    expect(offsetFromViewer('Europe/Berlin', 'Europe/Paris', at)).toBe('same time as you');
    expect(localTimeLabel('Asia/Tokyo', NOW, 'UTC')?.offset).toBe('9 h ahead of you');
  });

  it('builds each Intl formatter once, not once per row and render (they cost native memory the GC hardly sees)', () => {
    const zones = ['Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'Not/AZone'];
    // A directory page renders 50 rows, and the clock moves on a minute at a time.
    const renderRows = () => {
      for (let i = 0; i < 200; i++) localTimeLabel(zones[i % zones.length]!, NOW + 60 * i, 'UTC');
    };
    renderRows(); // warm: one formatter per zone and kind
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    renderRows();
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('LocalTime', () => {
  it('renders an empty box on the server: the viewer’s locale and zone are only known in the browser', () => {
    const html = renderToString(
      <RenderClockProvider zulipAheadMs={0} serverNow={NOW} historyDays={365}>
        <LocalTime timeZone="Asia/Tokyo" className="h-5" />
      </RenderClockProvider>,
    );
    expect(html).toMatch(/^<span class="h-5" title="Asia\/Tokyo" data-local-time="true"><\/span>$/);
  });
});
