'use client';

import type { PeoplePage, PeopleQuery, PresenceFilter, SortOrder } from '@/lib/directory/types';

const selectClass =
  'rounded-md border border-line bg-surface-raised px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-accent max-w-[16rem]';

/** Department, office, presence and sort: compact selects that write into the URL. */
export function Filters({
  query,
  facets,
  showPresence,
  onChange,
}: {
  query: PeopleQuery;
  facets: PeoplePage['facets'];
  showPresence: boolean;
  onChange: (changes: Partial<PeopleQuery>) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor="filter-department">
        Department
      </label>
      <select id="filter-department" className={selectClass} value={query.department ?? ''} onChange={(e) => onChange({ department: e.target.value || null })}>
        <option value="">All departments</option>
        {facets.departments.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-office">
        Office
      </label>
      <select id="filter-office" className={selectClass} value={query.office ?? ''} onChange={(e) => onChange({ office: e.target.value || null })}>
        <option value="">All offices</option>
        {facets.offices.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {showPresence && (
        <>
          <label className="sr-only" htmlFor="filter-status">
            Presence
          </label>
          <select id="filter-status" className={selectClass} value={query.status} onChange={(e) => onChange({ status: e.target.value as PresenceFilter })}>
            <option value="any">Anyone</option>
            <option value="reachable">Reachable now</option>
            <option value="active">Active now</option>
          </select>
        </>
      )}
      <label className="ml-auto flex items-center gap-2 text-sm text-ink-muted" htmlFor="sort-order">
        Sort
        <select id="sort-order" className={selectClass} value={showPresence ? query.sort : 'name'} onChange={(e) => onChange({ sort: e.target.value as SortOrder })}>
          {showPresence && <option value="reachable">Reachable first</option>}
          <option value="name">Name</option>
        </select>
      </label>
    </div>
  );
}
