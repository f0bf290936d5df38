'use client';

import { useEffect, type RefObject } from 'react';
import { useSlashShortcutOn } from '@/components/ui/slash-shortcut';

/**
 * "/" anywhere but in a field puts the keyboard in `input` (the convention of GitHub, Gmail,
 * Linear), unless the viewer turned it off (components/ui/slash-shortcut.ts). Returns whether it
 * is on, for the box's hint; the server and the first render assume on.
 */
export function useSlashFocus(input: RefObject<HTMLInputElement | null>): boolean {
  const on = useSlashShortcutOn();
  useEffect(() => {
    if (!on) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [input, on]);
  return on;
}
