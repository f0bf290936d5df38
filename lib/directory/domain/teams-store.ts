import { inertText } from '@/lib/directory/domain/safe-text';
import type { TeamInfo, TeamSummary } from '@/lib/directory/domain/teams-types';
import type { UserGroupRecord, UserGroupUpdate, ZulipUpdate } from '@/lib/zulip/records';

// The organization's Zulip user groups, as Zulip last told us (register's `realm_user_groups`,
// then `user_group` events), and the teams the directory derives from them (docs/zulip.md §n):
// - a team is a group that is neither a system group (role:members, role:owners, …) nor
//   deactivated; those are kept (a team may include one as a subgroup) but never shown;
// - a team's people are its direct members and, recursively, the members of its subgroups:
//   Zulip's `members` lists only direct members. A deactivated subgroup's members count too, as
//   Zulip counts them (`get_recursive_subgroups` walks every subgroup; a group reactivated after
//   its subgroup was deactivated keeps it). Zulip refuses cycles, but the walk does not rely on
//   that: each group is visited once per team.
// Pure: no I/O, no clock. The runtime feeds it; pages and queries read it.

interface Group {
  id: number;
  name: string;
  description: string;
  members: Set<number>;
  subgroups: Set<number>;
  isSystem: boolean;
  deactivated: boolean;
}

interface Derived {
  version: number;
  /** Visible teams, by name. */
  teams: TeamInfo[];
  summaries: TeamSummary[];
  byId: Map<number, TeamInfo>;
  /** Each visible team's people, subgroups resolved. */
  members: Map<number, ReadonlySet<number>>;
  /** Person → their visible teams, by name. */
  byPerson: Map<number, TeamSummary[]>;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function isUserGroupUpdate(update: ZulipUpdate): update is UserGroupUpdate {
  return update.kind.startsWith('group_');
}

export class TeamsStore {
  private groups = new Map<number, Group>();
  private derived: Derived | null = null;
  /** Bumped on every change; caches (team filters) key on it. */
  version = 0;

  /** A new snapshot from register: everything Zulip said, replacing what was held. */
  replaceAll(records: UserGroupRecord[]): void {
    this.groups = new Map(records.map((r) => [r.id, toGroup(r)]));
    this.changed();
  }

  apply(update: UserGroupUpdate): void {
    if (update.kind === 'group_added') {
      this.groups.set(update.group.id, toGroup(update.group));
      this.changed();
      return;
    }
    const group = this.groups.get(update.groupId);
    // An event about a group we never heard of (it predates a lost queue, or was skipped as
    // unreadable) changes nothing: the next register brings it whole.
    if (!group) return;
    switch (update.kind) {
      case 'group_updated':
        if (update.changes.name !== undefined) group.name = inertText(update.changes.name);
        if (update.changes.description !== undefined) group.description = inertText(update.changes.description);
        if (update.changes.deactivated !== undefined) group.deactivated = update.changes.deactivated;
        break;
      case 'group_members_added':
        for (const id of update.userIds) group.members.add(id);
        break;
      case 'group_members_removed':
        for (const id of update.userIds) group.members.delete(id);
        break;
      case 'group_subgroups_added':
        for (const id of update.subgroupIds) group.subgroups.add(id);
        break;
      case 'group_subgroups_removed':
        for (const id of update.subgroupIds) group.subgroups.delete(id);
        break;
      case 'group_removed':
        this.groups.delete(update.groupId);
        break;
    }
    this.changed();
  }

  /** Every group as a record again, for another instance to replaceAll with (docs/architecture.md §10). */
  exportRecords(): UserGroupRecord[] {
    return [...this.groups.values()].map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      memberIds: [...g.members],
      subgroupIds: [...g.subgroups],
      isSystem: g.isSystem,
      deactivated: g.deactivated,
    }));
  }

  /** Every team, by name: the directory's team filter. */
  list(): TeamSummary[] {
    return this.derive().summaries;
  }

  /** A team, or undefined for an unknown, system or deactivated group. */
  get(id: number): TeamInfo | undefined {
    return this.derive().byId.get(id);
  }

  /** A team's people (user ids; not only listed ones), or undefined when it is no team. */
  members(id: number): ReadonlySet<number> | undefined {
    return this.derive().members.get(id);
  }

  /** The teams a person is on, directly or through a subgroup, by name. */
  teamsOf(userId: number): TeamSummary[] {
    return this.derive().byPerson.get(userId) ?? [];
  }

  private changed(): void {
    this.version++;
  }

  private derive(): Derived {
    if (this.derived?.version === this.version) return this.derived;
    const teams = [...this.groups.values()]
      .filter((g) => !g.isSystem && !g.deactivated)
      .map(({ id, name, description }) => ({ id, name, description }))
      .sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
    const members = new Map<number, ReadonlySet<number>>();
    const byPerson = new Map<number, TeamSummary[]>();
    for (const team of teams) {
      const people = this.resolve(team.id);
      members.set(team.id, people);
      for (const userId of people) {
        const list = byPerson.get(userId);
        if (list) list.push({ id: team.id, name: team.name });
        else byPerson.set(userId, [{ id: team.id, name: team.name }]);
      }
    }
    const summaries = teams.map(({ id, name }) => ({ id, name }));
    this.derived = { version: this.version, teams, summaries, byId: new Map(teams.map((t) => [t.id, t])), members, byPerson };
    return this.derived;
  }

  /** Direct members ∪ the members of every subgroup, recursively; each group visited once. */
  private resolve(teamId: number): Set<number> {
    const people = new Set<number>();
    const seen = new Set<number>([teamId]);
    const stack = [teamId];
    while (stack.length > 0) {
      const group = this.groups.get(stack.pop()!);
      if (!group) continue;
      for (const id of group.members) people.add(id);
      for (const sub of group.subgroups) {
        if (seen.has(sub)) continue;
        seen.add(sub);
        // A deactivated subgroup counts too, as in Zulip (docs/zulip.md §n).
        stack.push(sub);
      }
    }
    return people;
  }
}

function toGroup(r: UserGroupRecord): Group {
  return {
    id: r.id,
    name: inertText(r.name),
    description: inertText(r.description),
    members: new Set(r.memberIds),
    subgroups: new Set(r.subgroupIds),
    isSystem: r.isSystem,
    deactivated: r.deactivated,
  };
}
