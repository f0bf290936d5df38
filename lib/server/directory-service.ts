import 'server-only';
import { getDirectory, type DirectoryRuntime } from '@/lib/server/runtime';
import { renderFieldValue } from '@/lib/directory/profile-fields';
import { dmUrl, profileUrl } from '@/lib/directory/zulip-links';
import type { PeoplePage, PeopleQuery, Person, PersonRow, PresenceDiff } from '@/lib/directory/types';
import type { PersonLink, Profile } from '@/lib/directory/service-types';
import type { OrganizationInfo } from '@/lib/directory/types';
import type { PresenceSummary } from '@/lib/presence/status';
import type { TeamInfo } from '@/lib/directory/teams-types';

// The directory's server-side read functions. Server components call these directly; route
// handlers call the same functions and return their JSON, so both always agree.

const MAX_CHAIN = 25;

export async function getPeoplePage(query: PeopleQuery): Promise<PeoplePage> {
  const runtime = await getDirectory();
  return { ...runtime.view.queries.run(query, runtime.freshness()), presenceVersion: runtime.view.log.current };
}

/** Everyone a view matches (getExportSource), as the exports read them. */
export interface PeopleMatching {
  ids: number[];
  /** The person as listed now, presence included; null if they left since the query. */
  row: (id: number) => PersonRow | null;
  /** The view's facets: the names of what its filters choose by id (a team). */
  facets: PeoplePage['facets'];
  nameOf: (id: number) => string | null;
}

/**
 * What the exports (app/export) are made from: the versions a file depends on (people, teams,
 * presence: when one changes, a file made before is stale), the organization, and `match`,
 * which runs a view's query, in its order and unpaged (offset and limit ignored), keeping only
 * ids (lib/directory/query-people.ts), so a slow download holds 20,000 numbers rather than 20,000 rows (~14 MB).
 */
export async function getExportSource(): Promise<{
  versions: { people: number; teams: number; presence: number };
  org: OrganizationInfo;
  presenceDisabled: boolean;
  match: (query: PeopleQuery) => PeopleMatching;
}> {
  const runtime = await getDirectory();
  const { people, teams, log } = runtime.view;
  return {
    versions: { people: people.version, teams: teams.version, presence: log.current },
    org: runtime.view.org,
    presenceDisabled: runtime.view.presenceDisabled,
    match: (query) => {
      const { ids, facets } = runtime.view.queries.matchingIds(query, runtime.freshness());
      return {
        ids,
        facets,
        row: (id) => {
          const person = people.get(id);
          return person ? { ...person, presence: presenceOf(runtime, id) } : null;
        },
        nameOf: (id) => people.get(id)?.name ?? null,
      };
    },
  };
}

export async function getOrganization(): Promise<OrganizationInfo & { presenceDisabled: boolean }> {
  const runtime = await getDirectory();
  return { ...runtime.view.org, presenceDisabled: runtime.view.presenceDisabled };
}

export async function getProfile(ref: string): Promise<Profile | null> {
  const runtime = await getDirectory();
  const person = runtime.view.people.resolve(ref);
  if (!person) return null;
  const link = (p: Person) => toLink(runtime, p);
  const roles = runtime.view.people.fieldRoles();
  const shownAbove = new Set([roles.title, roles.department, roles.office, roles.pronouns, roles.manager]);
  const lookup = (id: number) => {
    const p = runtime.view.people.get(id);
    return p ? { id: p.id, name: p.name } : undefined;
  };
  const fields = runtime.view.people
    .fieldDefinitions()
    .filter((f) => !shownAbove.has(f.id) && person.fields[String(f.id)] !== undefined)
    .map((f) => ({
      id: f.id,
      name: f.name,
      rendered: renderFieldValue(
        { id: f.id, type: f.type, name: f.name, field_data: f.fieldData },
        person.fields[String(f.id)] ?? '',
        { lookup },
      ),
    }));
  const managers = managerChain(runtime, person);
  return {
    person: { ...person, presence: presenceOf(runtime, person.id) },
    managers: managers.map(link),
    reports: reportsOf(runtime, person.id).map(link),
    // Peers: the others under the manager the reporting line goes through (the first listed).
    peers: managers[0] ? reportsOf(runtime, managers[0].id).filter((p) => p.id !== person.id).map(link) : [],
    teams: runtime.view.teams.teamsOf(person.id),
    fields,
    links: { message: dmUrl(runtime.view.org.realmUrl, person.id, person.name), open: profileUrl(runtime.view.org.realmUrl, person.id) },
    org: runtime.view.org,
    presenceDisabled: runtime.view.presenceDisabled,
    freshness: runtime.freshness(),
    presenceVersion: runtime.view.log.current,
  };
}

/** A team's page header: the team, or null for an unknown, system or deactivated group (docs/zulip.md §n). */
export async function getTeam(id: number): Promise<{ team: TeamInfo; org: OrganizationInfo; presenceDisabled: boolean } | null> {
  const runtime = await getDirectory();
  const team = runtime.view.teams.get(id);
  return team ? { team, org: runtime.view.org, presenceDisabled: runtime.view.presenceDisabled } : null;
}

/** Changes since a version the client already has, or everything when that is too old. */
export async function getPresenceSince(since: number | null): Promise<PresenceDiff> {
  const runtime = await getDirectory();
  const freshness = runtime.freshness();
  const version = runtime.view.log.current;
  const changes = since === null ? null : runtime.view.log.since(since);
  if (changes === null) return { version, full: true, changes: runtime.view.presenceDisabled ? [] : runtime.view.presence.all(), freshness };
  return { version, full: false, changes, freshness };
}

function presenceOf(runtime: DirectoryRuntime, id: number): PresenceSummary | null {
  return runtime.view.presenceDisabled ? null : runtime.view.presence.get(id);
}

function toLink(runtime: DirectoryRuntime, p: Person): PersonLink {
  return { id: p.id, name: p.name, title: p.title, avatarUrl: p.avatarUrl, presence: presenceOf(runtime, p.id) };
}

function reportsOf(runtime: DirectoryRuntime, managerId: number): Person[] {
  return runtime.view.people
    .list()
    .filter((p) => p.managerIds.includes(managerId))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function managerChain(runtime: DirectoryRuntime, person: Person): Person[] {
  const chain: Person[] = [];
  const seen = new Set([person.id]);
  let current = person;
  while (chain.length < MAX_CHAIN) {
    const next = current.managerIds.map((id) => runtime.view.people.get(id)).find((p) => p !== undefined);
    if (!next || seen.has(next.id)) break;
    chain.push(next);
    seen.add(next.id);
    current = next;
  }
  return chain;
}
