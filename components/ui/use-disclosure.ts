'use client';

import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';

/**
 * A disclosure (a button that shows a list of links, not an ARIA menu): Escape closes it and gives
 * focus back to the button; a click elsewhere or focus moving away closes it too. Spread `rootProps`
 * on the element that holds both the button (`buttonRef`) and the list.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const rootProps = {
    ref: rootRef,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !open) return;
      event.stopPropagation();
      close();
    },
    onBlur: (event: FocusEvent) => {
      // Focus moved to something else on the page (Tab past the last link): close. A null target
      // (a click on nothing focusable) is left to the pointer handler.
      if (event.relatedTarget && !rootRef.current?.contains(event.relatedTarget as Node)) setOpen(false);
    },
  };

  return { open, toggle: () => setOpen((v) => !v), close, buttonRef, rootProps };
}
