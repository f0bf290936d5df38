import { availabilityAt } from '@/lib/directory/domain/availability/answer';
import type { ListedPerson, RowOf } from '@/lib/directory/search/query-people';
import type { PresenceSummary } from '@/lib/presence/status';

/**
 * A person as a row: their presence (null when not shown) and availability at `nowMs`
 * (docs/architecture.md §18). The same on the server (whole Persons) and in the browser (the
 * people index's ListedPersons, docs/architecture.md §17).
 */
export function toPersonRow<P extends ListedPerson>(person: P, presence: PresenceSummary | null, nowMs: number): RowOf<P> {
  return { ...person, presence, availability: availabilityAt(person, presence?.state ?? null, nowMs) };
}
