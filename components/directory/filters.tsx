'use client';

import type { ReactNode } from 'react';
import type { PeoplePage, PeopleQuery, PresenceFilter, SortOrder } from '@/lib/directory/domain/types';

const selectClass =
  'min-h-11 w-full rounded-md border border-line bg-surface-raised px-2 py-1.5 text-sm text-ink focus-visible:outline-2 focus-visible:outline-accent sm:min-h-0 sm:w-auto sm:max-w-[16rem]';

/** A select with its name in sight above it ("Presence", not a bare "Anyone"). */
function FilterSelect({ id, name, label, value, onChange, children, className = '' }: {
  id: string;
  /** The address's parameter, for the form sent without JavaScript. */
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`flex flex-col gap-0.5 ${className}`}>
      <label className="text-xs font-medium text-ink-muted" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} className={selectClass} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/**
 * A filter's value that no one has now (a link to a department renamed or emptied since): an
 * option of its own, or the select would show "All …" while the filter is on, and choosing "All"
 * would change nothing.
 */
const unlisted = (value: string | null | undefined, listed: readonly string[]) =>
  value && !listed.includes(value) ? <option value={value}>{value} (no one now)</option> : null;

const options = (values: string[]) =>
  values.map((v) => (
    <option key={v} value={v}>
      {v}
    </option>
  ));

export const PRESENCE_WORDS: Record<Exclude<PresenceFilter, 'any'>, string> = { reachable: 'Reachable now', active: 'Active now', out: 'Out' };

/** The filters a view has on, by name and value, with what removing each changes. */
export function activeFilters(query: PeopleQuery, teams: PeoplePage['facets']['teams'], showTeams: boolean): Array<{ name: string; value: string; clear: Partial<PeopleQuery> }> {
  return [
    query.department ? { name: 'Department', value: query.department, clear: { department: null } } : null,
    query.office ? { name: 'Office', value: query.office, clear: { office: null } } : null,
    showTeams && query.team ? { name: 'Team', value: teams.find((t) => t.id === query.team)?.name ?? 'Unknown team', clear: { team: null } } : null,
    query.status !== 'any' ? { name: 'Presence', value: PRESENCE_WORDS[query.status], clear: { status: 'any' as const } } : null,
  ].filter((f) => f !== null);
}

/**
 * On a phone the filters fold behind this one button, which counts those that are on; from
 * `sm` up it is hidden and the filters are always in sight.
 */
export function FiltersToggle({ count, open, controls, onToggle }: { count: number; open: boolean; controls: string; onToggle: () => void }) {
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      // Without scripts it cannot unfold anything: the filters are unfolded instead (Filters).
      className="noscript:hidden inline-flex min-h-11 items-center gap-1 rounded-md border border-line px-3 text-sm font-medium hover:bg-surface-sunken focus-visible:outline-2 focus-visible:outline-accent sm:hidden"
    >
      Filters ({count})
      <svg aria-hidden="true" viewBox="0 0 12 12" className={`h-3 w-3 ${open ? 'rotate-180' : ''}`}>
        <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
    </button>
  );
}

/** The filters that are on, each a chip that removes it (on a phone, where the selects are folded away). */
export function FilterChips({ filters, onChange }: { filters: ReturnType<typeof activeFilters>; onChange: (changes: Partial<PeopleQuery>) => void }) {
  if (filters.length === 0) return null;
  return (
    <ul aria-label="Filters on" className="flex flex-wrap gap-2 noscript:hidden sm:hidden">
      {filters.map((f) => (
        <li key={f.name}>
          <button
            type="button"
            aria-label={`Remove filter ${f.name}: ${f.value}`}
            onClick={() => onChange(f.clear)}
            className="inline-flex min-h-11 max-w-full items-center gap-2 rounded-full border border-line bg-surface-raised px-3 text-sm focus-visible:outline-2 focus-visible:outline-accent"
          >
            <span className="truncate">
              <span className="text-ink-muted">{f.name}:</span> {f.value}
            </span>
            <span aria-hidden="true">✕</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Department, office, team, presence and sort: labelled selects that write into the URL (or, without JavaScript, are sent with the search's form). */
export function Filters({
  id,
  open,
  query,
  facets,
  showPresence,
  showTeams = true,
  onChange,
}: {
  id: string;
  /** Unfolded on a phone (always shown from `sm` up). */
  open: boolean;
  query: PeopleQuery;
  facets: PeoplePage['facets'];
  showPresence: boolean;
  /** False on a team's own page, which is that team already. */
  showTeams?: boolean;
  onChange: (changes: Partial<PeopleQuery>) => void;
}) {
  return (
    // Without scripts (`noscript`: the scripting media feature), unfolded on a phone: its button cannot work.
    <div id={id} className={`${open ? 'grid' : 'hidden'} grid-cols-1 gap-2 max-sm:noscript:grid sm:flex sm:flex-wrap sm:items-end sm:gap-3`}>
      <FilterSelect id="filter-department" name="department" label="Department" value={query.department ?? ''} onChange={(v) => onChange({ department: v || null })}>
        <option value="">All departments</option>
        {unlisted(query.department, facets.departments)}
        {options(facets.departments)}
      </FilterSelect>
      <FilterSelect id="filter-office" name="office" label="Office" value={query.office ?? ''} onChange={(v) => onChange({ office: v || null })}>
        <option value="">All offices</option>
        {unlisted(query.office, facets.offices)}
        {options(facets.offices)}
      </FilterSelect>
      {showTeams && (facets.teams.length > 0 || query.team) && (
        <FilterSelect id="filter-team" name="team" label="Team" value={query.team ? String(query.team) : ''} onChange={(v) => onChange({ team: v ? Number(v) : null })}>
          <option value="">All teams</option>
          {query.team && !facets.teams.some((t) => t.id === query.team) && <option value={String(query.team)}>Unknown team</option>}
          {facets.teams.map((t) => (
            <option key={t.id} value={String(t.id)}>
              {t.name}
            </option>
          ))}
        </FilterSelect>
      )}
      {/* With presence off, still there while a link's status filter is on: it is how to clear it. */}
      {(showPresence || query.status !== 'any') && (
        <FilterSelect id="filter-status" name="status" label="Presence" value={query.status} onChange={(v) => onChange({ status: v as PresenceFilter })}>
          <option value="any">Anyone</option>
          <option value="reachable">{PRESENCE_WORDS.reachable}</option>
          <option value="active">{PRESENCE_WORDS.active}</option>
          <option value="out">{PRESENCE_WORDS.out}</option>
        </FilterSelect>
      )}
      <FilterSelect id="sort-order" name="sort" label="Sort" value={query.sort} onChange={(v) => onChange({ sort: v as SortOrder })} className="sm:ml-auto">
        {/* With presence off, no one is reachable by it: the same order puts those who are out last. */}
        <option value="reachable">{showPresence ? 'Reachable first' : 'Out last'}</option>
        <option value="name">Name</option>
        <option value="joined">Newest first</option>
      </FilterSelect>
      {/* Without JavaScript a choice applies when the form is sent (with JavaScript, at once). */}
      <noscript>
        <button type="submit" className="min-h-11 rounded-md border border-line px-3 text-sm">
          Apply
        </button>
      </noscript>
    </div>
  );
}
