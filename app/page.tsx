import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DirectoryView } from '@/components/directory/directory-view';
import { LivePage } from '@/components/ui/live-page';
import { renderClock } from '@/lib/server/render-time';
import { readRouteQuery, searchParamsOf } from '@/lib/http/routes';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { getOrganization, getPeoplePage } from '@/lib/server/directory-service';
import { checkPageViewer, requirePageViewer } from '@/lib/server/viewer';
import { theApp } from '@/lib/server/app-handle';

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // Nothing about the organization before the viewer is allowed in (the page then answers 401/403).
  if (!(await checkPageViewer(theApp())).ok) return {};
  const org = await getOrganization(theApp());
  return { title: `${org.name} directory`, description: `Find a colleague at ${org.name} and see whether they are reachable on Zulip now.` };
}

export default async function DirectoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Live data: never prerender at build time.
  await connection();
  const viewer = await requirePageViewer(theApp());
  const parsed = readRouteQuery('/', searchParamsOf(await searchParams));
  // proxy.ts has already answered a malformed link with a 400 page; this is only a backstop.
  const query = parsed.ok ? parsed.value : DEFAULT_PEOPLE_QUERY;
  const [page, org] = await Promise.all([getPeoplePage(theApp(), query), getOrganization(theApp())]);
  return (
    <LivePage clock={await renderClock(theApp())} org={org} live={page} viewer={viewer}>
      <h1 className="sr-only">People at {org.name}</h1>
      <DirectoryView initialQuery={query} initialPage={page} />
    </LivePage>
  );
}
