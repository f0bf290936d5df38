'use client';

import { AppLink } from '@/components/ui/app-link';
import { lazy, memo, Suspense, useId, useRef, useState } from 'react';
import { Avatar } from '@/components/ui/avatar';
import { Highlight } from '@/components/ui/highlight';
import { LocalTime } from '@/components/ui/local-time';
import { PresenceBadge } from '@/components/presence/presence-badge';
import { usePersonPresence } from '@/components/presence/live-presence';
import { AvailabilityLine, useAvailability } from '@/components/person/availability-line';
import { NewMark } from '@/components/person/new-mark';
import type { ListedRow as Row } from '@/lib/directory/domain/person-row';

// Loaded when a row is first expanded: most visits never open one, so it stays out of the page's first load.
const BreakdownPanel = lazy(() => import('@/components/presence/breakdown-panel').then((m) => ({ default: m.BreakdownPanel })));

/**
 * One person in the list: who they are, where, their local time and whether they're reachable.
 * The whole row opens the profile: the name is the one link (one stop per person for the
 * keyboard and screen readers, named by the name alone), stretched over the row by its
 * `::after`; the "Devices" button sits above it and opens the breakdown below the row.
 * Memoized: typing in the search box and presence changes for other people do not re-render it.
 * The list keys rows by position (new results update rows in place rather than replacing 50 of
 * them), so an open breakdown is tied to the person it was opened for: it closes when the row
 * shows someone else (and the picture is its own element per person: see Avatar).
 */
export const PersonRow = memo(function PersonRow({ person, query, showPresence }: { person: Row; query: string; showPresence: boolean }) {
  const presence = usePersonPresence(person.id, person.presence);
  const { availability, nowMs, dot } = useAvailability(person, presence);
  const [openFor, setOpenFor] = useState<number | null>(null);
  // The row now shows someone else: their breakdown starts closed (and stays so if the first comes back).
  if (openFor !== null && openFor !== person.id) setOpenFor(null);
  const open = openFor === person.id;
  const setOpen = (next: boolean) => setOpenFor(next ? person.id : null);
  const panelId = useId();
  const devices = useRef<HTMLButtonElement>(null);
  const detail = [person.title, person.department, person.office].filter(Boolean).join(' · ');
  return (
    // content-visibility: rows below the fold are not laid out or painted until scrolled to.
    <li className="border-b border-line [content-visibility:auto] [contain-intrinsic-size:auto_4rem]" data-person-id={person.id}>
      {/* On a phone: picture, name and the Devices button on top; the badge below, then the local time. */}
      <div className="relative flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 hover:bg-surface-sunken sm:flex-nowrap">
        <span className="max-sm:order-1">
          <Avatar name={person.name} url={person.avatarUrl} userId={person.id} presence={showPresence ? dot : null} whenStill />
        </span>
        <div className="min-w-0 flex-1 max-sm:order-2">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <AppLink
              href={`/people/${person.id}`}
              data-row-link
              className="min-w-0 font-semibold wrap-anywhere outline-none after:absolute after:inset-0 after:content-[''] hover:underline focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-accent"
            >
              <Highlight text={person.name} query={query} />
            </AppLink>
            {person.pronouns && <span className="min-w-0 text-sm text-ink-muted wrap-anywhere">({person.pronouns})</span>}
            <NewMark dateJoined={person.dateJoined} nowMs={nowMs} />
          </div>
          {detail && (
            <div className="truncate text-sm text-ink-muted">
              <Highlight text={detail} query={query} />
            </div>
          )}
          <AvailabilityLine person={person} availability={availability} nowMs={nowMs} className="truncate text-sm" />
        </div>
        <span aria-hidden="true" className="hidden basis-full max-sm:order-4 max-sm:block" />
        {/* On a phone, a line of its own, under the badge: the server renders it empty (the viewer's
            time zone is the browser's), and filled in beside the badge it would push the row a line
            taller once the page is live (a layout shift on every such row). */}
        <LocalTime
          timeZone={person.timezone}
          stacked
          className="h-5 shrink-0 text-sm text-ink-muted tabular-nums max-sm:order-6 max-sm:basis-full max-sm:truncate max-sm:pl-[52px] sm:h-10 sm:w-36"
        />
        {showPresence && <PresenceBadge presence={presence} className="shrink-0 max-sm:order-5 max-sm:ml-[52px] sm:w-52" />}
        {showPresence && (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen(!open)}
            ref={devices}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && open) setOpen(false);
            }}
            // Above the row's link; 44 px high, as a finger needs.
            className="relative z-10 inline-flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-md border border-line bg-surface px-2 text-sm text-ink-muted hover:bg-surface-raised hover:text-ink focus-visible:outline-2 focus-visible:outline-accent max-sm:order-3"
          >
            Devices<span className="sr-only"> of {person.name}</span>
            <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" className={`transition-transform ${open ? 'rotate-180' : ''}`}>
              <path d="M1.5 3 L5 7 L8.5 3" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          </button>
        )}
      </div>
      {open && (
        // Escape inside the breakdown (its "Try again") closes it too, and gives the focus back to "Devices".
        <div
          className="px-3 pb-3 sm:pl-[64px]"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            setOpen(false);
            devices.current?.focus();
          }}
        >
          <Suspense fallback={<p id={panelId} className="min-h-16 rounded-md border border-line bg-surface-raised px-3 py-2 text-sm text-ink-muted">Loading presence from Zulip…</p>}>
            <BreakdownPanel personId={person.id} rendered={person.presence} id={panelId} />
          </Suspense>
        </div>
      )}
    </li>
  );
});
