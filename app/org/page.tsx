import type { Metadata } from 'next';
import { connection } from 'next/server';
import { OrgChartView } from '@/components/org/org-chart-view';
import { LivePage } from '@/components/ui/live-page';
import { renderClock } from '@/lib/server/render-time';
import { checkPageViewer, requirePageViewer } from '@/lib/server/viewer';
import { readRouteQuery, searchParamsOf } from '@/lib/http/routes';
import { getOrganization } from '@/lib/server/directory-service';
import { getOrgChartPage } from '@/lib/server/org-chart-service';
import { theApp } from '@/lib/server/app-handle';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // Nothing about the organization before the viewer is allowed in (the page then answers 401/403).
  if (!(await checkPageViewer(theApp())).ok) return {};
  const org = await getOrganization(theApp());
  return { title: `Org chart · ${org.name} directory`, description: `Who reports to whom at ${org.name}, and who is reachable on Zulip now.` };
}

export default async function OrgChartPage({ searchParams }: Props) {
  // Live data: never prerender at build time.
  await connection();
  const viewer = await requirePageViewer(theApp());
  const parsed = readRouteQuery('/org', searchParamsOf(await searchParams));
  // proxy.ts has already answered a malformed link with a 400 page; this is only a backstop.
  const chart = await getOrgChartPage(theApp(), parsed.ok ? parsed.value.focus : null);
  return (
    <LivePage clock={await renderClock(theApp())} org={chart.org} live={chart} viewer={viewer}>
      <OrgChartView chart={chart} />
    </LivePage>
  );
}
