// The realm's user groups as each Zulip version shows them and changes them (docs/zulip.md §n,
// docs/zulip-versions.md §8): the group objects of register's `realm_user_groups` and
// GET /user_groups (zerver/lib/user_groups.py user_groups_in_realm_serialized), and the
// `user_group` events of zerver/actions/user_groups.py, sent to every active user's queue
// (active_user_ids) that asked for them.
import type { DemoUser, DemoUserGroup } from '../types';
import type { EventQueue, EventQueues, NewEvent } from './event-queues';
import type { DemoState } from './state';
import { FL } from './versions';

/** Which role's users are a system group's direct members (each user is in their own role's group only; fullmembers also takes members, the realm's waiting period being 0). */
const DIRECT_ROLE: Partial<Record<NonNullable<DemoUserGroup['system']>, number[]>> = {
  owners: [100],
  administrators: [200],
  moderators: [300],
  fullmembers: [400],
  members: [400],
  everyone: [600],
};

export class GroupInputError extends Error {}

export class DemoUserGroups {
  constructor(
    private readonly state: DemoState,
    private readonly queues: EventQueues,
    private readonly isRecipient: (userId: number) => boolean,
  ) {}

  private get fl(): number {
    return this.state.featureLevel;
  }

  private get groups(): DemoUserGroup[] {
    return this.state.org.userGroups;
  }

  /** Whether a group exists at this level: system groups from FL 93 (role:nobody from 191); a deactivated group below FL 290 was deleted. */
  exists(group: DemoUserGroup): boolean {
    if (group.system !== null) return this.fl >= (group.system === 'nobody' ? FL.CAN_MENTION_GROUP_ID : FL.SYSTEM_USER_GROUPS);
    return !group.deactivated || this.fl >= FL.USER_GROUP_DEACTIVATION;
  }

  get(id: number): DemoUserGroup | undefined {
    const group = this.groups.find((g) => g.id === id);
    return group && this.exists(group) ? group : undefined;
  }

  /** The groups that exist, by id; deactivated ones (FL 290+) only when asked for. */
  list(includeDeactivated: boolean): DemoUserGroup[] {
    return this.groups.filter((g) => this.exists(g) && (!g.deactivated || includeDeactivated)).sort((a, b) => a.id - b.id);
  }

  /** Direct members, sorted; deactivated users are members of nothing from FL 303. */
  members(group: DemoUserGroup): number[] {
    const users = this.state.org.users;
    const roles = group.system === null ? null : DIRECT_ROLE[group.system];
    const ids = roles === null ? group.members : roles === undefined ? [] : users.filter((u) => roles.includes(u.role)).map((u) => u.user_id);
    const activeOnly = this.fl >= FL.GROUP_MEMBERS_ACTIVE_ONLY;
    return ids.filter((id) => !activeOnly || this.state.usersById.get(id)?.is_active === true).sort((a, b) => a - b);
  }

  /** The group object with the keys this level has (user_groups_in_realm_serialized; the add event's `group`). */
  format(group: DemoUserGroup): Record<string, unknown> {
    const fl = this.fl;
    const out: Record<string, unknown> = { id: group.id, name: this.nameOf(group), description: group.description, members: this.members(group) };
    if (fl >= FL.SYSTEM_USER_GROUPS) out.is_system_group = group.system !== null;
    const subgroups = group.subgroups.filter((id) => this.get(id) !== undefined);
    if (fl >= FL.DIRECT_SUBGROUP_IDS) out.direct_subgroup_ids = subgroups;
    else if (fl >= FL.USER_GROUP_SUBGROUPS) out.subgroups = subgroups;
    Object.assign(out, this.settings(group));
    if (fl >= FL.USER_GROUP_DEACTIVATION) out.deactivated = group.deactivated;
    if (fl >= FL.USER_GROUP_CREATOR) {
      out.creator_id = group.creator_id;
      out.date_created = group.date_created;
    }
    return out;
  }

  /** `@role:owners` until 8.0 dropped the "@" (PR #26180). */
  private nameOf(group: DemoUserGroup): string {
    return group.system !== null && this.fl < FL.SYSTEM_GROUP_NAMES_WITHOUT_AT ? `@${group.name}` : group.name;
  }

  /** Group-setting values by level, as system group ids: the directory does not read them, but they are part of every object. */
  private settings(group: DemoUserGroup): Record<string, number> {
    const fl = this.fl;
    const id = (role: NonNullable<DemoUserGroup['system']>) => this.groups.find((g) => g.system === role)!.id;
    const system = group.system !== null;
    const nobody = id('nobody');
    const out: Record<string, number> = {};
    const mention = system ? nobody : id('everyone');
    if (fl >= FL.CAN_MENTION_GROUP) out.can_mention_group = mention;
    else if (fl >= FL.CAN_MENTION_GROUP_ID) out.can_mention_group_id = mention;
    if (fl >= FL.CAN_MANAGE_GROUP) out.can_manage_group = system ? nobody : id('administrators');
    if (fl >= FL.CAN_JOIN_GROUP) out.can_join_group = nobody;
    if (fl >= FL.CAN_ADD_MEMBERS_GROUP) out.can_add_members_group = system ? nobody : id('administrators');
    if (fl >= FL.CAN_LEAVE_GROUP) out.can_leave_group = system ? nobody : id('everyone');
    if (fl >= FL.CAN_REMOVE_MEMBERS_GROUP) out.can_remove_members_group = system ? nobody : id('administrators');
    return out;
  }

  // --- changes (demo control surface), each with the events Zulip sends --------------------------

  /** check_add_user_group → do_send_create_user_group_event: an `add` event with the whole group. */
  create(input: { name: string; description: string; members: number[]; subgroups: number[]; creatorId: number; now: number }): DemoUserGroup {
    this.checkName(input.name);
    this.checkUsers(input.members);
    if (input.subgroups.length > 0) this.checkSubgroups(null, input.subgroups);
    const group: DemoUserGroup = {
      id: this.groups.reduce((max, g) => Math.max(max, g.id), 0) + 1,
      name: input.name,
      description: input.description,
      members: [...new Set(input.members)],
      subgroups: [...new Set(input.subgroups)],
      system: null,
      deactivated: false,
      creator_id: input.creatorId,
      date_created: Math.floor(input.now),
    };
    this.groups.push(group);
    this.send(() => ({ type: 'user_group', op: 'add', group: this.format(group) }));
    return group;
  }

  /** do_update_user_group_name / _description: one `update` event per changed property. */
  update(group: DemoUserGroup, patch: { name?: string; description?: string }): void {
    this.checkMutable(group, true);
    if (patch.name !== undefined && patch.name !== group.name) {
      this.checkName(patch.name);
      group.name = patch.name;
      // From FL 294 a deactivated group's new name goes only to clients that keep deactivated groups.
      this.send((queue) => (group.deactivated && !this.keepsDeactivated(queue) ? null : { type: 'user_group', op: 'update', group_id: group.id, data: { name: group.name } }));
    }
    if (patch.description !== undefined && patch.description !== group.description) {
      group.description = patch.description;
      this.send(() => ({ type: 'user_group', op: 'update', group_id: group.id, data: { description: group.description } }));
    }
  }

  /** bulk_add_members_to_user_groups / bulk_remove_members_from_user_groups. */
  changeMembers(group: DemoUserGroup, add: number[], remove: number[]): void {
    this.checkMutable(group, false);
    this.checkUsers([...add, ...remove]);
    const current = new Set(group.members);
    const already = add.find((id) => current.has(id));
    if (already !== undefined) throw new GroupInputError(`User ${already} is already a member of this group`);
    const missing = remove.find((id) => !current.has(id));
    if (missing !== undefined) throw new GroupInputError(`There is no member '${missing}' in this user group`);
    if (add.length > 0) {
      group.members.push(...add);
      this.send(() => ({ type: 'user_group', op: 'add_members', group_id: group.id, user_ids: [...add] }));
    }
    if (remove.length > 0) {
      group.members = group.members.filter((id) => !remove.includes(id));
      this.send(() => ({ type: 'user_group', op: 'remove_members', group_id: group.id, user_ids: [...remove] }));
    }
  }

  /** add_subgroups_to_user_group / remove_subgroups_from_user_group (FL 127+): `subgroup_ids` until FL 131. */
  changeSubgroups(group: DemoUserGroup, add: number[], remove: number[]): void {
    if (this.fl < FL.USER_GROUP_SUBGROUPS) throw new GroupInputError('Subgroups exist from feature level 127.');
    this.checkMutable(group, false);
    this.checkSubgroups(group, add);
    for (const id of add) if (group.subgroups.includes(id)) throw new GroupInputError(`User group ${id} is already a subgroup of this group.`);
    for (const id of remove) if (!group.subgroups.includes(id)) throw new GroupInputError(`User group ${id} is not a subgroup of this group.`);
    const key = this.fl >= FL.DIRECT_SUBGROUP_IDS ? 'direct_subgroup_ids' : 'subgroup_ids';
    if (add.length > 0) {
      group.subgroups.push(...add);
      this.send(() => ({ type: 'user_group', op: 'add_subgroups', group_id: group.id, [key]: [...add] }));
    }
    if (remove.length > 0) {
      group.subgroups = group.subgroups.filter((id) => !remove.includes(id));
      this.send(() => ({ type: 'user_group', op: 'remove_subgroups', group_id: group.id, [key]: [...remove] }));
    }
  }

  /**
   * Before FL 290 a group is deleted (check_delete_user_group: a `remove` event). From FL 290 it
   * is deactivated (do_deactivate_user_group: `update {deactivated: true}`); from FL 294 that
   * event goes to queues with `include_deactivated_groups` and the others get a `remove`.
   */
  deactivate(group: DemoUserGroup): void {
    this.checkMutable(group, false);
    if (this.fl < FL.USER_GROUP_DEACTIVATION) {
      this.groups.splice(this.groups.indexOf(group), 1);
      for (const other of this.groups) other.subgroups = other.subgroups.filter((id) => id !== group.id);
      this.send(() => ({ type: 'user_group', op: 'remove', group_id: group.id }));
      return;
    }
    group.deactivated = true;
    this.send((queue) =>
      this.keepsDeactivated(queue)
        ? { type: 'user_group', op: 'update', group_id: group.id, data: { deactivated: true } }
        : { type: 'user_group', op: 'remove', group_id: group.id },
    );
  }

  /**
   * A user reactivated at FL 303+: `add_members` for every group they were a direct member of
   * (zerver/actions/users.py; CL FL 303). Deactivation sends `remove_members` only to users who
   * cannot access the deactivated user, which no one in the demo is.
   */
  userReactivated(user: DemoUser): void {
    if (this.fl < FL.GROUP_MEMBERS_ACTIVE_ONLY) return;
    for (const group of this.groups) {
      if (!this.exists(group) || group.deactivated || !this.members(group).includes(user.user_id)) continue;
      this.send(() => ({ type: 'user_group', op: 'add_members', group_id: group.id, user_ids: [user.user_id] }));
    }
  }

  /**
   * A role change (zerver/actions/users.py do_change_user_role): out of the old role's system
   * group, into the new one's, then in or out of role:fullmembers when either role is member
   * (update_users_in_full_members_system_group); zerver/tests/test_users.py
   * check_user_role_change counts exactly these events.
   */
  roleChanged(user: DemoUser, oldRole: number): void {
    if (this.fl < FL.SYSTEM_USER_GROUPS) return;
    const roleGroup = (role: number) => this.groups.find((g) => g.system !== null && g.system !== 'fullmembers' && DIRECT_ROLE[g.system]?.includes(role));
    const full = this.groups.find((g) => g.system === 'fullmembers');
    const change = (group: DemoUserGroup | undefined, op: 'add_members' | 'remove_members') => {
      if (group && this.exists(group)) this.send(() => ({ type: 'user_group', op, group_id: group.id, user_ids: [user.user_id] }));
    };
    change(roleGroup(oldRole), 'remove_members');
    change(roleGroup(user.role), 'add_members');
    if (oldRole === 400) change(full, 'remove_members');
    else if (user.role === 400) change(full, 'add_members');
  }

  private keepsDeactivated(queue: EventQueue): boolean {
    return this.fl < FL.INCLUDE_DEACTIVATED_GROUPS || queue.settings.includeDeactivatedGroups === true;
  }

  private send(build: (queue: EventQueue) => NewEvent | null): void {
    this.queues.send('user_group', this.isRecipient, build);
  }

  private checkMutable(group: DemoUserGroup, renaming: boolean): void {
    if (group.system !== null) throw new GroupInputError('Insufficient permission');
    if (group.deactivated && !renaming) throw new GroupInputError('You can only change the name of a deactivated user group.');
  }

  /** check_user_group_name, and the unique name (zerver/lib/user_groups.py; "User group '{name}' already exists."). */
  private checkName(name: string): void {
    if (name.trim() === '') throw new GroupInputError("User group name can't be empty!");
    if (name.length > 100) throw new GroupInputError('User group name cannot exceed 100 characters.');
    for (const prefix of ['@', 'role:', 'user:', 'stream:', 'channel:']) {
      if (name.startsWith(prefix)) throw new GroupInputError(`User group name cannot start with '${prefix}'.`);
    }
    if (this.groups.some((g) => this.exists(g) && g.name === name)) throw new GroupInputError(`User group '${name}' already exists.`);
  }

  private checkUsers(ids: number[]): void {
    for (const id of ids) {
      const user = this.state.usersById.get(id);
      if (!user || this.state.isSystemBot(id)) throw new GroupInputError('Invalid user ID: ' + id);
    }
  }

  /** access_user_groups_as_potential_subgroups, and no cycles ("User group {id} is already a subgroup of one of the passed subgroups."). */
  private checkSubgroups(group: DemoUserGroup | null, ids: number[]): void {
    for (const id of ids) {
      const sub = this.get(id);
      if (!sub || sub.deactivated) throw new GroupInputError('Invalid user group');
    }
    if (group === null) return;
    const reachable = new Set<number>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (reachable.has(id)) continue;
      reachable.add(id);
      stack.push(...(this.get(id)?.subgroups ?? []));
    }
    if (reachable.has(group.id)) throw new GroupInputError(`User group ${group.id} is already a subgroup of one of the passed subgroups.`);
  }
}
