'use client';

import { useRenderClock } from '@/components/presence/render-clock';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withDay: boolean): Intl.DateTimeFormat | null {
  const key = `${timeZone}|${withDay}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', ...(withDay ? { weekday: 'short' } : {}) });
    } catch {
      return null; // not a zone this browser knows
    }
    formatters.set(key, f);
  }
  return f;
}

function dayIn(timeZone: string | undefined, date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' }).format(date);
}

/** "14:05 local", with the weekday when it differs from the viewer's ("Tue 02:05 local"). */
export function LocalTime({ timeZone, className = '' }: { timeZone: string; className?: string }) {
  const now = useRenderClock();
  if (!timeZone) return null;
  const date = new Date(now * 1000);
  const otherDay = dayIn(timeZone, date) !== dayIn(undefined, date);
  const f = formatter(timeZone, otherDay);
  if (!f) return null;
  return (
    <span className={className} title={timeZone} suppressHydrationWarning>
      {f.format(date)} local
    </span>
  );
}
