'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { OrgRow, rowKey } from '@/components/org/org-row';
import { useIsActive, useTree } from '@/components/org/tree-state';
import { orgLevelQueryOptions } from '@/lib/directory/client/queries';
import { ORG_PAGE_SIZE, type OrgNode } from '@/lib/directory/domain/org-chart-types';

/**
 * One level of the chart: the top (`parent` null, rendered straight into the tree) or someone's
 * reports (a group under their row). Its pages come from the page's server render when it opened
 * this level, else from GET /api/org when the level is opened; a long level loads a page at a
 * time with "Show more" (and "Show earlier" when it was opened in the middle, on the way to `?focus=`).
 */
export function OrgGroup({ parent, level, parentName }: { parent: number | null; level: number; parentName?: string }) {
  const { seeds, revision, focusKey, announce } = useTree();
  const seed = seeds.get(parent === null ? 'top' : String(parent));
  const query = useInfiniteQuery({
    ...orgLevelQueryOptions(parent, seed?.offset ?? 0, revision),
    initialData: seed ? { pages: [seed], pageParams: [seed.offset] } : undefined,
  });

  const pages = query.data?.pages ?? [];
  const total = pages.at(-1)?.total ?? 0;
  const rows: Array<{ node: OrgNode; position: number }> = [];
  const seen = new Set<string>();
  for (const page of pages) {
    page.items.forEach((node, i) => {
      const key = rowKey(node, parent);
      if (seen.has(key)) return;
      seen.add(key);
      rows.push({ node, position: page.offset + i + 1 });
    });
  }

  const whose = parentName ? `the reports of ${parentName}` : 'the top of the chart';
  // A page that failed leaves the focus on "Show more" (its rows are the old ones) and says so.
  const showMore = async (direction: 'next' | 'previous') => {
    const result = direction === 'next' ? await query.fetchNextPage() : await query.fetchPreviousPage();
    if (result.isError) return announce(`Could not load more of ${whose}: ${result.error.message}`);
    const loaded = direction === 'next' ? result.data?.pages.at(-1)?.items[0] : result.data?.pages[0]?.items.at(-1);
    if (loaded) focusKey(rowKey(loaded, parent));
  };
  // A level that opened and could not load is said, not only shown under a row that says "expanded".
  const levelFailed = query.isError && rows.length === 0;
  const failure = levelFailed ? `Could not load ${whose}: ${query.error.message}` : null;
  useEffect(() => {
    if (failure) announce(failure);
  }, [failure, query.errorUpdatedAt, announce]);
  // "Try again" goes while the level loads again: the focus waits on the row the level is under,
  // then goes on to the first report if it came (if not, the failure is said again).
  const tryAgain = async (button: HTMLElement) => {
    const row = button.closest('[role="group"]')?.closest<HTMLElement>('[role="treeitem"]');
    if (row?.dataset.key) focusKey(row.dataset.key);
    const result = await query.refetch();
    const first = result.data?.pages[0]?.items[0];
    if (!result.isError && first) focusKey(rowKey(first, parent));
  };

  const content = (
    <>
      {query.hasPreviousPage && (
        <MoreRow parent={parent} level={level} kind="earlier" busy={query.isFetchingPreviousPage} failed={query.isFetchPreviousPageError} onActivate={() => void showMore('previous')}>
          Show earlier people ({rows[0] ? (rows[0].position - 1).toLocaleString('en-US') : ''} more)
        </MoreRow>
      )}
      {rows.map(({ node, position }) => (
        <OrgRow key={rowKey(node, parent)} node={node} parent={parent} level={level} position={position} setSize={total} first={parent === null && position === 1} />
      ))}
      {query.hasNextPage && (
        <MoreRow parent={parent} level={level} kind="more" busy={query.isFetchingNextPage} failed={query.isFetchNextPageError} onActivate={() => void showMore('next')}>
          Show {Math.min(ORG_PAGE_SIZE, total - (rows.at(-1)?.position ?? 0)).toLocaleString('en-US')} more of {total.toLocaleString('en-US')}
        </MoreRow>
      )}
    </>
  );
  if (parent === null) return content;
  return (
    <ul role="group" className="ml-4 border-l border-line pl-1 sm:ml-6 sm:pl-3">
      {query.isPending ? (
        <li role="none" className="px-2 py-1.5 text-sm text-ink-muted">
          Loading…
        </li>
      ) : levelFailed ? (
        <li role="none" className="flex flex-wrap items-center gap-2 px-2 py-1.5 text-sm">
          <span>Could not load these reports: {query.error.message}</span>
          <button type="button" onClick={(event) => void tryAgain(event.currentTarget)} className="rounded border border-line px-2 py-0.5 hover:bg-surface-sunken focus-visible:outline-2 focus-visible:outline-accent">
            Try again
          </button>
        </li>
      ) : (
        content
      )}
    </ul>
  );
}

/** "Show more" at the end of a long level (or "Show earlier" at its start): a row of the tree, so the arrow keys reach it. */
function MoreRow({
  parent,
  level,
  kind,
  busy,
  failed,
  onActivate,
  children,
}: {
  parent: number | null;
  level: number;
  kind: 'more' | 'earlier';
  busy: boolean;
  /** The last try failed: the row says so, and activating it tries again. */
  failed: boolean;
  onActivate: () => void;
  children: React.ReactNode;
}) {
  const key = `${kind}-${parent ?? 'top'}`;
  const active = useIsActive(key, false);
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-busy={busy || undefined}
      // Never the selection, so left off (ARIA 1.2 does not require it; the lint rule follows 1.1).
      aria-selected={undefined}
      tabIndex={active ? 0 : -1}
      data-key={key}
      data-action={kind}
      onClick={onActivate}
      className="cursor-pointer outline-none [&:focus-visible>span]:outline-2 [&:focus-visible>span]:outline-accent"
    >
      <span className="inline-block rounded-md px-2 py-1.5 text-sm font-medium text-accent underline hover:bg-surface-sunken">{busy ? 'Loading…' : children}</span>
      {failed && !busy && <span className="ml-1 text-sm text-warn">(could not load them: try again)</span>}
    </li>
  );
}
