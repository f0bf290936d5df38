import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RenderClockProvider } from '@/components/presence/render-clock';
import { LocalTime } from '@/components/ui/local-time';

// 2026-01-06 (a Tuesday) 23:30 UTC: already Wednesday in Tokyo.
const NOW = Date.UTC(2026, 0, 6, 23, 30) / 1000;

function render(timeZone: string): string {
  return text(
    renderToString(
    <RenderClockProvider serverNow={NOW} historyDays={365}>
      <LocalTime timeZone={timeZone} />
    </RenderClockProvider>,
    ),
  );
}

/** The visible text: tags and React's text separators removed. */
function text(html: string): string {
  return html.replace(/<!-- -->/g, '').replace(/<[^>]*>/g, '');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LocalTime', () => {
  it('shows the time in the person’s zone, with their weekday when it is another day there than here', () => {
    const here = new Intl.DateTimeFormat('en-GB', { weekday: 'short' }).format(NOW * 1000);
    expect(render('Asia/Tokyo')).toBe(here === 'Wed' ? '08:30 local' : 'Wed 08:30 local');
    expect(render('Europe/London')).toBe(here === 'Tue' ? '23:30 local' : 'Tue 23:30 local');
    expect(render('Not/AZone')).toBe('');
    expect(render('')).toBe('');
  });

  it('builds each Intl formatter once, not once per row and render (they cost native memory the GC hardly sees)', () => {
    const zones = ['Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'Not/AZone'];
    for (const zone of zones) render(zone); // warm: one formatter per zone
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    // A directory page renders 50 rows; render a few pages' worth.
    for (let i = 0; i < 200; i++) render(zones[i % zones.length]!);
    expect(spy).not.toHaveBeenCalled();
  });
});
