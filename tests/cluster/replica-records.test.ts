// What a follower reads of the leader's people (lib/server/cluster/redis-records.ts): every record
// a leader writes from what Zulip sends is read back whole, and the person is listed.
import { describe, expect, it } from 'vitest';
import { PeopleStore } from '@/lib/directory/domain/people-store';
import { readPeopleRecords } from '@/lib/server/cluster/redis-records';
import { readFields, readUsers, zulipUser } from '../zulip/records-support';

const FIELDS = [{ id: 3, type: 6, name: 'Manager', order: 1, field_data: '' }];

describe('a follower reads the leader’s people', () => {
  it('with a manager field that lists more than a hundred people (Zulip does not limit a person picker)', () => {
    const managers = Array.from({ length: 150 }, (_, i) => i + 2);
    const humans = [1, ...managers].map((id) => zulipUser(id, id === 1 ? { profile_data: { '3': { value: JSON.stringify(managers) } } } : {}));
    const leader = new PeopleStore();
    leader.replaceAll({ users: readUsers(humans), fields: readFields(FIELDS), statuses: new Map(), realmUrl: 'https://chat.example.com' });
    const written = JSON.parse(JSON.stringify(leader.exportReplica((email) => `key:${email}`).records)) as unknown[];
    const issues: unknown[] = [];
    const read = readPeopleRecords(written, { site: 'https://chat.example.com', signed: false, report: (issue) => void issues.push(issue) });
    expect(issues).toEqual([]);
    expect(read.find((r) => r.id === 1)?.person?.managerIds).toHaveLength(150);
  });

  it('with a guest who left marked as one, so each follower names them only where its own settings list guests', () => {
    const leader = new PeopleStore();
    const users = [zulipUser(1, { profile_data: { '3': { value: '[4]' } } }), zulipUser(4, { full_name: 'Guest Gina', is_active: false, role: 600, is_guest: true })];
    leader.replaceAll({ users: readUsers(users), fields: readFields(FIELDS), statuses: new Map(), realmUrl: 'https://chat.example.com', policy: { allowGuests: true } });
    const written = JSON.parse(JSON.stringify(leader.exportReplica((email) => `key:${email}`).records)) as unknown[];
    const read = readPeopleRecords(written, { site: 'https://chat.example.com', signed: false, report: () => {} });
    expect(read.find((r) => r.id === 4)?.former).toMatchObject({ name: 'Guest Gina', isGuest: true });
  });
});
