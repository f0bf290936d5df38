// A level of the org chart opened at the page a `?focus=` leads to shows that page, even when the
// tab has the level cached from its first page (an earlier visit to /org), and so does a level
// the server rendered at a later revision of the people: TanStack uses a seed only for an empty
// entry, so each starting page and revision is its own entry (lib/directory/client/queries.ts).
import { QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OrgGroup } from '@/components/org/org-group';
import { TreeContext, TreeState, type TreeContextValue } from '@/components/org/tree-state';
import { RenderClockProvider } from '@/components/presence/render-clock';
import { directoryKeys } from '@/lib/directory/client/queries';
import { makeQueryClient } from '@/lib/directory/client/query-client';
import type { OrgLevel, OrgNode } from '@/lib/directory/domain/org-chart-types';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';

/** Rows are links that navigate in the app: a router that goes nowhere, as nothing is clicked here. */
const router = { push() {}, replace() {}, refresh() {}, back() {}, forward() {}, prefetch() {} } as unknown as AppRouterInstance;

const node = (id: number, name: string): OrgNode => ({ id, name, title: null, avatarUrl: null, presence: null, reports: 0, below: 0, left: false, repeat: false, alsoReportsTo: [] });
const page = (offset: number, names: string[]): OrgLevel => ({ parent: null, offset, total: 150, items: names.map((name, i) => node(offset + i + 1, name)) });

function render(client: ReturnType<typeof makeQueryClient>, seed: OrgLevel | null, revision = 7): string {
  const tree: TreeContextValue = {
    state: new TreeState({ open: new Set(), active: null }),
    seeds: new Map(seed ? [['top', seed]] : []),
    revision,
    highlighted: null,
    showPresence: false,
    focusKey: () => {},
    announce: () => {},
    Group: OrgGroup,
  };
  return renderToString(
    <AppRouterContext.Provider value={router}>
    <QueryClientProvider client={client}>
      <RenderClockProvider zulipAheadMs={0} serverNow={Date.UTC(2026, 11, 7) / 1000} historyDays={14}>
        <TreeContext.Provider value={tree}>
          <ul role="tree">
            <OrgGroup parent={null} level={1} />
          </ul>
        </TreeContext.Provider>
      </RenderClockProvider>
    </QueryClientProvider>
    </AppRouterContext.Provider>,
  );
}

describe('a level of the org chart', () => {
  it('opened at a later page shows that page, not the first page the tab has cached', () => {
    const client = makeQueryClient();
    // An earlier visit to /org: the top level's first page.
    client.setQueryData(directoryKeys.orgLevel(null, 0, 7), { pages: [page(0, ['Ana Souza'])], pageParams: [0] });
    const html = render(client, page(100, ['Zoe Park']));
    expect(html).toContain('Zoe Park');
    expect(html).not.toContain('Ana Souza');
    expect(html).toContain('Show earlier people');
  });

  it('rendered at a later revision of the people shows the page the server sent, not the one an earlier page cached', () => {
    const client = makeQueryClient();
    // An earlier render of /org cached the top level; someone was added to it since.
    client.setQueryData(directoryKeys.orgLevel(null, 0, 7), { pages: [page(0, ['Ana Souza'])], pageParams: [0] });
    const html = render(client, page(0, ['Ana Souza', 'Bruno Lima']), 8);
    expect(html).toContain('Bruno Lima');
    // The same revision: the cached level is the same people.
    expect(render(client, page(0, ['Ana Souza', 'Bruno Lima']), 7)).not.toContain('Bruno Lima');
  });
});
