// The availability line says a status's date as the person meant it: the day back ("back on
// Monday") or the last day away ("until Friday", "through the 18th") — docs/architecture.md §18.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AvailabilityLine } from '@/components/person/availability-line';
import type { ListedPerson } from '@/lib/directory/domain/person-row';
import { availabilityAt } from '@/lib/directory/domain/availability/answer';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';

// Wednesday 9 December 2026, noon in Lisbon.
const NOW = Date.UTC(2026, 11, 9, 12);

function line(text: string): string {
  const status = { text, emoji: null, emojiName: null };
  const person = { id: 1, name: 'Ana Souza', timezone: 'Europe/Lisbon', status, statusMeaning: statusMeaning(status), workingHours: null } as unknown as ListedPerson;
  const html = renderToString(<AvailabilityLine person={person} availability={availabilityAt(person, 'active', NOW)} nowMs={NOW} />);
  return html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");
}

describe('the availability line', () => {
  it('names the day back for "back …"', () => {
    expect(line('Vacation, back 14 Dec')).toMatch(/^Out · Vacation, back 14 Dec · back \S+ 14 Dec$/);
  });

  it('names the last day away for "until …" and "through …"', () => {
    expect(line('OOO through 2026-12-18')).toMatch(/^Out · OOO through 2026-12-18 · until \S+ 18 Dec$/);
    expect(line('Urlaub bis 14. Dezember')).toMatch(/ · until \S+ 14 Dec$/);
  });
});
