import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DirectoryView } from '@/components/directory/directory-view';
import { TeamOverlapView } from '@/components/directory/team-overlap';
import { LivePage } from '@/components/ui/live-page';
import { renderClock } from '@/lib/server/render-time';
import { AppLink } from '@/components/ui/app-link';
import { checkPageViewer, requirePageViewer } from '@/lib/server/viewer';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { OVERLAP_TEAM_LIMIT } from '@/lib/directory/domain/availability/overlap';
import { readRouteParams, readRouteQuery, searchParamsOf } from '@/lib/http/routes';
import { getPeoplePage, getTeam } from '@/lib/server/directory-service';
import { theApp } from '@/lib/server/app-handle';

// A team (a Zulip user group, docs/zulip.md §n): the directory's list filtered to its people,
// subgroups included, with its name and description on top. An unknown id, a system group or a
// deactivated one is a real 404; a malformed id or filter is a 400 from proxy.ts.

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function loadTeam(params: Props['params']) {
  const parsed = readRouteParams('/groups/[id]', await params);
  return parsed.ok ? getTeam(theApp(), parsed.value.id) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  // Who may see staff data is decided before any is read: the title names the team.
  if (!(await checkPageViewer(theApp())).ok) return {};
  const found = await loadTeam(params);
  // Deciding here, before anything streams, is what makes an unknown team a real 404.
  if (!found) notFound();
  const { team, org } = found;
  return {
    title: `${team.name} · ${org.name} directory`,
    description: team.description || `The ${team.name} team at ${org.name}.`,
    alternates: { canonical: `/groups/${team.id}` },
  };
}

export default async function TeamPage({ params, searchParams }: Props) {
  await connection();
  const viewer = await requirePageViewer(theApp());
  const found = await loadTeam(params);
  if (!found) notFound();
  const { team, org } = found;
  const parsed = readRouteQuery('/groups/[id]', searchParamsOf(await searchParams));
  // proxy.ts has already answered a malformed link with a 400 page; this is only a backstop.
  const query = { ...(parsed.ok ? parsed.value : DEFAULT_PEOPLE_QUERY), team: team.id };
  const page = await getPeoplePage(theApp(), query);
  // The overlap chart: every member, up to the limit; a larger team is named as such, not cut.
  const everyone = await getPeoplePage(theApp(), { ...DEFAULT_PEOPLE_QUERY, team: team.id, sort: 'name', limit: OVERLAP_TEAM_LIMIT });
  const members = everyone.items.map(({ id, name, workingHours, statusMeaning, timezone }) => ({ id, name, workingHours, statusMeaning, timezone }));
  return (
    <LivePage clock={await renderClock(theApp())} org={org} live={page} viewer={viewer}>
      <header className="mb-4 space-y-1">
        <p className="text-sm text-ink-muted">
          <AppLink href="/" className="underline hover:no-underline">
            All people
          </AppLink>
          <span aria-hidden="true"> / </span>
          Team
        </p>
        <h1 className="text-2xl font-semibold break-words">{team.name}</h1>
        {team.description && <p className="whitespace-pre-line text-ink-muted">{team.description}</p>}
      </header>
      <TeamOverlapView people={members} total={everyone.total} />
      <DirectoryView initialQuery={query} initialPage={page} scope={{ team: team.id }} />
    </LivePage>
  );
}
