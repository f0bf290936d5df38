import 'server-only';
import { getDirectory, type DirectoryRuntime } from '@/lib/server/runtime';
import { renderFieldValue } from '@/lib/directory/profile-fields';
import { dmUrl, profileUrl } from '@/lib/directory/zulip-links';
import type { PeoplePage, PeopleQuery, Person, PresenceDiff } from '@/lib/directory/types';
import type { PersonLink, Profile } from '@/lib/directory/service-types';
import type { OrganizationInfo } from '@/lib/directory/types';
import type { PresenceSummary } from '@/lib/presence/status';

// The directory's server-side read functions. Server components call these directly; route
// handlers call the same functions and return their JSON, so both always agree.

const MAX_CHAIN = 25;

export async function getPeoplePage(query: PeopleQuery): Promise<PeoplePage> {
  const runtime = await getDirectory();
  return { ...runtime.queries.run(query, runtime.freshness()), presenceVersion: runtime.log.current };
}

export async function getOrganization(): Promise<OrganizationInfo & { presenceDisabled: boolean }> {
  const runtime = await getDirectory();
  return { ...runtime.org, presenceDisabled: runtime.presenceDisabled };
}

export async function getProfile(ref: string): Promise<Profile | null> {
  const runtime = await getDirectory();
  const person = runtime.people.resolve(ref);
  if (!person) return null;
  const link = (p: Person) => toLink(runtime, p);
  const roles = runtime.people.fieldRoles();
  const shownAbove = new Set([roles.title, roles.department, roles.office, roles.pronouns, roles.manager]);
  const lookup = (id: number) => {
    const p = runtime.people.get(id);
    return p ? { id: p.id, name: p.name } : undefined;
  };
  const fields = runtime.people
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
  return {
    person: { ...person, presence: presenceOf(runtime, person.id) },
    managers: managerChain(runtime, person).map(link),
    reports: runtime.people
      .list()
      .filter((p) => p.managerIds.includes(person.id))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(link),
    fields,
    links: { message: dmUrl(runtime.org.realmUrl, person.id, person.name), open: profileUrl(runtime.org.realmUrl, person.id) },
    org: runtime.org,
    presenceDisabled: runtime.presenceDisabled,
    freshness: runtime.freshness(),
    presenceVersion: runtime.log.current,
  };
}

/** Changes since a version the client already has, or everything when that is too old. */
export async function getPresenceSince(since: number | null): Promise<PresenceDiff> {
  const runtime = await getDirectory();
  const freshness = runtime.freshness();
  const version = runtime.log.current;
  const changes = since === null ? null : runtime.log.since(since);
  if (changes === null) return { version, full: true, changes: runtime.presenceDisabled ? [] : runtime.presence.all(), freshness };
  return { version, full: false, changes, freshness };
}

function presenceOf(runtime: DirectoryRuntime, id: number): PresenceSummary | null {
  return runtime.presenceDisabled ? null : runtime.presence.get(id);
}

function toLink(runtime: DirectoryRuntime, p: Person): PersonLink {
  return { id: p.id, name: p.name, title: p.title, avatarUrl: p.avatarUrl, presence: presenceOf(runtime, p.id) };
}

function managerChain(runtime: DirectoryRuntime, person: Person): Person[] {
  const chain: Person[] = [];
  const seen = new Set([person.id]);
  let current = person;
  while (chain.length < MAX_CHAIN) {
    const next = current.managerIds.map((id) => runtime.people.get(id)).find((p) => p !== undefined);
    if (!next || seen.has(next.id)) break;
    chain.push(next);
    seen.add(next.id);
    current = next;
  }
  return chain;
}
