'use client';

import { useEffect, useState } from 'react';

/**
 * `value` once it has stayed the same for `ms`: what a live region reads while someone types, so
 * a screen reader says where the typing stopped, not every step on the way (a polite region
 * queues each change behind the characters it echoes).
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}
