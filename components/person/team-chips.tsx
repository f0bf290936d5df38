'use client';

import { AppLink } from '@/components/ui/app-link';
import type { TeamSummary } from '@/lib/directory/domain/teams-types';

const chip =
  'inline-flex items-center rounded-full border border-line bg-surface-raised px-3 py-1 text-sm hover:bg-surface-sunken hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent';

/** A person's teams (Zulip user groups, subgroups included) as chips, each opening the team's page. */
export function TeamChips({ teams }: { teams: TeamSummary[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-2">
      {teams.map((team) => (
        <li key={team.id}>
          <AppLink href={`/groups/${team.id}`} className={chip}>
            {team.name}
          </AppLink>
        </li>
      ))}
    </ul>
  );
}
