'use client';

/** "1–50 of 312" with previous/next; the list never silently stops at a page. */
export function Pager({ total, offset, limit, onPage }: { total: number; offset: number; limit: number; onPage: (offset: number) => void }) {
  // A page at or past the end (no one in the view, or a link to a page it no longer has): what
  // is shown instead says so, not "0–0 of 0".
  if (offset >= total || (total <= limit && offset === 0)) return null;
  const first = Math.min(total, offset + 1);
  const last = Math.min(total, offset + limit);
  const button = 'min-h-11 rounded-md border border-line px-4 text-sm hover:bg-surface-sunken disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-accent';
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
      <button type="button" className={button} disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span className="text-ink-muted">
        {first.toLocaleString('en-US')}–{last.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
      </span>
      <button type="button" className={button} disabled={last >= total} onClick={() => onPage(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
