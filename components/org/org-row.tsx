'use client';

import { memo, useId } from 'react';
import { AppLink } from '@/components/ui/app-link';
import { Avatar } from '@/components/ui/avatar';
import { PresenceBadge } from '@/components/presence/presence-badge';
import { usePersonPresence } from '@/components/presence/live-presence';
import { useIsActive, useIsOpen, useTree } from '@/components/org/tree-state';
import type { OrgNode } from '@/lib/directory/domain/org-chart-types';

/** The tab stop key of a row: a person once, and a cycle's repeat under the row that closes it. */
export function rowKey(node: OrgNode, parent: number | null): string {
  return node.repeat ? `r-${parent}-${node.id}` : `p-${node.id}`;
}

/**
 * One person in the org chart, as the directory shows a person: picture with its presence dot,
 * name, title and live badge, and the disclosure with the count of reports. Keys, clicks and
 * focus are handled once for the whole tree (org-tree.tsx), which reads the `data-*` attributes here.
 */
export const OrgRow = memo(function OrgRow({
  node,
  parent,
  level,
  position,
  setSize,
  first,
}: {
  node: OrgNode;
  parent: number | null;
  level: number;
  /** 1-based place among the level's rows (all pages). */
  position: number;
  setSize: number;
  first: boolean;
}) {
  const { showPresence, highlighted, Group } = useTree();
  const key = rowKey(node, parent);
  const expandable = node.reports > 0;
  const open = useIsOpen(node.id) && expandable;
  const active = useIsActive(key, first);
  const presence = usePersonPresence(node.id, node.presence);
  const labelId = useId();
  const badgeId = `${labelId}-badge`;
  const countId = `${labelId}-count`;
  const marked = node.id === highlighted && !node.repeat;
  const href = node.left ? undefined : `/people/${node.id}`;
  const total = node.below > node.reports;
  return (
    <li
      role="treeitem"
      // Named by who they are (name, title, "also reports to"); the badge and the count describe
      // them: a name that held the badge would change as its age ticks, and be read again.
      aria-labelledby={labelId}
      aria-describedby={[showPresence && !node.left ? badgeId : null, expandable ? countId : null].filter(Boolean).join(' ') || undefined}
      aria-level={level}
      aria-posinset={position}
      aria-setsize={setSize}
      aria-expanded={expandable ? open : undefined}
      // Single selection: only the highlighted row says so (WAI-ARIA tree pattern).
      aria-selected={marked ? true : undefined}
      tabIndex={active ? 0 : -1}
      data-key={key}
      data-id={node.id}
      data-name={node.name}
      data-href={href}
      data-expandable={expandable ? '' : undefined}
      className="outline-none [&:focus-visible>div]:outline-2 [&:focus-visible>div]:-outline-offset-2 [&:focus-visible>div]:outline-accent"
    >
      <div
        data-row
        // A grid, so badges and counts line up from row to row; on a phone the badge goes under the name.
        // The count's column holds "12 reports · 19,999 in total" on one line on a wide screen; on a
        // narrower one the count wraps inside its column rather than run into the badge or squeeze the name.
        className={`grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-0.5 rounded-md px-2 py-1.5 hover:bg-surface-sunken sm:grid-cols-[auto_minmax(0,1fr)_13rem_9rem] lg:grid-cols-[auto_minmax(0,1fr)_13rem_14rem] ${
          marked ? 'bg-surface-sunken ring-2 ring-accent' : ''
        }`}
      >
        {/* Someone who left: in grey, as their name is muted (not faded: the initials keep their contrast). */}
        <span className={`row-span-2 sm:row-span-1 ${node.left ? 'grayscale' : ''}`}>
          <Avatar name={node.name} url={node.avatarUrl} userId={node.id} size={32} presence={showPresence && !node.left ? (presence?.state ?? 'offline') : null} />
        </span>
        <div id={labelId} className="col-start-2 min-w-0">
          <div className="flex flex-wrap items-baseline gap-x-2">
            {href ? (
              <AppLink href={href} tabIndex={-1} className={`min-w-0 wrap-anywhere hover:underline ${marked ? 'font-bold' : 'font-semibold'}`}>
                {node.name}
              </AppLink>
            ) : (
              <span className="min-w-0 font-semibold text-ink-muted wrap-anywhere">{node.name}</span>
            )}
            {node.left && <span className="text-sm text-ink-muted">(left)</span>}
            {node.repeat && <span className="text-sm text-ink-muted">(also above)</span>}
          </div>
          {node.title && <div className="truncate text-sm text-ink-muted">{node.title}</div>}
          {node.alsoReportsTo.length > 0 && (
            <div className="text-sm text-ink-muted">
              also reports to{' '}
              {node.alsoReportsTo.map((other, i) => (
                <span key={other.id}>
                  {i > 0 && ', '}
                  {other.left ? (
                    <>{other.name} (left)</>
                  ) : (
                    <AppLink href={`/people/${other.id}`} tabIndex={-1} className="underline">
                      {other.name}
                    </AppLink>
                  )}
                </span>
              ))}
            </div>
          )}
        </div>
        {showPresence && !node.left && <PresenceBadge id={badgeId} presence={presence} className="col-start-2 row-start-2 sm:col-start-3 sm:row-start-1" />}
        {expandable && (
          // The disclosure for the eye: a click anywhere on the row opens and closes it (org-tree.tsx),
          // the keyboard does with Right and Left.
          <span
            id={countId}
            data-toggle={node.id}
            className="col-start-3 row-start-1 inline-flex cursor-pointer items-center gap-1 justify-self-end max-w-32 rounded-2xl border border-line px-2 py-0.5 text-right text-sm tabular-nums hover:bg-surface-raised sm:col-start-4 sm:max-w-none"
          >
            <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" className={`shrink-0 transition-transform ${open ? 'rotate-90' : ''}`}>
              <path d="M3 1.5 L7 5 L3 8.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
            {/* Inline text in one span: in the flex box itself a lone space between two would be
                dropped ("10reports"). Each half keeps its words together when the count wraps. */}
            <span>
              <span className="whitespace-nowrap">{`${node.reports.toLocaleString('en-US')} ${node.reports === 1 ? 'report' : 'reports'}${total ? ' ·' : ''}`}</span>
              {total && (
                <>
                  {' '}
                  <span className="whitespace-nowrap">{`${node.below.toLocaleString('en-US')} in total`}</span>
                </>
              )}
            </span>
          </span>
        )}
      </div>
      {open && <Group parent={node.id} level={level + 1} parentName={node.name} />}
    </li>
  );
});
