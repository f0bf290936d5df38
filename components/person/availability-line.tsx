'use client';

import { useWallClockMs } from '@/components/presence/render-clock';
import { useViewerZone } from '@/components/ui/local-time';
import { availabilityAt, type Availability } from '@/lib/directory/domain/availability/answer';
import { nextWorkingStart } from '@/lib/directory/domain/availability/working-time';
import { durationLabel, firstName, returnDateLabel } from '@/lib/directory/domain/availability/wording';
import type { ListedPerson } from '@/lib/directory/domain/person-row';
import type { PresenceState, PresenceSummary } from '@/lib/presence/status';

/**
 * A person's availability now, recomputed as the page's clock ticks (every 30 s) from what the
 * row already holds, so crossing a working-hours boundary changes it with no new data
 * (docs/architecture.md §18).
 */
export function useAvailability(person: ListedPerson, presence: PresenceSummary | null): { availability: Availability; nowMs: number; dot: PresenceState } {
  const nowMs = useWallClockMs();
  const availability = availabilityAt(person, presence?.state ?? null, nowMs);
  // Out or off hours: the dot on the picture is hollow, whatever the presence (docs/architecture.md §18).
  const dot = availability.out || availability.withinWorkingHours === false ? 'offline' : (presence?.state ?? 'offline');
  return { availability, nowMs, dot };
}

// One formatter per zone, kept: a page of rows shares a handful of zones (see local-time.tsx on their cost).
const formatters = new Map<string, Intl.DateTimeFormat>();
function timeFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone });
    if (formatters.size < 500) formatters.set(timeZone, f);
  }
  return f;
}

/**
 * One line: "Out · Vacationing · back Mon 14 Dec", "Busy · In a meeting", "Off hours · 22:10 for
 * Ana · day starts in 9 h 50 min (08:00 your time)", else the status as written. The times of
 * day need the viewer's locale and zone, so they are added once the page has hydrated, at the end
 * of the same line (nothing moves). A row keeps it to one line (`truncate`, the whole line in its
 * tooltip); the profile lets it wrap, so its end ("back Mon 14 Dec") is never cut.
 */
export function AvailabilityLine({
  person,
  availability,
  nowMs,
  className = '',
}: {
  person: ListedPerson;
  availability: Availability;
  nowMs: number;
  className?: string;
}) {
  const viewerZone = useViewerZone();
  const status = person.status;
  const emoji = status?.emoji && (
    <span role="img" aria-label={status.emojiName?.replaceAll('_', ' ') ?? 'status emoji'} className="mr-1">
      {status.emoji}
    </span>
  );
  const { out, busy, workingHours, withinWorkingHours } = availability;
  // `lead` is the one word that says it ("Out", "Busy", "Off hours"), in bold; the rest follows.
  let lead: 'Out' | 'Busy' | 'Off hours' | null = null;
  const rest: string[] = [];
  if (out) {
    lead = 'Out';
    rest.push(out.reason, out.until ? `${out.lastDay ? 'until' : 'back'} ${returnDateLabel(out.until)}` : '');
  } else {
    if (busy) lead = 'Busy';
    rest.push(status?.text ?? '');
    if (workingHours && withinWorkingHours === false) {
      if (lead) rest.push('off hours');
      else lead = 'Off hours';
      const next = nextWorkingStart(workingHours, nowMs);
      if (viewerZone) rest.push(`${timeFormat(workingHours.timeZone).format(nowMs)} for ${firstName(person.name)}`);
      if (next !== null) rest.push(`day starts in ${durationLabel(next - nowMs)}${viewerZone ? ` (${timeFormat(viewerZone).format(next)} your time)` : ''}`);
    }
  }
  const tail = rest.filter(Boolean).join(' · ');
  if (!lead && !tail && !emoji) return null;
  const kind = lead === 'Out' ? 'out' : lead === 'Busy' ? 'busy' : lead ? 'off-hours' : 'none';
  return (
    <div
      className={className}
      data-availability={kind}
      title={[[lead, tail].filter(Boolean).join(' · '), workingHours && `Working hours: ${workingHours.text} (${workingHours.timeZone})`].filter(Boolean).join('\n') || undefined}
    >
      {emoji}
      {lead && <span className="font-medium">{lead}</span>}
      {lead && tail ? ' · ' : ''}
      {tail}
    </div>
  );
}
