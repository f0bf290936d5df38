// @vitest-environment jsdom
// The filters' selects show the view the address holds (components/directory/filters.tsx): a
// department no one is in now, the status filter in an organization with presence off, and the
// sort order whatever presence says.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Filters } from '@/components/directory/filters';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import type { PeopleQuery } from '@/lib/directory/domain/types';

const facets = { departments: ['Design', 'Engineering'], offices: ['Berlin'], teams: [] };

function selected(query: Partial<PeopleQuery>, showPresence: boolean): Record<string, string> {
  const html = renderToString(<Filters id="f" open query={{ ...DEFAULT_PEOPLE_QUERY, ...query }} facets={facets} showPresence={showPresence} onChange={() => {}} />);
  const document = new DOMParser().parseFromString(html, 'text/html');
  return Object.fromEntries([...document.querySelectorAll('select')].map((s) => [s.id, s.options[s.selectedIndex]?.textContent ?? '']));
}

describe('the filters', () => {
  it('show the sort order the view has, with presence off too', () => {
    expect(selected({ sort: 'joined' }, false)['sort-order']).toBe('Newest first');
    expect(selected({ sort: 'reachable' }, false)['sort-order']).toBe('Out last');
    expect(selected({ sort: 'reachable' }, true)['sort-order']).toBe('Reachable first');
  });

  it('show a status filter that is on, with presence off too, so it can be cleared', () => {
    expect(selected({ status: 'out' }, false)['filter-status']).toBe('Out');
    expect(selected({}, false)['filter-status']).toBeUndefined();
  });

  it('show a department no one is in now as what it is, not as "All departments"', () => {
    expect(selected({ department: 'Deep Sea Research' }, true)['filter-department']).toBe('Deep Sea Research (no one now)');
  });
});
