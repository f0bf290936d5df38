'use client';

import { useEffect, useState } from 'react';

/**
 * The page's clock in Unix seconds, re-read every `intervalMs` so relative times ("Active 3
 * minutes ago") age on screen without refetching. It starts from the server's render time, which
 * is Zulip's clock (lib/server/render-time.ts), and keeps that clock's offset from the browser's, so
 * ages stay right when Zulip, this server and the browser disagree about the time.
 */
export function useNow(initialSeconds: number, intervalMs = 30_000): number {
  const [now, setNow] = useState(initialSeconds);
  useEffect(() => {
    const offset = zulipClockOffset(initialSeconds, Date.now() / 1000);
    const tick = () => setNow(Date.now() / 1000 + offset);
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [initialSeconds, intervalMs]);
  return now;
}

/** The best estimate yet of Zulip's clock minus the browser's, in seconds, for the tab's life. */
let bestOffset: number | null = null;

/**
 * Zulip's clock minus the browser's, from a render made at `renderedAtSec` (Zulip's clock) and
 * mounted at `browserNowSec`. A render reaches the browser some time after it was made, and can
 * be much older than that: Back and Forward show a page as Next's router kept it, with the time it
 * was first rendered. So each render says the offset is at least this much, and the tab keeps the
 * largest it has seen: a page restored after twenty minutes does not set the clock twenty minutes back.
 */
export function zulipClockOffset(renderedAtSec: number, browserNowSec: number): number {
  const seen = renderedAtSec - browserNowSec;
  bestOffset = bestOffset === null ? seen : Math.max(bestOffset, seen);
  return bestOffset;
}
