'use client';

import { useSyncExternalStore } from 'react';
import { useWallClockMs } from '@/components/presence/render-clock';
import { noSubscription } from '@/components/ui/use-hydrated';

// Building an Intl formatter costs tens of kilobytes of native (ICU) memory that garbage
// collection hardly sees: made afresh for every row on every render, they grew the page by
// ~1.5 MB per directory page. One per (zone, kind), kept; an unknown zone is remembered as null.
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_FORMATTERS = 2_000;

/** How each kind of formatter writes: `exact` is `toLocaleString('en-US')`'s own (a tooltip's exact time). */
const FORMATS: Record<'time' | 'day-time' | 'weekday' | 'parts' | 'exact', Intl.DateTimeFormatOptions> = {
  time: { hour: 'numeric', minute: '2-digit' },
  'day-time': { hour: 'numeric', minute: '2-digit', weekday: 'short' },
  weekday: { weekday: 'short' },
  parts: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' },
  exact: { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
};

function formatter(timeZone: string | undefined, kind: keyof typeof FORMATS): Intl.DateTimeFormat | null {
  const key = `${kind}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (f === undefined) {
    try {
      // The weekday and the parts are compared, never shown: a fixed locale, as is the exact
      // time. The time is the viewer's: 12 or 24 hours as their browser's locale says.
      f = new Intl.DateTimeFormat(kind === 'time' || kind === 'day-time' ? undefined : 'en-US', { timeZone, ...FORMATS[kind] });
    } catch {
      f = null; // not a zone this browser knows
    }
    if (formatters.size < MAX_FORMATTERS) formatters.set(key, f);
  }
  return f;
}

/** Minutes the zone's wall clock is ahead of UTC at `date`. */
function utcOffsetMinutes(timeZone: string, date: Date): number | null {
  const f = formatter(timeZone, 'parts');
  if (!f) return null;
  const part = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!);
  return Math.round((wall - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
}

/** "6 h behind you", "3 h 30 min ahead of you", "same time as you"; null for an unknown zone. */
export function offsetFromViewer(timeZone: string, viewerZone: string, date: Date): string | null {
  const theirs = utcOffsetMinutes(timeZone, date);
  const mine = utcOffsetMinutes(viewerZone, date);
  if (theirs === null || mine === null) return null;
  const diff = theirs - mine;
  if (diff === 0) return 'same time as you';
  const hours = Math.floor(Math.abs(diff) / 60);
  const minutes = Math.abs(diff) % 60;
  const amount = [hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean).join(' ');
  return `${amount} ${diff > 0 ? 'ahead of' : 'behind'} you`;
}

// The label only changes once a minute, and a page of 50 people shares a handful of zones:
// format each (zone, minute) once instead of several Intl calls per row per render.
const labels = new Map<string, { time: string; offset: string | null } | null>();
const MAX_LABELS = 2_000;

/**
 * The time in the person's zone, in the viewer's locale ("4:36 AM" or "04:36"), with the
 * weekday when it is another day there than where the viewer is; and the offset from the viewer.
 */
export function localTimeLabel(timeZone: string, nowSeconds: number, viewerZone: string): { time: string; offset: string | null } | null {
  const key = `${Math.floor(nowSeconds / 60)}|${timeZone}|${viewerZone}`;
  let label = labels.get(key);
  if (label === undefined) {
    const date = new Date(nowSeconds * 1000);
    const theirDay = formatter(timeZone, 'weekday')?.format(date);
    const myDay = formatter(viewerZone, 'weekday')?.format(date);
    const f = theirDay === undefined ? null : formatter(timeZone, theirDay === myDay ? 'time' : 'day-time');
    label = f ? { time: f.format(date), offset: offsetFromViewer(timeZone, viewerZone, date) } : null;
    if (labels.size >= MAX_LABELS) labels.clear();
    labels.set(key, label);
  }
  return label;
}

// Read once per page load: React asks for the snapshot on every render of every row that shows a
// time, and building a formatter to ask is ~0.1 ms each (half a keystroke's time at 50 rows).
let viewerZoneNow: string | undefined;
const readViewerZone = () => (viewerZoneNow ??= Intl.DateTimeFormat().resolvedOptions().timeZone);

/**
 * The viewer's own zone, known only in the browser: null while the server renders and the page
 * hydrates, then the browser's (so the server never guesses a locale or zone it cannot know).
 */
export function useViewerZone(): string | null {
  return useSyncExternalStore(noSubscription, readViewerZone, () => null);
}

/**
 * How presence writes a past moment: days ("yesterday", "2 days ago") counted in the viewer's
 * zone once the page has hydrated, and in UTC before (the server cannot know the viewer's zone,
 * and its own would stick after hydration); the exact time, for a tooltip, only once the
 * viewer's zone is known.
 */
export function usePastTimes(): { dayZone: string; exactTime: (seconds: number) => string | undefined } {
  const viewerZone = useViewerZone();
  return {
    dayZone: viewerZone ?? 'UTC',
    // One kept formatter: a fresh one per row (toLocaleString) was a tenth of a keystroke's script.
    exactTime: (seconds) => (viewerZone ? formatter(viewerZone, 'exact')?.format(seconds * 1000) : undefined),
  };
}

/**
 * "4:36 AM local · 6 h behind you", in the viewer's locale and from the viewer's zone, so it is
 * filled in once the page has hydrated. The box is sized by the caller (a fixed width and
 * height), so the text arriving moves nothing. `stacked` puts the offset on a line of its own.
 */
export function LocalTime({ timeZone, className = '', stacked = false }: { timeZone: string; className?: string; stacked?: boolean }) {
  // The wall's time, not Zulip's: someone's clock reads the same whatever Zulip's says.
  const now = useWallClockMs() / 1000;
  const viewerZone = useViewerZone();
  const label = timeZone && viewerZone ? localTimeLabel(timeZone, now, viewerZone) : null;
  return (
    <span className={className} title={timeZone || undefined} data-local-time>
      {label && (
        <>
          <span className={stacked ? 'sm:block' : ''}>{label.time} local</span>
          {label.offset && (
            <>
              <span className={stacked ? 'sm:hidden' : ''}>{' · '}</span>
              <span className={stacked ? 'sm:block sm:text-xs' : ''}>{label.offset}</span>
            </>
          )}
        </>
      )}
    </span>
  );
}
