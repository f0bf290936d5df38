import 'server-only';
import type { DirectoryApp } from '@/lib/server/app';
import { renderFieldValue } from '@/lib/directory/domain/profile-fields';
import { dmUrl, profileUrl } from '@/lib/directory/domain/zulip-links';
import type { PeoplePage, PeopleQuery, PersonRow, PresenceDiff } from '@/lib/directory/domain/types';
import type { AvatarUrls, Profile } from '@/lib/directory/domain/service-types';
import { orgChartOf, profileReportingLine } from '@/lib/server/org-chart-service';
import { shownPresence, shownPresenceOfEveryone } from '@/lib/server/shown-presence';
import type { OrganizationInfo } from '@/lib/directory/domain/types';
import type { TeamInfo } from '@/lib/directory/domain/teams-types';
import { toPersonRow } from '@/lib/directory/domain/person-row';

// The directory's server-side read functions. Server components call these directly; route
// handlers call the same functions and return their JSON, so both always agree.

export async function getPeoplePage(app: DirectoryApp, query: PeopleQuery): Promise<PeoplePage> {
  const runtime = await app.directory();
  return { ...runtime.view.queries.run(query, runtime.freshness(), app.clock.now()), presenceVersion: runtime.view.log.current };
}

/** Everyone a view matches (getExportSource), as the exports read them. */
export interface PeopleMatching {
  ids: number[];
  /** The person as listed now, presence included; null if they left since the query. */
  row: (id: number) => PersonRow | null;
  /** The view's facets: the names of what its filters choose by id (a team). */
  facets: PeoplePage['facets'];
  /** Their managers' names, as the profile and the org chart name them (§14): "Name (left)" for one who has left. */
  managerNames: (id: number) => string[];
}

/**
 * What the exports (app/export) are made from: the versions a file depends on (people, teams,
 * presence: when one changes, a file made before is stale), the organization, and `match`,
 * which runs a view's query, in its order and unpaged (offset and limit ignored), keeping only
 * ids (lib/directory/search/query-people.ts), so a slow download holds 20,000 numbers rather than 20,000 rows (~14 MB).
 */
export async function getExportSource(app: DirectoryApp): Promise<{
  versions: { people: number; teams: number; presence: number };
  org: OrganizationInfo;
  presenceDisabled: boolean;
  match: (query: PeopleQuery) => PeopleMatching;
}> {
  const runtime = await app.directory();
  const { people, teams, log } = runtime.view;
  return {
    versions: { people: people.version, teams: teams.version, presence: log.current },
    org: runtime.view.org,
    presenceDisabled: runtime.view.presenceDisabled,
    match: (query) => {
      const { ids, facets } = runtime.view.queries.matchingIds(query, runtime.freshness(), app.clock.now());
      const chart = orgChartOf(runtime);
      return {
        ids,
        facets,
        row: (id) => {
          const person = people.get(id);
          return person ? toPersonRow(person, shownPresence(runtime.view, id), app.clock.now()) : null;
        },
        // The chart's managers (itself and repeats left out, bots and strangers unnamed), so a
        // file names the managers the profile names; one who has left is marked. One chart for
        // the whole file, as its ids are the view's at the time it was asked for.
        managerNames: (id) =>
          chart.managersOf(id).flatMap((managerId) => {
            const manager = chart.person(managerId);
            return manager ? [manager.left ? `${manager.name} (left)` : manager.name] : [];
          }),
      };
    },
  };
}

export async function getOrganization(app: DirectoryApp): Promise<OrganizationInfo> {
  const runtime = await app.directory();
  return runtime.view.org;
}

/** The avatar URL of someone the viewer may see (the people index's rows ask for it by version, docs/architecture.md §17); null for no one, or no picture. */
export async function getAvatarUrl(app: DirectoryApp, ref: string): Promise<string | null> {
  const runtime = await app.directory();
  return runtime.view.people.resolve(ref)?.avatarUrl ?? null;
}

/** The URLs of these people's pictures, by id: only people the viewer may see who have one. */
export async function getAvatarUrls(app: DirectoryApp, ids: readonly number[]): Promise<AvatarUrls> {
  const runtime = await app.directory();
  const avatars: Record<string, string> = {};
  for (const id of ids) {
    const url = runtime.view.people.get(id)?.avatarUrl;
    if (url) avatars[String(id)] = url;
  }
  return { avatars };
}

export async function getProfile(app: DirectoryApp, ref: string): Promise<Profile | null> {
  const runtime = await app.directory();
  const person = runtime.view.people.resolve(ref);
  if (!person) return null;
  const roles = runtime.view.people.fieldRoles();
  const shownAbove = new Set([roles.title, roles.department, roles.office, roles.pronouns, roles.manager]);
  // Someone who has left is named, as the reporting line and the org chart name them.
  const lookup = (id: number) => {
    const p = runtime.view.people.get(id);
    if (p) return { id: p.id, name: p.name };
    const former = runtime.view.people.former(id);
    return former ? { id, name: former.name, left: true } : undefined;
  };
  const fields = runtime.view.people
    .fieldDefinitions()
    .filter((f) => !shownAbove.has(f.id) && person.fields[String(f.id)] !== undefined)
    .flatMap((f) => {
      const rendered = renderFieldValue({ id: f.id, type: f.type, name: f.name, field_data: f.fieldData }, person.fields[String(f.id)]!, { lookup });
      return rendered ? [{ id: f.id, name: f.name, rendered, setByOrganization: f.editableByUser === false }] : [];
    });
  // Every listed person is in the chart, which is current with the store it was just read from.
  const reporting = profileReportingLine(runtime, person.id)!;
  return {
    person: toPersonRow(person, shownPresence(runtime.view, person.id), app.clock.now()),
    ...reporting,
    teams: runtime.view.teams.teamsOf(person.id),
    fields,
    usualHours: person.workingHours !== null && (roles.workingHours === null || person.fields[String(roles.workingHours)] === undefined),
    links: {
      message: dmUrl(runtime.view.org.realmUrl, person.id, person.name, runtime.view.org.featureLevel),
      open: profileUrl(runtime.view.org.realmUrl, person.id, runtime.view.org.featureLevel),
    },
    org: runtime.view.org,
    freshness: runtime.freshness(),
    presenceVersion: runtime.view.log.current,
  };
}

/** A team's page header: the team, or null for an unknown, system or deactivated group (docs/zulip.md §n). */
export async function getTeam(app: DirectoryApp, id: number): Promise<{ team: TeamInfo; org: OrganizationInfo } | null> {
  const runtime = await app.directory();
  const team = runtime.view.teams.get(id);
  return team ? { team, org: runtime.view.org } : null;
}

/** Changes since a version the client already has, or everything when that is too old. */
export async function getPresenceSince(app: DirectoryApp, since: number | null): Promise<PresenceDiff> {
  const runtime = await app.directory();
  const freshness = runtime.freshness();
  const version = runtime.view.log.current;
  // With presence off there is nothing to catch up on: the answer is everyone's, which is no one's.
  const changes = since === null || runtime.view.presenceDisabled ? null : runtime.view.log.since(since);
  if (changes === null) return { version, full: true, changes: shownPresenceOfEveryone(runtime.view), freshness };
  return { version, full: false, changes, freshness };
}
