'use client';

import { AppLink } from '@/components/ui/app-link';
import { PersonChip } from '@/components/person/person-chip';
import type { PeopleList } from '@/lib/directory/domain/service-types';

/** A profile's list of people (direct reports, peers) with its count; nothing when empty. A long list says where the rest are. */
export function PeopleSection({ id, heading, list, showPresence, chartHref }: {
  id: string;
  heading: string;
  list: PeopleList;
  showPresence: boolean;
  /** Where the org chart shows the whole list. */
  chartHref: string;
}) {
  if (list.total === 0) return null;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="font-semibold">
        {heading} ({list.total.toLocaleString('en-US')})
      </h2>
      <ul className="divide-y divide-line">
        {list.items.map((p) => (
          <PersonChip key={p.id} person={p} showPresence={showPresence} />
        ))}
      </ul>
      {list.items.length < list.total && (
        <p className="mt-1 text-sm text-ink-muted">
          The first {list.items.length.toLocaleString('en-US')} by name.{' '}
          <AppLink href={chartHref} className="text-accent underline hover:no-underline">
            All of them in the org chart
          </AppLink>
        </p>
      )}
    </section>
  );
}
