import type { Metadata } from 'next';
import { connection } from 'next/server';
import { AccountMenu } from '@/components/access/account-menu';
import { OrgChartView } from '@/components/org/org-chart-view';
import { LivePresenceProvider } from '@/components/presence/live-presence';
import { FreshnessLine } from '@/components/presence/freshness-line';
import { RenderClockProvider } from '@/components/presence/render-clock';
import { PageShell } from '@/components/ui/page-shell';
import { checkPageViewer, requirePageViewer } from '@/lib/access/viewer';
import { parseOrgPageQuery } from '@/lib/directory/org-query';
import { presenceHistoryDays } from '@/lib/presence/status';
import { renderTimeSeconds } from '@/lib/server/clock';
import { getOrganization } from '@/lib/server/directory-service';
import { getOrgChartPage } from '@/lib/server/org-chart-service';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // Nothing about the organization before the viewer is allowed in (the page then answers 401/403).
  if (!(await checkPageViewer()).ok) return {};
  const org = await getOrganization();
  return { title: `Org chart · ${org.name} directory`, description: `Who reports to whom at ${org.name}, and who is reachable on Zulip now.` };
}

export default async function OrgChartPage({ searchParams }: Props) {
  // Live data: never prerender at build time.
  await connection();
  const viewer = await requirePageViewer();
  const parsed = parseOrgPageQuery(await searchParams);
  // proxy.ts has already answered a malformed link with a 400 page; this is only a backstop.
  const chart = await getOrgChartPage(parsed.ok ? parsed.query.focus : null);
  return (
    <RenderClockProvider serverNow={await renderTimeSeconds()} historyDays={presenceHistoryDays(chart.org.featureLevel)}>
      <LivePresenceProvider initialVersion={chart.presenceVersion} initialFreshness={chart.freshness}>
        <PageShell orgName={chart.org.name} demo={chart.org.demo} aside={<><FreshnessLine initial={chart.freshness} /><AccountMenu viewer={viewer} /></>}>
          <OrgChartView chart={chart} />
        </PageShell>
      </LivePresenceProvider>
    </RenderClockProvider>
  );
}
