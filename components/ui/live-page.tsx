import type { ReactNode } from 'react';
import { AccountMenu } from '@/components/access/account-menu';
import { FreshnessLine } from '@/components/presence/freshness-line';
import { LivePresenceProvider } from '@/components/presence/live-presence';
import { RenderClockProvider } from '@/components/presence/render-clock';
import { PageShell } from '@/components/ui/page-shell';
import type { Viewer } from '@/lib/access/viewer';
import type { Freshness, OrganizationInfo } from '@/lib/directory/domain/types';
import { presenceHistoryDays } from '@/lib/presence/status';

/**
 * The frame of every page with live presence: the page's clocks (Zulip's and the wall's) and what "no
 * data" means for this server (RenderClockProvider), the live stream continuing from the
 * version the page was rendered at, and the shell with its freshness line and account menu.
 */
export function LivePage({ clock, org, live, viewer, children }: {
  /** The clocks when the page was rendered (lib/server/render-time.ts: Zulip's, and how far ahead of the wall's it is). */
  clock: { serverNow: number; zulipAheadMs: number };
  org: OrganizationInfo;
  live: { presenceVersion: number; freshness: Freshness };
  viewer: Viewer | null;
  children: ReactNode;
}) {
  return (
    <RenderClockProvider serverNow={clock.serverNow} zulipAheadMs={clock.zulipAheadMs} historyDays={presenceHistoryDays(org.featureLevel)}>
      <LivePresenceProvider initialVersion={live.presenceVersion} initialFreshness={live.freshness}>
        <PageShell orgName={org.name} demo={org.demo} aside={<><FreshnessLine initial={live.freshness} /><AccountMenu viewer={viewer} /></>}>
          {children}
        </PageShell>
      </LivePresenceProvider>
    </RenderClockProvider>
  );
}
