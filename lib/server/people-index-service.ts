import 'server-only';
import { createHash } from 'node:crypto';
import { encodePeopleIndex } from '@/lib/directory/search/people-index';
import { searchedFields } from '@/lib/directory/search/query-people';
import type { DirectoryData } from '@/lib/server/directory-data';
import type { DirectoryApp } from '@/lib/server/app';

/** The people index as served: its JSON, its validator and its revision (the server compresses it on the way out, as every answer). */
export interface ServedPeopleIndex {
  /** A strong validator: a hash of the JSON, so every instance names the same index alike, and the same people after a new register too. */
  etag: string;
  json: Buffer;
  /** DirectoryData.peopleRevision when it was built: sent beside the JSON, not in it, so that a new number for the same people is still a 304. */
  revision: number;
}

const built = new WeakMap<DirectoryData, { key: string; index: ServedPeopleIndex }>();

/**
 * The people index (lib/directory/search/people-index.ts) for the people and teams as they are now:
 * made on the first request after a change (docs/architecture.md §17) and shared
 * by every viewer, since every viewer allowed the directory sees the same people (/api/people
 * does not depend on who asks either).
 */
export async function getPeopleIndex(app: DirectoryApp): Promise<ServedPeopleIndex> {
  const { view } = await app.directory();
  // The revision moves with every change of people or teams, and with the leader's number on a
  // follower; this instance's own count too, for a follower that applied an entry part way and
  // then the snapshot after it at the same number.
  const revision = view.peopleRevision();
  const key = `${revision}/${view.localVersion()}`;
  const cached = built.get(view);
  if (cached?.key === key) return cached.index;
  const payload = encodePeopleIndex(view.queries.nameOrder(), searchedFields(view.people.fieldDefinitions()), view.teams);
  const json = Buffer.from(JSON.stringify(payload));
  const index: ServedPeopleIndex = {
    etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`,
    json,
    revision,
  };
  built.set(view, { key, index });
  return index;
}
