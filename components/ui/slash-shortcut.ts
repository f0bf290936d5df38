'use client';

import { useSyncExternalStore } from 'react';

/**
 * Whether "/" moves the keyboard to the search box: on unless the viewer turned it off on
 * /shortcuts. WCAG 2.1.4 (Character Key Shortcuts) asks that a shortcut of one printable key can
 * be turned off: speech input types such keys as words are dictated, and a stray one moves the
 * focus. Kept in this browser's localStorage, as the choice of this browser, not of the account.
 */
const KEY = 'directory.slash-shortcut';
const listeners = new Set<() => void>();
/** The choice this browser would not keep (storage refused or full): it lasts until a reload. */
let unkept: boolean | null = null;

export function slashShortcutOn(): boolean {
  if (unkept !== null) return unkept;
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

/** Returns false when this browser keeps no settings: the choice then lasts until a reload. */
export function setSlashShortcut(on: boolean): boolean {
  let kept = true;
  try {
    if (on) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, 'off');
    unkept = null;
  } catch {
    unkept = on;
    kept = false;
  }
  for (const listener of listeners) listener();
  return kept;
}

/** Whether the shortcut is on: the server and the first render say on. */
export function useSlashShortcutOn(): boolean {
  return useSyncExternalStore(subscribeSlashShortcut, slashShortcutOn, () => true);
}

/** This tab's changes and, through the storage event, other tabs'. */
function subscribeSlashShortcut(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}
