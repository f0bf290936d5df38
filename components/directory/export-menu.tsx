'use client';

import { useId } from 'react';
import { useDisclosure } from '@/components/ui/use-disclosure';
import { PAGE_SIZE, peopleQueryToSearch } from '@/lib/directory/query/people-query-url';
import type { PeopleQuery } from '@/lib/directory/domain/types';

/**
 * "Export" beside the result count: a disclosure (a button that shows two links), not an ARIA
 * menu, so Tab and Enter work as on any link and a screen reader reads them as links. Escape
 * closes it and gives focus back to the button; so do a click and focus elsewhere. The links
 * carry the view's filters, search and order, not its page: a file has everyone the view matches.
 */
export function ExportMenu({ query, total, pending }: { query: PeopleQuery; total: number; pending: boolean }) {
  const { open, toggle, close, buttonRef, rootProps } = useDisclosure();
  const listId = useId();

  if (total === 0) return null;
  const search = peopleQueryToSearch({ ...query, offset: 0, limit: PAGE_SIZE });
  // While the next results load, the count shown may be the previous view's: the links say no number.
  const these = pending ? 'these people' : total === 1 ? 'this 1 person' : `these ${total.toLocaleString('en-US')} people`;
  const item =
    'block rounded px-3 py-2 text-sm whitespace-nowrap hover:bg-surface-sunken focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent';

  return (
    <div {...rootProps} className="relative ml-auto shrink-0">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={toggle}
        className="inline-flex min-h-11 items-center gap-1 rounded-md px-2 py-1 text-sm text-ink-muted sm:min-h-0 hover:bg-surface-sunken hover:text-ink focus-visible:outline-2 focus-visible:outline-accent"
      >
        Export
        <svg aria-hidden="true" viewBox="0 0 12 12" className={`h-3 w-3 ${open ? 'rotate-180' : ''}`}>
          <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </button>
      <ul id={listId} hidden={!open} className="absolute right-0 z-20 mt-1 min-w-max rounded-md border border-line bg-surface-raised p-1 shadow-lg">
        <li>
          <a href={`/export/people.csv${search}`} download className={item} onClick={close}>
            CSV of {these}
          </a>
        </li>
        <li>
          <a href={`/export/people.vcf${search}`} download className={item} onClick={close}>
            vCards of {these}
          </a>
        </li>
      </ul>
    </div>
  );
}
