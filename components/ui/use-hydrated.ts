'use client';

import { useSyncExternalStore } from 'react';

/** For a value that never changes once read in the browser: nothing to subscribe to. */
export const noSubscription = () => () => {};

/** False while the server renders and the page hydrates, true after: what only a running script can do. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
