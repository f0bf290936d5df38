// The availability line says a status's date as the person meant it: the day back ("back on
// Monday") or the last day away ("until Friday", "through the 18th"); the working-hours line says
// whose hours they are — docs/architecture.md §18.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AvailabilityLine } from '@/components/person/availability-line';
import { WorkingHoursLine } from '@/components/person/working-hours-line';
import type { ListedPerson } from '@/lib/directory/domain/person-row';
import { availabilityAt } from '@/lib/directory/domain/availability/answer';
import { statusMeaning } from '@/lib/directory/domain/availability/status-meaning';

// Wednesday 9 December 2026, and Monday 21 December, noon in Lisbon.
const NOW = Date.UTC(2026, 11, 9, 12);
const DEC_21 = Date.UTC(2026, 11, 21, 12);

function line(text: string, nowMs = NOW): string {
  const status = { text, emoji: null, emojiName: null };
  const person = { id: 1, name: 'Ana Souza', timezone: 'Europe/Lisbon', status, statusMeaning: statusMeaning(status), workingHours: null } as unknown as ListedPerson;
  const html = renderToString(<AvailabilityLine person={person} availability={availabilityAt(person, 'active', nowMs)} nowMs={nowMs} />);
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

describe('the availability line of a range ("OOO 20-23 Dec")', () => {
  it('says nothing before its first day, and the last day away during it', () => {
    expect(line('OOO 20-23 Dec')).not.toMatch(/Out/);
    expect(line('OOO 20-23 Dec', DEC_21)).toMatch(/^Out · OOO 20-23 Dec · until \S+ 23 Dec$/);
  });
});

describe('the working-hours line', () => {
  const hours = { text: 'Mon-Fri 09:00-17:00', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Lisbon' };
  const text = (personZone: string, usual: boolean) =>
    renderToString(<WorkingHoursLine hours={hours} personZone={personZone} usual={usual} />).replace(/<[^>]+>/g, '').replace(/<!-- -->/g, '');

  it('says the hours as written, their zone when it is not the person’s, and when they are the organization’s', () => {
    expect(text('Europe/Lisbon', false)).toBe('Working hours: Mon-Fri 09:00-17:00');
    expect(text('America/New_York', false)).toBe('Working hours: Mon-Fri 09:00-17:00 (Europe/Lisbon)');
    expect(text('Europe/Lisbon', true)).toBe('Working hours: Mon-Fri 09:00-17:00, the organization’s usual hours');
  });
});
