'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { useNow } from '@/components/ui/use-now';

const RenderClock = createContext<number>(0);

/** One shared clock for every relative time on the page, ticking every 30 s. */
export function RenderClockProvider({ serverNow, children }: { serverNow: number; children: ReactNode }) {
  const now = useNow(serverNow);
  return <RenderClock.Provider value={now}>{children}</RenderClock.Provider>;
}

/** Must be used under RenderClockProvider, which every page sets up. */
export function useRenderClock(): number {
  const now = useContext(RenderClock);
  return now;
}
