// User groups: Zulip's wire shapes (docs/zulip.md §n) → the app's records, one group or event at
// a time. The shape changed over the years (is_system_group FL 93, `subgroups` FL 127 renamed
// `direct_subgroup_ids` FL 131, `deactivated` FL 290); every generation reads into the same
// record. A group without a readable id, name or member list is skipped and reported.
import type { UserGroupRecord, UserGroupUpdate } from './records';
import { read } from './record-issues';
import type { ParseContext } from './parse-users';

/** System groups are named `@role:…` (FL 93 to 8.0-dev) or `role:…` (since) (docs/zulip.md §n). */
const SYSTEM_GROUP_NAME = /^@?role:/;

/** A list of user or group ids; null when it is not a list of integers. */
function ids(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const out: number[] = [];
  for (const v of value) {
    const id = read.int(v);
    if (id === null) return null;
    out.push(id);
  }
  return out;
}

/** One group object (register's `realm_user_groups`, GET /user_groups, a `user_group` add event). */
export function parseUserGroup(raw: unknown, ctx: ParseContext): UserGroupRecord | null {
  const skip = (reason: string) => {
    ctx.report({ kind: 'user_group', id: read.idOf(raw, 'id'), reason, endpoint: ctx.endpoint });
    return null;
  };
  const g = read.object(raw);
  if (!g) return skip('not an object');
  const id = read.int(g.id);
  if (id === null) return skip('id is not an integer');
  const name = read.string(g.name);
  if (name === null) return skip('name is not a string');
  const memberIds = ids(g.members);
  if (memberIds === null) return skip('members is not a list of user ids');
  const subgroupsRaw = 'direct_subgroup_ids' in g ? g.direct_subgroup_ids : 'subgroups' in g ? g.subgroups : [];
  const subgroupIds = ids(subgroupsRaw);
  if (subgroupIds === null) return skip('direct_subgroup_ids is not a list of group ids');
  const systemFlag = read.bool(g.is_system_group);
  return {
    id,
    name,
    description: read.string(g.description) ?? '',
    memberIds,
    subgroupIds,
    // Before FL 93 there were no system groups; the name is the only sign left where the flag is absent.
    isSystem: systemFlag ?? SYSTEM_GROUP_NAME.test(name),
    deactivated: read.bool(g.deactivated) ?? false,
  };
}

export function parseUserGroups(list: unknown, ctx: ParseContext): UserGroupRecord[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    // Teams are an extra: an unreadable list costs the teams, never the directory.
    ctx.report({ kind: 'user_group', id: '?', reason: 'realm_user_groups is not a list', endpoint: ctx.endpoint });
    return [];
  }
  const groups: UserGroupRecord[] = [];
  for (const raw of list) {
    const group = parseUserGroup(raw, ctx);
    if (group) groups.push(group);
  }
  return groups;
}

/**
 * A `user_group` event: the update it means, null for an op or a change the app does not use
 * (a permission setting), or a string saying why it does not fit.
 */
export function parseUserGroupEvent(event: Record<string, unknown>, ctx: ParseContext): UserGroupUpdate | null | string {
  if (event.op === 'add') {
    // parseUserGroup reports a group it cannot read itself.
    const group = parseUserGroup(event.group, ctx);
    return group ? { kind: 'group_added', group } : null;
  }
  const groupId = read.int(event.group_id);
  if (groupId === null) return 'group_id is not an integer';
  switch (event.op) {
    case 'update': {
      const data = read.object(event.data);
      if (!data) return 'data is not an object';
      const changes: Extract<UserGroupUpdate, { kind: 'group_updated' }>['changes'] = {};
      if (read.string(data.name) !== null) changes.name = read.string(data.name)!;
      if (read.string(data.description) !== null) changes.description = read.string(data.description)!;
      if (read.bool(data.deactivated) !== null) changes.deactivated = read.bool(data.deactivated)!;
      return Object.keys(changes).length > 0 ? { kind: 'group_updated', groupId, changes } : null;
    }
    case 'add_members':
    case 'remove_members': {
      const userIds = ids(event.user_ids);
      if (userIds === null) return 'user_ids is not a list of user ids';
      return { kind: event.op === 'add_members' ? 'group_members_added' : 'group_members_removed', groupId, userIds };
    }
    case 'add_subgroups':
    case 'remove_subgroups': {
      // `direct_subgroup_ids` from FL 131; `subgroup_ids` at FL 127–130.
      const subgroupIds = ids('direct_subgroup_ids' in event ? event.direct_subgroup_ids : event.subgroup_ids);
      if (subgroupIds === null) return 'direct_subgroup_ids is not a list of group ids';
      return { kind: event.op === 'add_subgroups' ? 'group_subgroups_added' : 'group_subgroups_removed', groupId, subgroupIds };
    }
    case 'remove':
      return { kind: 'group_removed', groupId };
    default:
      return null;
  }
}
