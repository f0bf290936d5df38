// The team page's overlap says who is out as the rows do (lib/directory/domain/availability/answer.ts):
// someone whose status's return day has passed is back, drawn and counted with the others.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TeamOverlapView, type OverlapPerson } from '@/components/directory/team-overlap';
import { RenderClockProvider } from '@/components/presence/render-clock';

const hours = { text: 'Mon-Fri 09:00-17:00', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Lisbon' };
const out = (until: { year: number; month: number; day: number } | null): OverlapPerson['statusMeaning'] => ({
  kind: 'out',
  reason: 'OOO',
  returns: until && { kind: 'date', ...until },
  lastDay: false,
  starts: null,
});
const people: OverlapPerson[] = [
  { id: 1, name: 'Ana Souza', workingHours: hours, timezone: 'Europe/Lisbon', statusMeaning: null },
  { id: 2, name: 'Gil Costa', workingHours: hours, timezone: 'Europe/Lisbon', statusMeaning: out({ year: 2026, month: 12, day: 10 }) },
  { id: 3, name: 'Rui Lopes', workingHours: hours, timezone: 'Europe/Lisbon', statusMeaning: out(null) },
];

// The page's text, without the comments React puts between text nodes.
const render = (nowMs: number, total = people.length) =>
  renderToString(
    <RenderClockProvider zulipAheadMs={0} serverNow={nowMs / 1000} historyDays={365}>
      <TeamOverlapView people={people} total={total} />
    </RenderClockProvider>,
  ).replaceAll('<!-- -->', '');

describe('the team overlap', () => {
  it('marks out only who is out now: an absence whose return day has passed is over', () => {
    // Friday 11 December 2026: Gil said "until 10 December".
    const friday = render(Date.UTC(2026, 11, 11, 12));
    expect(friday).toContain('Rui Lopes (out)');
    expect(friday).not.toContain('Gil Costa (out)');
    // On the 10th itself he is still out.
    expect(render(Date.UTC(2026, 11, 10, 12))).toContain('Gil Costa (out)');
  });

  it('names a team past the limit as too large to compare, rather than comparing its first names', () => {
    const html = render(Date.UTC(2026, 11, 11, 12), 7523);
    expect(html).toContain('Working hours are compared for teams of up to 100 people; this one has 7,523.');
    expect(html).not.toContain('Ana Souza');
    expect(html).not.toContain('<svg');
  });
});
