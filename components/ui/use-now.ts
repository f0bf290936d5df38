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
    const offset = initialSeconds - Date.now() / 1000;
    const tick = () => setNow(Date.now() / 1000 + offset);
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [initialSeconds, intervalMs]);
  return now;
}
