'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { useNow } from '@/components/ui/use-now';

const RenderClock = createContext<number>(0);
const ZulipAhead = createContext<number>(0);
const PresenceHistory = createContext<number>(365);

/**
 * One shared clock for every time on the page, ticking every 30 s, on Zulip's clock (`serverNow`)
 * and, `zulipAheadMs` behind it, the wall's (this server's); and how many days of presence history
 * the page's data covers (what "no data" means).
 */
export function RenderClockProvider({ serverNow, zulipAheadMs, historyDays, children }: { serverNow: number; zulipAheadMs: number; historyDays: number; children: ReactNode }) {
  const now = useNow(serverNow);
  return (
    <PresenceHistory.Provider value={historyDays}>
      <ZulipAhead.Provider value={zulipAheadMs}>
        <RenderClock.Provider value={now}>{children}</RenderClock.Provider>
      </ZulipAhead.Provider>
    </PresenceHistory.Provider>
  );
}

/** Zulip's time, Unix seconds: for ages of what Zulip stamped (presence). Must be used under RenderClockProvider, which every page sets up. */
export function useRenderClock(): number {
  const now = useContext(RenderClock);
  return now;
}

/**
 * The wall's time, Unix ms: for someone's local time, working hours and return days, answered as
 * the server's queries answer them (on its clock), whatever Zulip's clock says.
 */
export function useWallClockMs(): number {
  return useContext(RenderClock) * 1000 - useContext(ZulipAhead);
}

export function usePresenceHistoryDays(): number {
  return useContext(PresenceHistory);
}
