import { availabilityAt, type Availability } from '@/lib/directory/domain/availability/answer';
import type { PeoplePage, Person } from '@/lib/directory/domain/types';
import type { PresenceSummary } from '@/lib/presence/status';

/**
 * What a query reads of a person: what a row shows and what is searched and filtered. The
 * server's people store holds whole Persons; the browser's people index (people-index.ts) only
 * these, so the same engine answers in both places (docs/architecture.md §17).
 */
export type ListedPerson = Pick<
  Person,
  | 'id'
  | 'name'
  | 'apiEmail'
  | 'email'
  | 'avatarUrl'
  | 'timezone'
  | 'dateJoined'
  | 'pronouns'
  | 'title'
  | 'department'
  | 'office'
  | 'status'
  | 'statusMeaning'
  | 'workingHours'
  | 'fields'
>;

/** A row as a query answers it: the person, their presence and their availability at the query's instant. */
export type RowOf<P extends ListedPerson> = P & { presence: PresenceSummary | null; availability: Availability };
export type ListedRow = RowOf<ListedPerson>;

/** A page of rows: what /api/people answers (whole Persons), or the browser's index (ListedPersons). */
export type ListedPage = Omit<PeoplePage, 'items' | 'presenceVersion'> & { items: ListedRow[] };

/**
 * A person as a row: their presence (null when not shown) and availability at `nowMs`
 * (docs/architecture.md §18). The same on the server (whole Persons) and in the browser (the
 * people index's ListedPersons, docs/architecture.md §17).
 */
export function toPersonRow<P extends ListedPerson>(person: P, presence: PresenceSummary | null, nowMs: number): RowOf<P> {
  return { ...person, presence, availability: availabilityAt(person, presence?.state ?? null, nowMs) };
}
