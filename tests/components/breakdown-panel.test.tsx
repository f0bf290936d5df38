import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BreakdownTable } from '@/components/presence/breakdown-panel';
import { RenderClockProvider } from '@/components/presence/render-clock';
import type { PresenceDetail } from '@/lib/presence/detail-types';
import { breakdownFromSnapshot } from '@/lib/presence/snapshot-breakdown';

// Zulip's clock when the page was rendered.
const NOW = 1_690_000_000;

function render(detail: PresenceDetail): string {
  const html = renderToString(
    <RenderClockProvider zulipAheadMs={0} serverNow={NOW} historyDays={365}>
      <BreakdownTable detail={detail} />
    </RenderClockProvider>,
  );
  return html.replace(/<!-- -->/g, '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
}

const breakdown = breakdownFromSnapshot({ state: 'active', lastActiveAt: NOW - 20 }, '10.2');
const common = { personId: 7, available: true as const, breakdown, fetchedAt: 0, stale: false };

describe('BreakdownTable: where the breakdown came from', () => {
  it('says when it comes from the directory’s snapshot, and how old that is', () => {
    expect(render({ ...common, source: 'snapshot', snapshotAt: NOW - 12, snapshotAgeSeconds: 12 })).toContain('From the directory’s last refresh, 12 s ago.');
    // The page's clock has moved on since the answer was made: the age grows with it.
    expect(render({ ...common, source: 'snapshot', snapshotAt: NOW - 200, snapshotAgeSeconds: 5 })).toContain('From the directory’s last refresh, 3 min ago.');
    expect(render({ ...common, source: 'snapshot', snapshotAt: null, snapshotAgeSeconds: null })).toContain('From the directory’s last refresh.');
  });

  it('says nothing of the kind for Zulip’s own answer', () => {
    const html = render({ ...common, source: 'zulip' });
    expect(html).toContain('All devices');
    expect(html).not.toContain('last refresh');
  });
});

describe('BreakdownTable: an answer Zulip could not confirm just now', () => {
  const STALE = 'Zulip did not answer just now; this is the last known answer.';
  it('is marked stale whatever it says, "never reported" included', () => {
    expect(render({ ...common, source: 'zulip', stale: true })).toContain(STALE);
    const never = { personId: 7, available: false as const, reason: 'No device has ever reported presence for this person.', fetchedAt: 0, source: 'zulip' as const };
    expect(render({ ...never, stale: true })).toContain(STALE);
    expect(render({ ...never, stale: false })).not.toContain(STALE);
  });
});
