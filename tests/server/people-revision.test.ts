import { describe, expect, it } from 'vitest';
import { DirectoryData } from '@/lib/server/directory-data';
import type { ViewMeta } from '@/lib/server/cluster/feed';
import type { UserGroupRecord } from '@/lib/zulip/records';
import { FakeClock } from '@/tests/support/fake-clock';
import { getPeopleIndex } from '@/lib/server/people-index-service';
import type { DirectoryApp } from '@/lib/server/app';

// The people's revision (DirectoryData.peopleRevision, docs/architecture.md §10 and §17): the
// number every instance gives the people and teams as they are, that a browser compares to tell
// an index from an instance behind from a newer one.

const org = { name: 'Test', realmUrl: 'https://zulip.example.com', zulipVersion: '10.2', featureLevel: 372, demo: false };
const team = (id: number, memberIds: number[]): UserGroupRecord => ({ id, name: `Team ${id}`, description: '', memberIds, subgroupIds: [], isSystem: false, deactivated: false });
const meta = (peopleRevision: number): ViewMeta => ({
  org,
  presenceDisabled: false,
  thresholdSeconds: 140,
  zulipOffsetMs: 0,
  upstream: { state: 'ok', lastSuccessAt: 1, presenceUpdatedAt: 1, lastError: null },
  skipped: {},
  peopleRevision,
});
/** A clock an operator (or NTP) may set back. */
class SettableClock extends FakeClock {
  private back = 0;
  override now(): number {
    return super.now() - this.back;
  }
  setBack(ms: number): void {
    this.back += ms;
  }
}
const freshness = { presenceUpdatedAt: null, stale: false, problem: null, presenceDisabled: false };

describe('the people revision', () => {
  it('moves with each change, above the clock in milliseconds, and not for no change', async () => {
    const clock = new FakeClock();
    const view = new DirectoryData(org, clock);
    const first = view.peopleRevision();
    expect(first).toBe(clock.now());
    expect(view.peopleRevision()).toBe(first);
    view.teams.replaceAll([team(1, [10])]);
    // Two changes within the same millisecond still number apart.
    const second = view.peopleRevision();
    expect(second).toBe(first + 1);
    await clock.advance(5_000);
    view.teams.replaceAll([team(1, [10, 11])]);
    expect(view.peopleRevision()).toBe(clock.now());
  });

  it('never goes back when the clock does', () => {
    const clock = new SettableClock();
    const view = new DirectoryData(org, clock);
    view.teams.replaceAll([team(1, [10])]);
    const before = view.peopleRevision();
    clock.setBack(60_000);
    view.teams.replaceAll([team(1, [10, 11])]);
    expect(view.peopleRevision()).toBe(before + 1);
  });

  it('a process started later numbers above the one before it (a tab open across a restart)', async () => {
    const clock = new FakeClock();
    const before = new DirectoryData(org, clock);
    before.teams.replaceAll([team(1, [10])]);
    const old = before.peopleRevision();
    await clock.advance(1_000);
    expect(new DirectoryData(org, clock).peopleRevision()).toBeGreaterThan(old);
  });

  it("a follower takes the leader's number with the change, from a snapshot and from each entry, whatever its clock", () => {
    const clock = new FakeClock();
    const follower = new DirectoryData(org, clock);
    const replica = { allowGuests: false, keyOf: (email: string) => email, hiddenFields: [] };
    follower.adoptSnapshot({ meta: meta(500), people: { fields: [], records: [] }, teams: [team(1, [10])], presence: { version: 1, full: true, changes: [], freshness } }, replica);
    expect(follower.peopleRevision()).toBe(500);
    follower.adoptEntry({ meta: meta(501), people: [], teams: [{ kind: 'group_members_removed', groupId: 1, userIds: [10] }], presence: null });
    expect(follower.peopleRevision()).toBe(501);
    // An entry it cannot apply to the end (it then waits for a later snapshot) still leaves it with the leader's number, not its clock's.
    expect(() => follower.adoptEntry({ meta: meta(502), people: [], teams: [{ kind: 'group_added', group: null } as never], presence: null })).toThrow();
    expect(follower.peopleRevision()).toBe(502);
    // Once it leads, its own changes number on above it.
    follower.teams.replaceAll([team(1, [12])]);
    expect(follower.peopleRevision()).toBe(clock.now());
  });

  it("the stream's people event says the revision", () => {
    const clock = new FakeClock();
    const view = new DirectoryData(org, clock);
    const messages: string[] = [];
    view.fanOut.subscribe((message) => messages.push(message));
    view.announcePeopleChanges();
    view.teams.replaceAll([team(1, [10])]);
    view.announcePeopleChanges();
    view.announcePeopleChanges();
    const said = messages.filter((m) => m.startsWith('event: people\n')).map((m) => JSON.parse(m.slice(m.indexOf('data: ') + 6)) as { revision: number });
    expect(said.map((m) => m.revision)).toEqual([clock.now(), clock.now() + 1]);
  });

  it("a follower's index follows a snapshot at the number of an entry it applied only part way", async () => {
    const follower = new DirectoryData(org, new FakeClock());
    const app = { directory: async () => ({ view: follower }) } as unknown as DirectoryApp;
    const replica = { allowGuests: false, keyOf: (email: string) => email, hiddenFields: [] };
    const snapshot = (revision: number, teams: UserGroupRecord[]) => ({ meta: meta(revision), people: { fields: [], records: [] }, teams, presence: { version: 1, full: true, changes: [], freshness } });
    follower.adoptSnapshot(snapshot(500, [team(1, [])]), replica);
    // Its second update cannot be applied: the follower waits for the snapshot after it.
    expect(() => follower.adoptEntry({ meta: meta(501), people: [], teams: [{ kind: 'group_added', group: team(2, []) }, { kind: 'group_added', group: null } as never], presence: null })).toThrow();
    const partial = await getPeopleIndex(app);
    follower.adoptSnapshot(snapshot(501, [team(1, []), team(2, []), team(3, [])]), replica);
    const whole = await getPeopleIndex(app);
    expect(whole.revision).toBe(501);
    expect(whole.etag).not.toBe(partial.etag);
    expect(JSON.parse(whole.json.toString()).teams.map((t: { id: number }) => t.id)).toEqual([1, 2, 3]);
  });
});
