'use client';

import type { ReactNode } from 'react';
import type { PeoplePage, PeopleQuery, PresenceFilter, SortOrder } from '@/lib/directory/types';

const selectClass =
  'rounded-md border border-line bg-surface-raised px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-accent max-w-[16rem]';

function FilterSelect({ id, label, value, onChange, children }: { id: string; label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <select id={id} className={selectClass} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </>
  );
}

const options = (values: string[]) =>
  values.map((v) => (
    <option key={v} value={v}>
      {v}
    </option>
  ));

/** Department, office, team, presence and sort: compact selects that write into the URL. */
export function Filters({
  query,
  facets,
  showPresence,
  showTeams = true,
  onChange,
}: {
  query: PeopleQuery;
  facets: PeoplePage['facets'];
  showPresence: boolean;
  /** False on a team's own page, which is that team already. */
  showTeams?: boolean;
  onChange: (changes: Partial<PeopleQuery>) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <FilterSelect id="filter-department" label="Department" value={query.department ?? ''} onChange={(v) => onChange({ department: v || null })}>
        <option value="">All departments</option>
        {options(facets.departments)}
      </FilterSelect>
      <FilterSelect id="filter-office" label="Office" value={query.office ?? ''} onChange={(v) => onChange({ office: v || null })}>
        <option value="">All offices</option>
        {options(facets.offices)}
      </FilterSelect>
      {showTeams && (facets.teams.length > 0 || query.team) && (
        <FilterSelect id="filter-team" label="Team" value={query.team ? String(query.team) : ''} onChange={(v) => onChange({ team: v ? Number(v) : null })}>
          <option value="">All teams</option>
          {query.team && !facets.teams.some((t) => t.id === query.team) && <option value={String(query.team)}>Unknown team</option>}
          {facets.teams.map((t) => (
            <option key={t.id} value={String(t.id)}>
              {t.name}
            </option>
          ))}
        </FilterSelect>
      )}
      {showPresence && (
        <FilterSelect id="filter-status" label="Presence" value={query.status} onChange={(v) => onChange({ status: v as PresenceFilter })}>
          <option value="any">Anyone</option>
          <option value="reachable">Reachable now</option>
          <option value="active">Active now</option>
        </FilterSelect>
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
