// User groups read from every generation's shapes (docs/zulip.md §n): Zulip's published
// examples (tests/fixtures/zulip, from the 10.2 spec), the older shapes the changelog describes,
// and records that do not fit, which are skipped and reported while the rest load.
import { describe, expect, it } from 'vitest';
import { parseEvents } from '@/lib/zulip/parse-events';
import { parseUserGroup, parseUserGroups } from '@/lib/zulip/parse-user-groups';
import { fixture } from '../demo-zulip/helpers';
import { collecting, readEvents, readRegister, strict } from './records-support';

const REGISTER = { result: 'success', msg: '', queue_id: 'q', last_event_id: -1, zulip_feature_level: 372, zulip_version: '10.2' };

describe('user group objects', () => {
  it('reads GET /user_groups’ example (10.2): system groups flagged, direct members and subgroups', () => {
    const groups = parseUserGroups((fixture('get-user-groups-200.json') as { user_groups: unknown[] }).user_groups, strict);
    expect(groups).toEqual([
      { id: 1, name: 'role:owners', description: 'Owners of this organization', memberIds: [1], subgroupIds: [], isSystem: true, deactivated: false },
      { id: 2, name: 'role:administrators', description: 'Administrators of this organization, including owners', memberIds: [2], subgroupIds: [1], isSystem: true, deactivated: false },
      { id: 3, name: 'hamletcharacters', description: 'Characters of Hamlet', memberIds: [3, 4], subgroupIds: [], isSystem: false, deactivated: false },
    ]);
  });

  it('reads each generation’s shape into the same record', () => {
    // 4.x (FL 65): {id, name, description, members} only (zerver/lib/user_groups.py user_groups_in_realm_serialized).
    expect(parseUserGroup({ id: 5, name: 'backend', description: 'b', members: [3] }, strict)).toEqual({
      id: 5, name: 'backend', description: 'b', memberIds: [3], subgroupIds: [], isSystem: false, deactivated: false,
    });
    // No flag before FL 93: a system name is the only sign (there were none then, but a name is a name).
    expect(parseUserGroup({ id: 6, name: '@role:owners', description: '', members: [] }, strict)?.isSystem).toBe(true);
    // FL 93–236: is_system_group, names with "@" (zerver/migrations/0382_create_role_based_system_groups.py).
    expect(parseUserGroup({ id: 1, name: '@role:owners', description: '', members: [1], is_system_group: true }, strict)?.isSystem).toBe(true);
    // A user-made group named like a system one before 8.0 forbade it: the flag decides.
    expect(parseUserGroup({ id: 7, name: 'role:fans', description: '', members: [], is_system_group: false }, strict)?.isSystem).toBe(false);
    // FL 127–130: `subgroups`; FL 131+: `direct_subgroup_ids`.
    expect(parseUserGroup({ id: 8, name: 'a', description: '', members: [], is_system_group: false, subgroups: [2, 3] }, strict)?.subgroupIds).toEqual([2, 3]);
    expect(parseUserGroup({ id: 8, name: 'a', description: '', members: [], is_system_group: false, direct_subgroup_ids: [4] }, strict)?.subgroupIds).toEqual([4]);
    // FL 290+: deactivated.
    expect(parseUserGroup({ id: 9, name: 'old', description: '', members: [], direct_subgroup_ids: [], is_system_group: false, deactivated: true }, strict)?.deactivated).toBe(true);
  });

  it('skips and reports a group it cannot read, keeps the others, and repairs a missing description', () => {
    const { ctx, issues } = collecting('POST /register');
    const groups = parseUserGroups(
      [
        { id: 1, name: 'ok', members: [1] },
        { id: 'x', name: 'bad id', members: [] },
        { id: 3, members: [] },
        { id: 4, name: 'bad members', members: [1, 'two'] },
        { id: 5, name: 'bad subgroups', members: [], direct_subgroup_ids: 'none' },
        'not an object',
      ],
      ctx,
    );
    expect(groups).toEqual([{ id: 1, name: 'ok', description: '', memberIds: [1], subgroupIds: [], isSystem: false, deactivated: false }]);
    expect(issues.map((i) => [i.kind, i.id])).toEqual([
      ['user_group', 'x'],
      ['user_group', '3'],
      ['user_group', '4'],
      ['user_group', '5'],
      ['user_group', '?'],
    ]);
    expect(issues.every((i) => i.endpoint === 'POST /register')).toBe(true);
  });

  it('comes from register’s realm_user_groups; a list that is no list costs the teams, not the register', () => {
    expect(readRegister({ ...REGISTER, realm_user_groups: [{ id: 1, name: 'a', description: '', members: [2] }] }).userGroups).toHaveLength(1);
    expect(readRegister(REGISTER).userGroups).toEqual([]);
    const { ctx, issues } = collecting();
    expect(parseUserGroups({ not: 'a list' }, ctx)).toEqual([]);
    expect(issues).toHaveLength(1);
  });
});

describe('user_group events', () => {
  const updates = (events: unknown[]) => readEvents(events).updates;

  it('reads the spec’s example of each op', () => {
    const ops = ['add', 'update', 'add-members', 'remove-members', 'add-subgroups', 'remove-subgroups', 'remove'].map((op) => fixture(`event-user-group-${op}.json`));
    expect(updates(ops)).toEqual([
      { kind: 'group_added', group: { id: 2, name: 'backend', description: 'Backend team', memberIds: [12], subgroupIds: [], isSystem: false, deactivated: false } },
      { kind: 'group_updated', groupId: 2, changes: { description: "Mention this group to get the security team's attention." } },
      { kind: 'group_members_added', groupId: 2, userIds: [10] },
      { kind: 'group_members_removed', groupId: 2, userIds: [10] },
      { kind: 'group_subgroups_added', groupId: 2, subgroupIds: [10] },
      { kind: 'group_subgroups_removed', groupId: 2, subgroupIds: [10] },
      { kind: 'group_removed', groupId: 2 },
    ]);
  });

  it('reads renames and deactivation, ignores permission changes, and reads FL 127–130’s subgroup_ids', () => {
    expect(
      updates([
        { type: 'user_group', op: 'update', group_id: 4, data: { name: 'core' }, id: 1 },
        { type: 'user_group', op: 'update', group_id: 4, data: { deactivated: true }, id: 2 },
        { type: 'user_group', op: 'update', group_id: 4, data: { can_mention_group: 11 }, id: 3 },
        { type: 'user_group', op: 'add_subgroups', group_id: 4, subgroup_ids: [5], id: 4 },
        { type: 'user_group', op: 'some_future_op', group_id: 4, id: 5 },
      ]),
    ).toEqual([
      { kind: 'group_updated', groupId: 4, changes: { name: 'core' } },
      { kind: 'group_updated', groupId: 4, changes: { deactivated: true } },
      { kind: 'group_subgroups_added', groupId: 4, subgroupIds: [5] },
    ]);
  });

  it('skips and reports an event that does not fit, acknowledging it all the same', () => {
    const { ctx, issues } = collecting('GET /events');
    const batch = parseEvents(
      [
        { type: 'user_group', op: 'add_members', group_id: 'x', user_ids: [1], id: 7 },
        { type: 'user_group', op: 'remove_members', group_id: 2, user_ids: null, id: 8 },
        { type: 'user_group', op: 'add', group: { id: 3 }, id: 9 },
        { type: 'user_group', op: 'add_members', group_id: 2, user_ids: [5], id: 10 },
      ],
      { ...ctx, featureLevel: 372 },
    );
    expect(batch.lastEventId).toBe(10);
    expect(batch.updates).toEqual([{ kind: 'group_members_added', groupId: 2, userIds: [5] }]);
    expect(issues.map((i) => [i.kind, i.id])).toEqual([
      ['event', '7'],
      ['event', '8'],
      ['user_group', '3'],
    ]);
  });
});
