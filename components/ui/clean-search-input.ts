'use client';

import { searchTyped } from '@/lib/directory/query/people-query-url';

/**
 * What a search box holds after an edit, control characters (a pasted tab or line break) made
 * spaces. The box is changed in place, caret kept: handed a value other than its own, React would
 * rewrite it and put the caret at the end, where the next keystroke would land.
 */
export function cleanSearchInput(input: HTMLInputElement): string {
  const clean = searchTyped(input.value);
  if (clean !== input.value) {
    const { selectionStart, selectionEnd } = input;
    input.value = clean;
    input.setSelectionRange(selectionStart, selectionEnd);
  }
  return clean;
}
