'use client';

import { isPlainClick } from '@/components/ui/app-link';

/**
 * "1–50 of 312" with previous/next; the list never silently stops at a page. Previous and Next
 * are links to their page's address (they page without JavaScript too); a plain click pages in
 * the view. The one that goes nowhere is a disabled button, read as unavailable.
 */
export function Pager({ total, offset, limit, hrefFor, onPage }: {
  total: number;
  offset: number;
  limit: number;
  hrefFor: (offset: number) => string;
  onPage: (offset: number) => void;
}) {
  // A page at or past the end (no one in the view, or a link to a page it no longer has): what
  // is shown instead says so, not "0–0 of 0".
  if (offset >= total || (total <= limit && offset === 0)) return null;
  const first = Math.min(total, offset + 1);
  const last = Math.min(total, offset + limit);
  const button = 'inline-flex min-h-11 items-center rounded-md border border-line px-4 text-sm hover:bg-surface-sunken disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-accent';
  const step = (label: string, to: number | null) =>
    to === null ? (
      <button type="button" className={button} disabled>
        {label}
      </button>
    ) : (
      <a
        href={hrefFor(to)}
        className={button}
        onClick={(event) => {
          if (!isPlainClick(event)) return;
          event.preventDefault();
          onPage(to);
        }}
      >
        {label}
      </a>
    );
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
      {step('Previous', offset === 0 ? null : Math.max(0, offset - limit))}
      <span className="text-ink-muted">
        {first.toLocaleString('en-US')}–{last.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
      </span>
      {step('Next', last >= total ? null : offset + limit)}
    </nav>
  );
}
