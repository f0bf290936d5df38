import 'server-only';
import { createHash } from 'node:crypto';
import { encodePeopleIndex } from '@/lib/directory/search/people-index';
import { searchedFields } from '@/lib/directory/search/query-people';
import type { DirectoryData } from '@/lib/server/directory-data';
import type { DirectoryApp } from '@/lib/server/app';

/** The people index as served: its JSON and its validator (the server compresses it on the way out, as every answer). */
export interface ServedPeopleIndex {
  /** A strong validator: a hash of the JSON, so every instance names the same index alike. */
  etag: string;
  json: Buffer;
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
  const key = `${view.people.version}/${view.teams.version}`;
  const cached = built.get(view);
  if (cached?.key === key) return cached.index;
  const payload = encodePeopleIndex(view.queries.nameOrder(), searchedFields(view.people.fieldDefinitions()), view.teams);
  const json = Buffer.from(JSON.stringify(payload));
  const index: ServedPeopleIndex = {
    etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`,
    json,
  };
  built.set(view, { key, index });
  return index;
}
