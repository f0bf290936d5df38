// GET /api/people/index and the people's revision it says (docs/architecture.md §17): every
// answer says the revision, a change brings a new index at a higher one, and the same people
// numbered anew by a new register are still a 304.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/people/index/route';
import { PEOPLE_REVISION_HEADER } from '@/lib/directory/search/people-index';
import { startTestDirectory, type TestDirectory } from '@/tests/support/directory';

let dir: TestDirectory;
beforeAll(async () => {
  dir = await startTestDirectory();
}, 30_000);
afterAll(() => dir?.close());

const ask = (etag?: string) => GET(new Request('http://directory.test/api/people/index', { headers: etag ? { 'If-None-Match': etag } : {} }));
const revisionOf = (response: Response) => Number(response.headers.get(PEOPLE_REVISION_HEADER));

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > 10_000) throw new Error('waited 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function revisionAbove(revision: number): Promise<number> {
  await until(() => dir.runtime.view.peopleRevision() > revision);
  return dir.runtime.view.peopleRevision();
}

describe('the people index and its revision', () => {
  it('every answer says the revision, a 304 too', async () => {
    const first = await ask();
    expect(first.status).toBe(200);
    expect(revisionOf(first)).toBe(dir.runtime.view.peopleRevision());
    const again = await ask(first.headers.get('etag')!);
    expect(again.status).toBe(304);
    expect(revisionOf(again)).toBe(revisionOf(first));
  });

  it('a change brings a new index at a higher revision', async () => {
    const before = await ask();
    const person = dir.runtime.view.people.list()[2]!;
    try {
      await dir.control('PATCH', `/demo/users/${person.id}`, { full_name: 'Quillon Revised' });
      await revisionAbove(revisionOf(before));
      const after = await ask(before.headers.get('etag')!);
      expect(after.status).toBe(200);
      expect(revisionOf(after)).toBeGreaterThan(revisionOf(before));
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    } finally {
      await dir.control('PATCH', `/demo/users/${person.id}`, { full_name: person.name });
      await until(() => dir.runtime.view.people.get(person.id)?.name === person.name);
    }
  });

  it('the same people numbered anew (a new register, after Zulip dropped the queue) are still a 304, at the new revision', async () => {
    const before = await ask();
    await dir.control('DELETE', '/demo/queues');
    const renumbered = await revisionAbove(revisionOf(before));
    const after = await ask(before.headers.get('etag')!);
    expect(after.status).toBe(304);
    expect(revisionOf(after)).toBe(renumbered);
  });
});
