'use client';

import { useId } from 'react';
import { useWallClockMs } from '@/components/presence/render-clock';
import { useViewerZone } from '@/components/ui/local-time';
import { OVERLAP_TEAM_LIMIT, overlapSentence, slotInstant, SLOTS, teamOverlap, type TeamOverlap, type ViewerDay } from '@/lib/directory/domain/availability/overlap';
import { wallTime } from '@/lib/directory/domain/availability/zoned-time';
import { outAt } from '@/lib/directory/domain/availability/answer';
import type { Person } from '@/lib/directory/domain/types';

export type OverlapPerson = Pick<Person, 'id' | 'name' | 'workingHours' | 'statusMeaning' | 'timezone'>;

/** A run of working slots in a row: [start, end). */
function runs(working: boolean[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < working.length; i++) {
    if (!working[i]) continue;
    let j = i;
    while (j < working.length && working[j]) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

/**
 * A team's working hours across the viewer's day (docs/architecture.md §18): one bar per member,
 * the common window as a band, the sentence above, unknown hours listed apart, and the same
 * facts as a visually hidden table. The viewer's zone is the browser's, so the bars and the
 * sentence are drawn once the page has hydrated; the rows are there from the first render, so
 * nothing moves. `people` is the whole team, or, past OVERLAP_TEAM_LIMIT, only its first names,
 * and then the team is named too large rather than compared in part.
 */
export function TeamOverlapView({ people, total }: { people: OverlapPerson[]; total: number }) {
  const headingId = useId();
  const nowMs = useWallClockMs();
  const viewerZone = useViewerZone();
  const today = viewerZone ? wallTime(nowMs, viewerZone) : null;
  const day: ViewerDay | null = today && viewerZone ? { year: today.year, month: today.month, day: today.day, timeZone: viewerZone } : null;
  // Out as the rows say it (answer.ts): an absence whose return day has passed is over.
  const members = people.map((p) => ({ id: p.id, name: p.name, workingHours: p.workingHours, out: outAt(p, nowMs) !== null }));
  // Past the limit `people` is only part of the team: nothing is compared, the sentence says why.
  const tooLarge = total > people.length;
  const overlap: TeamOverlap = teamOverlap(tooLarge ? [] : members, day);
  const timeFormat = viewerZone ? new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: viewerZone }) : null;
  const time = (slot: number) => (timeFormat && day ? timeFormat.format(slotInstant(day, slot)) : '');
  const span = (working: boolean[]) => runs(working).map(([a, b]) => `${time(a)}–${time(b)}`).join(', ') || 'not today';
  if (!tooLarge && overlap.rows.length === 0 && overlap.unknown.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="mb-4 space-y-2 rounded-lg border border-line bg-surface p-3" data-team-overlap>
      <h2 id={headingId} className="font-semibold">
        Working hours, in your time
      </h2>
      <p className={`min-h-5 text-sm ${tooLarge ? 'text-ink-muted' : ''}`} data-overlap-sentence>
        {tooLarge
          ? `Working hours are compared for teams of up to ${OVERLAP_TEAM_LIMIT} people; this one has ${total.toLocaleString('en-US')}. Each person’s hours are on their row below.`
          : day !== null
            ? overlapSentence(overlap, time)
            : ''}
      </p>
      {overlap.rows.length > 0 && (
        // Scrolls sideways inside its own box at phone widths, never the page: a tab stop, so the
        // keyboard can scroll it too. What it draws is said by the sentence above and each row's
        // hours, so a screen reader hears its name only.
        <div
          tabIndex={0}
          role="group"
          aria-label="Working hours chart (scrolls sideways on a narrow screen)"
          className="overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-accent"
        >
          <div className="min-w-[36rem] text-xs" aria-hidden="true">
            <div className="grid grid-cols-[9rem_1fr] gap-x-2 text-ink-muted">
              <span />
              <div className="grid grid-cols-8">
                {Array.from({ length: 8 }, (_, k) => (
                  <span key={k}>{time(k * 6)}</span>
                ))}
              </div>
            </div>
            {overlap.rows.map((row) => (
              <div key={row.id} className="grid grid-cols-[9rem_1fr] items-center gap-x-2 py-0.5">
                <span className="truncate">
                  {row.name}
                  {row.out ? ' (out)' : ''}
                </span>
                <svg viewBox={`0 0 ${SLOTS} 4`} preserveAspectRatio="none" className="h-3 w-full text-accent">
                  <defs>
                    <pattern id={`hatch-${headingId}-${row.id}`} width="1" height="1" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                      <rect width="0.4" height="1" fill="currentColor" />
                    </pattern>
                  </defs>
                  <rect x="0" y="1.5" width={SLOTS} height="1" className="fill-line" />
                  {/* Before the page knows the viewer's day no one works a slot: no band, no bars. */}
                  {overlap.best && <rect x={overlap.best.start} y="0" width={overlap.best.end - overlap.best.start} height="4" fill="currentColor" opacity="0.15" />}
                  {runs(row.working).map(([a, b]) => (
                    <rect key={a} x={a} y="0.5" width={b - a} height="3" fill={row.out ? `url(#hatch-${headingId}-${row.id})` : 'currentColor'} stroke={row.out ? 'currentColor' : 'none'} strokeWidth="0.1" />
                  ))}
                </svg>
              </div>
            ))}
          </div>
        </div>
      )}
      {overlap.rows.length > 0 && (
        // A table grows to its content whatever its width: the box around it is what is hidden.
        <div className="sr-only">
        <table>
          <caption>Each member’s working hours today, in your time</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Working hours (your time)</th>
              <th scope="col">Their hours as written</th>
            </tr>
          </thead>
          <tbody>
            {overlap.rows.map((row) => {
              const hours = people.find((p) => p.id === row.id)!.workingHours!;
              return (
                <tr key={row.id}>
                  <th scope="row">{row.name}</th>
                  <td>{day !== null ? `${span(row.working)}${row.out ? ' (out)' : ''}` : ''}</td>
                  <td>
                    {hours.text} ({hours.timeZone})
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      )}
      {overlap.unknown.length > 0 && (
        <p className="text-sm text-ink-muted" data-overlap-unknown>
          Hours unknown: {overlap.unknown.map((u) => u.name).join(', ')}
        </p>
      )}
    </section>
  );
}
