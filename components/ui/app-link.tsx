'use client';

import { useRouter } from 'next/navigation';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';

/**
 * A link within the directory: a real <a href> (open in a new tab, copy the address, works
 * before scripts load) that moves to the page without a full reload on a plain click or Enter.
 * next/link does the same plus prefetching, for ~4 kB gzipped in every page's first load; the
 * directory's pages are live, rendered per request, and gain nothing from being fetched early.
 */
export function AppLink({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const router = useRouter();
  const navigate = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (!isPlainClick(event) || (props.target && props.target !== '_self') || props.download !== undefined) return;
    event.preventDefault();
    router.push(href);
  };
  return <a href={href} onClick={navigate} {...props} />;
}

/** A plain primary click (or Enter) on a link: anything else is the browser's (new tab, new window, download). */
export function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
