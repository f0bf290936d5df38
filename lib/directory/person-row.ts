import { availabilityAt } from '@/lib/directory/availability/answer';
import type { Person, PersonRow } from '@/lib/directory/types';
import type { PresenceSummary } from '@/lib/presence/status';

/** A person as a row: their presence (null when not shown) and availability at `nowMs` (docs/architecture.md §16). */
export function toPersonRow(person: Person, presence: PresenceSummary | null, nowMs: number): PersonRow {
  return { ...person, presence, availability: availabilityAt(person, presence?.state ?? null, nowMs) };
}
