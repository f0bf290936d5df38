import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DirectoryView } from '@/components/directory/directory-view';
import { TeamOverlapView } from '@/components/directory/team-overlap';
import { LivePage } from '@/components/ui/live-page';
import { AppLink } from '@/components/ui/app-link';
import { checkPageViewer, requirePageViewer } from '@/lib/access/viewer';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/people-query-url';
import { parseTeamId } from '@/lib/directory/teams-id';
import { parseTeamPageQuery } from '@/lib/directory/teams-page-query';
import { getPeoplePage, getTeam } from '@/lib/server/directory-service';

// A team (a Zulip user group, docs/zulip.md §n): the directory's list filtered to its people,
// subgroups included, with its name and description on top. An unknown id, a system group or a
// deactivated one is a real 404; a malformed id or filter is a 400 from proxy.ts.

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

async function loadTeam(params: Props['params']) {
  const parsed = parseTeamId((await params).id);
  return parsed.ok ? getTeam(parsed.id) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await connection();
  // Who may see staff data is decided before any is read: the title names the team.
  if (!(await checkPageViewer()).ok) return {};
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
  const viewer = await requirePageViewer();
  const found = await loadTeam(params);
  if (!found) notFound();
  const { team, org } = found;
  const parsed = parseTeamPageQuery(await searchParams);
  // proxy.ts has already answered a malformed link with a 400 page; this is only a backstop.
  const query = { ...(parsed.ok ? parsed.query : DEFAULT_PEOPLE_QUERY), team: team.id };
  const page = await getPeoplePage(query);
  // The overlap chart: the team's first 200 by name (a team is a few dozen people at most in practice).
  const members = (await getPeoplePage({ ...DEFAULT_PEOPLE_QUERY, team: team.id, sort: 'name', limit: 200 })).items.map(
    ({ id, name, workingHours, statusMeaning }) => ({ id, name, workingHours, statusMeaning }),
  );
  return (
    <LivePage org={org} live={page} viewer={viewer}>
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
      <TeamOverlapView people={members} />
      <DirectoryView initialQuery={query} initialPage={page} scope={{ team: team.id }} />
    </LivePage>
  );
}
