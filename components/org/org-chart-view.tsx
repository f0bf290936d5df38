'use client';

import { useState } from 'react';
import { AppLink } from '@/components/ui/app-link';
import { FindPerson } from '@/components/org/find-person';
import { OrgTree } from '@/components/org/org-tree';
import { usePresenceShown } from '@/components/presence/live-presence';
import type { OrgChartPage } from '@/lib/directory/domain/org-chart-types';
import { peopleCount } from '@/components/ui/people-count';

/** /org: what the chart is drawn from, a word when a link's person is not in it, and the tree. */
export function OrgChartView({ chart }: { chart: OrgChartPage }) {
  const showPresence = usePresenceShown(chart.freshness);
  // The person last chosen in "Find a person", and how many choices there have been: the chart
  // opened at them takes the focus, on them. Choosing the person it is already opened at opens it
  // anew (the address, and so the chart the server sends, is the same: only the count moves).
  const [chosen, setChosen] = useState<{ id: number; count: number } | null>(null);
  const choose = (id: number) => setChosen((last) => ({ id, count: (last?.count ?? 0) + 1 }));
  const focusId = chart.focus?.id ?? null;
  const chosenHere = chosen !== null && chosen.id === focusId;
  const top = chart.levels[0]?.total ?? 0;
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-2xl font-semibold">Org chart</h1>
        {chart.managerField ? (
          <p className="text-sm text-ink-muted">
            Who reports to whom, from the “{chart.managerField}” field of Zulip profiles: {peopleCount(chart.people)},{' '}
            {top.toLocaleString('en-US')} at the top. Arrow keys move through the chart; Enter opens a profile.
          </p>
        ) : null}
      </div>
      {chart.focus && !chart.focus.found && (
        <p role="alert" className="rounded-md border border-warn bg-warn-surface px-3 py-2 text-sm text-warn">
          No one with the id {chart.focus.id} is in the org chart: they may have left the organization, or the link is mistyped. Here is the chart from the top.
        </p>
      )}
      {!chart.managerField ? (
        <p className="rounded-md border border-line px-3 py-4">
          This organization’s Zulip profiles have no manager field (a person field named “Manager” or “Reports to”), so there is no reporting line to draw.{' '}
          <AppLink href="/" className="text-accent underline">
            Browse the directory
          </AppLink>{' '}
          instead.
        </p>
      ) : chart.people === 0 ? (
        <p className="rounded-md border border-line px-3 py-4">No one to show yet: the directory has not heard from Zulip.</p>
      ) : (
        <>
          <FindPerson onChosen={choose} />
          {/* A new ?focus= is a new starting point (what was open before is remembered: tree-state.ts). */}
          <OrgTree key={chosenHere ? `${focusId}:${chosen.count}` : (focusId ?? 'top')} view={chart} showPresence={showPresence} takeFocus={chosenHere} />
        </>
      )}
    </div>
  );
}
