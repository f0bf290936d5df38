// A person-picker field other than the manager ("Mentor", "Buddy"): someone it names who has left
// Zulip is named "(left)", as the reporting line and the org chart name them
// (lib/server/directory-service.ts getProfile; docs/zulip.md §f: deactivated users stay in GET /users).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIELD_IDS } from '@/lib/demo-zulip/org/fields';
import { getProfile } from '@/lib/server/directory-service';
import { theApp } from '@/lib/server/app-handle';
import { startTestDirectory, until, type TestDirectory } from '../support/directory';

let dir: TestDirectory;

beforeAll(async () => {
  dir = await startTestDirectory({ demo: { users: 30, seed: 3 } });
  // The manager field renamed: no longer the reporting line, a person field like any other.
  await dir.control('PATCH', `/demo/profile_fields/${FIELD_IDS.manager}`, { name: 'Mentor' });
  await until(() => dir.runtime.view.people.fieldRoles().manager === null, 'the field event');
}, 30_000);

afterAll(() => dir?.close());

it('names someone who left, marked, and still links those who have not', async () => {
  const field = String(FIELD_IDS.manager);
  const person = dir.runtime.view.people.list().find((p) => p.fields[field])!;
  const mentorId = (JSON.parse(person.fields[field]!) as number[])[0]!;
  const mentor = dir.runtime.view.people.get(mentorId)!;
  const shown = async () => (await getProfile(theApp(), String(person.id)))!.fields.find((f) => f.name === 'Mentor')!.rendered;

  expect(await shown()).toEqual({ kind: 'people', people: [{ id: mentorId, name: mentor.name, left: false }] });
  await dir.control('PATCH', `/demo/users/${mentorId}`, { is_active: false });
  await until(() => dir.runtime.view.people.get(mentorId) === undefined, 'the deactivation event');
  expect(await shown()).toEqual({ kind: 'people', people: [{ id: mentorId, name: mentor.name, left: true }] });
});
