'use client';

import { useEffect, useState } from 'react';

/**
 * The current time in Unix seconds, re-read every `intervalMs` so relative times ("Active 3
 * minutes ago") age on screen without refetching. Starts from the server's render time so the
 * first client render matches the HTML.
 */
export function useNow(initialSeconds: number, intervalMs = 30_000): number {
  const [now, setNow] = useState(initialSeconds);
  useEffect(() => {
    const tick = () => setNow(Date.now() / 1000);
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
