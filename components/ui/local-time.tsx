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

// Building an Intl formatter costs tens of kilobytes of native (ICU) memory that garbage
// collection hardly sees: made afresh for every row on every render, they grew the server by
// ~1.5 MB per directory page. One per zone, kept (there are a few hundred zones at most; an
// unknown zone is remembered as null).
const weekdayFormatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_ZONES = 1_000;

function dayIn(timeZone: string | undefined, date: Date): string | null {
  const key = timeZone ?? '';
  let f = weekdayFormatters.get(key);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' });
    } catch {
      f = null; // not a zone this browser knows
    }
    if (weekdayFormatters.size < MAX_ZONES) weekdayFormatters.set(key, f);
  }
  return f ? f.format(date) : null;
}

// The label only changes once a minute, and a page of 50 people shares a handful of zones:
// format each (zone, minute) once instead of three Intl calls per row per render.
const labels = new Map<string, string | null>();
const MAX_LABELS = 2_000;

function localTimeLabel(timeZone: string, nowSeconds: number): string | null {
  const minute = Math.floor(nowSeconds / 60);
  const key = `${minute}|${timeZone}`;
  let label = labels.get(key);
  if (label === undefined) {
    const date = new Date(nowSeconds * 1000);
    const day = dayIn(timeZone, date);
    const f = day === null ? null : formatter(timeZone, day !== dayIn(undefined, date));
    label = f ? f.format(date) : null;
    if (labels.size >= MAX_LABELS) labels.clear();
    labels.set(key, label);
  }
  return label;
}

/** "14:05 local", with the weekday when it differs from the viewer's ("Tue 02:05 local"). */
export function LocalTime({ timeZone, className = '' }: { timeZone: string; className?: string }) {
  const now = useRenderClock();
  if (!timeZone) return null;
  const label = localTimeLabel(timeZone, now);
  if (label === null) return null;
  return (
    <span className={className} title={timeZone} suppressHydrationWarning>
      {label} local
    </span>
  );
}
