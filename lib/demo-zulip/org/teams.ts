// The organization's user groups: Zulip's role-based system groups, and the teams people made.
// The teams are drawn from the organization as generated (department, title, manager fields),
// with no random numbers drawn, so adding them changed no one else (as for org/showcase.ts):
//   one team per staffed department ("engineering", "customer-success", …);
//   leadership       the CEO and every department head;
//   people-managers  everyone with direct reports, and leadership as a subgroup;
//   platform         the SRE, security and data engineers;
//   launch-crew      a few product managers, designers and product marketers, platform as a
//                    subgroup (so its people are found two levels down);
//   mobile-guild     the mobile engineers: deactivated (FL 290+; before, it was deleted).
// System groups take the first ids, as a new realm creates them first (zerver/migrations/
// 0382_create_role_based_system_groups.py), chained owners ⊂ administrators ⊂ moderators ⊂
// fullmembers ⊂ members ⊂ everyone ⊂ internet; their members follow roles (core/user-groups.ts).
import { DEPARTMENTS } from './departments';
import { FIELD_IDS } from './fields';
import { hash32 } from './random';
import type { DemoSystemRole, DemoUser, DemoUserGroup } from '../types';

const SYSTEM_GROUPS: Array<{ role: DemoSystemRole; description: string }> = [
  { role: 'owners', description: 'Owners of this organization' },
  { role: 'administrators', description: 'Administrators of this organization, including owners' },
  { role: 'moderators', description: 'Moderators of this organization, including administrators' },
  { role: 'fullmembers', description: 'Members of this organization, not including new accounts and guests' },
  { role: 'members', description: 'Members of this organization, not including guests' },
  { role: 'everyone', description: 'Everyone in this organization, including guests' },
  { role: 'internet', description: 'Everyone on the Internet' },
  { role: 'nobody', description: 'Nobody' },
];

const SALT_LAUNCH_CREW = 41;
/** Titles (org/departments.ts) of platform's people, the mobile engineers, and the launch crew's candidates. */
const TITLE_KINDS = /^(?:((?:Site Reliability|Security|Data) Engineer)|(Mobile Engineer)|((?:Senior |Associate )?(?:Product Manager|Product Designer|Product Marketing Manager)))/;
const LAUNCH_CREW_SIZE = 12;
const DAY = 86_400;

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function buildUserGroups(users: DemoUser[], ceoId: number, seed: number, realmCreatedMs: number): DemoUserGroup[] {
  const groups: DemoUserGroup[] = SYSTEM_GROUPS.map(({ role, description }, i) => ({
    id: i + 1,
    name: `role:${role}`,
    description,
    members: [],
    subgroups: i > 0 && role !== 'nobody' ? [i] : [],
    system: role,
    deactivated: false,
    creator_id: null,
    date_created: null,
  }));

  // One pass over everyone (50,000 people at most): each person's department, title and manager.
  const byDepartment = DEPARTMENTS.map((): number[] => []);
  const heads = new Set(DEPARTMENTS.map((d) => d.head));
  const leadership: number[] = [];
  const managerIds = new Set<number>();
  const platform: number[] = [];
  const mobile: number[] = [];
  const crew: number[] = [];
  const [titleKey, departmentKey, managerKey] = [FIELD_IDS.title, FIELD_IDS.department, FIELD_IDS.manager].map(String) as [string, string, string];
  for (const u of users) {
    if (u.is_bot) continue;
    const title = u.profile_data[titleKey]?.value ?? '';
    byDepartment[Number(u.profile_data[departmentKey]?.value ?? -1)]?.push(u.user_id);
    if (u.user_id === ceoId || heads.has(title)) leadership.push(u.user_id);
    const manager = u.profile_data[managerKey]?.value;
    if (manager) managerIds.add(Number(manager.slice(1, -1)));
    const kind = TITLE_KINDS.exec(title);
    if (kind?.[1]) platform.push(u.user_id);
    else if (kind?.[2]) mobile.push(u.user_id);
    else if (kind?.[3] && u.is_active) crew.push(u.user_id);
  }
  const created = Math.floor(realmCreatedMs / 1000);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const team = (name: string, description: string, members: number[], subgroups: number[] = [], deactivated = false): DemoUserGroup => {
    const group: DemoUserGroup = {
      id: groups.length + 1,
      name,
      description,
      members: sorted(members),
      subgroups,
      system: null,
      deactivated,
      creator_id: ceoId,
      date_created: created + (groups.length - SYSTEM_GROUPS.length + 1) * 30 * DAY,
    };
    groups.push(group);
    return group;
  };

  DEPARTMENTS.forEach((department, index) => {
    if (byDepartment[index]!.length > 0) team(slug(department.name), `Everyone in ${department.name}.`, byDepartment[index]!);
  });
  const lead = team('leadership', 'The executive team: the CEO and the head of every department.', leadership);
  const inLeadership = new Set(leadership);
  team('people-managers', 'Everyone who manages a team, leadership included.', [...managerIds].filter((id) => !inLeadership.has(id)), [lead.id]);
  const plat = team('platform', 'Site reliability, security and data engineering: on call for every release.', platform);
  const rank = new Map(crew.map((id) => [id, hash32(id, seed, SALT_LAUNCH_CREW)]));
  const chosen = crew.sort((a, b) => rank.get(a)! - rank.get(b)! || a - b).slice(0, LAUNCH_CREW_SIZE);
  team('launch-crew', 'Ships each release: product, design and marketing, with platform on call.', chosen, [plat.id]);
  team('mobile-guild', 'Mobile engineers, before the apps moved to the platform team.', mobile, [], true);
  return groups;
}
