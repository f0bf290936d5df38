// Teams from Zulip's user groups (lib/directory/domain/teams-store.ts, docs/zulip.md §n): system and
// deactivated groups hidden, subgroups resolved recursively and safely, events applied.
import { describe, expect, it } from 'vitest';
import { isUserGroupUpdate, TeamsStore } from '@/lib/directory/domain/teams-store';
import type { UserGroupRecord } from '@/lib/zulip/records';
import { readEvents } from '../zulip/records-support';

const group = (id: number, name: string, memberIds: number[], extra: Partial<UserGroupRecord> = {}): UserGroupRecord => ({
  id,
  name,
  description: `${name} people`,
  memberIds,
  subgroupIds: [],
  isSystem: false,
  deactivated: false,
  ...extra,
});

/** Zulip's own event shapes, through lib/zulip's parser. */
function apply(store: TeamsStore, ...events: Array<Record<string, unknown>>): void {
  for (const update of readEvents(events.map((e, id) => ({ type: 'user_group', id, ...e }))).updates) {
    if (isUserGroupUpdate(update)) store.apply(update);
  }
}

function organization(): TeamsStore {
  const store = new TeamsStore();
  store.replaceAll([
    group(1, 'role:owners', [1], { isSystem: true }),
    group(2, 'role:administrators', [2], { isSystem: true, subgroupIds: [1] }),
    group(10, 'backend', [3, 4]),
    group(11, 'frontend', [5]),
    group(12, 'engineering', [6], { subgroupIds: [10, 11] }),
    group(13, 'everyone-eng', [], { subgroupIds: [12] }),
    group(14, 'retired', [7], { deactivated: true }),
    group(15, 'with-retired', [8], { subgroupIds: [14] }),
    group(16, 'admins-too', [], { subgroupIds: [2] }),
  ]);
  return store;
}

describe('TeamsStore', () => {
  it('shows neither system groups nor deactivated ones, and lists teams by name', () => {
    const store = organization();
    expect(store.list().map((t) => t.name)).toEqual(['admins-too', 'backend', 'engineering', 'everyone-eng', 'frontend', 'with-retired']);
    expect(store.get(1)).toBeUndefined();
    expect(store.get(14)).toBeUndefined();
    expect(store.members(14)).toBeUndefined();
    expect(store.get(12)).toEqual({ id: 12, name: 'engineering', description: 'engineering people' });
  });

  it('resolves subgroups recursively: direct members ∪ every subgroup’s, a system subgroup included', () => {
    const store = organization();
    expect([...store.members(12)!].sort()).toEqual([3, 4, 5, 6]);
    expect([...store.members(13)!].sort()).toEqual([3, 4, 5, 6]);
    // A system group is hidden as a team but counts as a subgroup (owners are administrators too).
    expect([...store.members(16)!].sort()).toEqual([1, 2]);
    // A deactivated subgroup still counts, as Zulip counts it (get_recursive_subgroups in
    // zerver/lib/user_groups.py walks every subgroup; docs/zulip.md §n).
    expect([...store.members(15)!].sort()).toEqual([7, 8]);
    expect(store.teamsOf(3).map((t) => t.name)).toEqual(['backend', 'engineering', 'everyone-eng']);
    expect(store.teamsOf(7).map((t) => t.name)).toEqual(['with-retired']);
    expect(store.teamsOf(1).map((t) => t.name)).toEqual(['admins-too']);
  });

  it('survives cycles (Zulip refuses them, the store does not rely on it) and unknown subgroups', () => {
    const store = new TeamsStore();
    store.replaceAll([group(1, 'a', [1], { subgroupIds: [2] }), group(2, 'b', [2], { subgroupIds: [3, 99] }), group(3, 'c', [3], { subgroupIds: [1] }), group(4, 'self', [4], { subgroupIds: [4] })]);
    for (const id of [1, 2, 3]) expect([...store.members(id)!].sort()).toEqual([1, 2, 3]);
    expect([...store.members(4)!]).toEqual([4]);
  });

  it('follows the user_group events: members, subgroups, renames, new groups, deactivation and removal', () => {
    const store = organization();
    const version = store.version;
    apply(store, { op: 'add_members', group_id: 11, user_ids: [9] });
    expect(store.members(12)!.has(9)).toBe(true);
    expect(store.version).toBeGreaterThan(version);
    apply(store, { op: 'remove_members', group_id: 10, user_ids: [3] });
    expect(store.teamsOf(3)).toEqual([]);
    apply(store, { op: 'remove_subgroups', group_id: 12, direct_subgroup_ids: [11] });
    expect([...store.members(12)!].sort()).toEqual([4, 6]);
    apply(store, { op: 'add_subgroups', group_id: 12, direct_subgroup_ids: [11] });
    expect([...store.members(12)!].sort()).toEqual([4, 5, 6, 9]);
    apply(store, { op: 'update', group_id: 11, data: { name: 'web', description: 'The web app' } });
    expect(store.get(11)).toEqual({ id: 11, name: 'web', description: 'The web app' });
    apply(store, { op: 'add', group: { id: 20, name: 'mobile', description: '', members: [30], direct_subgroup_ids: [], is_system_group: false } });
    expect(store.teamsOf(30)).toEqual([{ id: 20, name: 'mobile' }]);
    // Deactivation (FL 290+, queues with include_deactivated_groups) hides it; reactivation brings it back.
    apply(store, { op: 'update', group_id: 20, data: { deactivated: true } });
    expect(store.get(20)).toBeUndefined();
    expect(store.teamsOf(30)).toEqual([]);
    apply(store, { op: 'update', group_id: 20, data: { deactivated: false } });
    expect(store.get(20)?.name).toBe('mobile');
    // Deletion (before FL 294), or deactivation for a queue without the capability.
    apply(store, { op: 'remove', group_id: 20 });
    expect(store.get(20)).toBeUndefined();
    // Events about groups never heard of change nothing.
    const before = store.version;
    apply(store, { op: 'add_members', group_id: 404, user_ids: [1] });
    expect(store.version).toBe(before);
  });

  it('shows names and descriptions as inert text', () => {
    const store = new TeamsStore();
    store.replaceAll([group(1, 'evil\u202Egnp.exe', [1], { description: 'x\u0007y' })]);
    expect(store.get(1)).toEqual({ id: 1, name: 'evilgnp.exe', description: 'xy' });
  });

  it('resolves 20,000 people in a few big teams quickly', () => {
    const store = new TeamsStore();
    const everyone = Array.from({ length: 20_000 }, (_, i) => i + 1);
    store.replaceAll([
      group(1, 'all', [], { subgroupIds: [2, 3, 4] }),
      group(2, 'a', everyone.slice(0, 8_000)),
      group(3, 'b', everyone.slice(6_000, 14_000)),
      group(4, 'c', everyone.slice(12_000), { subgroupIds: [1] }),
    ]);
    const started = performance.now();
    expect(store.members(1)!.size).toBe(20_000);
    expect(store.teamsOf(7_000).map((t) => t.name)).toEqual(['a', 'all', 'b', 'c']);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
