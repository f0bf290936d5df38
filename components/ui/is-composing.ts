import type { KeyboardEvent } from 'react';

/**
 * A key pressed while an input method composes text (Japanese, Chinese, Korean…): its Enter,
 * Escape and arrows belong to the composition, not to the page. Safari ends the composition
 * before the keydown of the Enter that confirms it; that keydown still has keyCode 229.
 */
export function isComposing(event: KeyboardEvent): boolean {
  // keyCode is deprecated, and the only sign Safari gives.
  return event.nativeEvent.isComposing || event.keyCode === 229;
}
