'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/** How long a live region stays empty before it is filled again. */
const RESPEAK_MS = 100;

/**
 * The words of a live region, said again even when they are the same as the last (a second
 * failure of the same kind): a screen reader reads a region only when it changes, so it is
 * emptied first and filled a moment later.
 */
export function useAnnouncement(): [said: string, announce: (text: string) => void] {
  const [said, setSaid] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const announce = useCallback((text: string) => {
    clearTimeout(timer.current);
    setSaid('');
    timer.current = setTimeout(() => setSaid(text), RESPEAK_MS);
  }, []);
  return [said, announce];
}
