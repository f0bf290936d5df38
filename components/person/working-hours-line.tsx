import type { WorkingHours } from '@/lib/directory/domain/availability/working-time';

/**
 * A profile's working hours as written, with their zone when it is not the person's own, and
 * said to be the organization's when the person wrote none (`Profile.usualHours`), so no one
 * reads the default as theirs.
 */
export function WorkingHoursLine({ hours, personZone, usual }: { hours: WorkingHours; personZone: string; usual: boolean }) {
  return (
    <p className="text-sm text-ink-muted">
      Working hours: {hours.text}
      {hours.timeZone !== personZone ? ` (${hours.timeZone})` : ''}
      {usual ? ', the organization’s usual hours' : ''}
    </p>
  );
}
