'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { useNow } from '@/components/ui/use-now';

const RenderClock = createContext<number>(0);
const PresenceHistory = createContext<number>(365);

/**
 * One shared clock for every relative time on the page, ticking every 30 s, on Zulip's clock;
 * and how many days of presence history the page's data covers (what "no data" means).
 */
export function RenderClockProvider({ serverNow, historyDays, children }: { serverNow: number; historyDays: number; children: ReactNode }) {
  const now = useNow(serverNow);
  return (
    <PresenceHistory.Provider value={historyDays}>
      <RenderClock.Provider value={now}>{children}</RenderClock.Provider>
    </PresenceHistory.Provider>
  );
}

/** Must be used under RenderClockProvider, which every page sets up. */
export function useRenderClock(): number {
  const now = useContext(RenderClock);
  return now;
}

export function usePresenceHistoryDays(): number {
  return useContext(PresenceHistory);
}
