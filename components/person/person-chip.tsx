'use client';

import { AppLink } from '@/components/ui/app-link';
import { Avatar } from '@/components/ui/avatar';
import { PresenceBadge } from '@/components/presence/presence-badge';
import { usePersonPresence } from '@/components/presence/live-presence';
import type { PersonLink } from '@/lib/directory/domain/service-types';

/**
 * A compact, clickable person with their live badge (direct reports, peers). Someone who has
 * left is their name, "(left)" and no link or badge, as in the org chart.
 */
export function PersonChip({ person, showPresence }: { person: PersonLink; showPresence: boolean }) {
  const presence = usePersonPresence(person.id, person.presence);
  const badge = showPresence && !person.left;
  return (
    // On a phone the badge goes under the name, as in the org chart: shown and read, never hidden.
    <li className="grid grid-cols-[auto_minmax(0,1fr)] items-center gap-x-3 gap-y-0.5 py-1.5 sm:grid-cols-[auto_minmax(0,1fr)_auto]">
      <span className={`row-span-2 sm:row-span-1 ${person.left ? 'grayscale' : ''}`}>
        <Avatar name={person.name} url={person.avatarUrl} userId={person.id} size={32} presence={badge ? (presence?.state ?? 'offline') : null} />
      </span>
      <div className="col-start-2 min-w-0">
        {person.left ? (
          <span className="font-medium text-ink-muted">
            {person.name} <span className="text-sm font-normal">(left)</span>
          </span>
        ) : (
          <AppLink href={`/people/${person.id}`} className="font-medium hover:underline">
            {person.name}
          </AppLink>
        )}
        {person.title && <div className="truncate text-sm text-ink-muted">{person.title}</div>}
      </div>
      {badge && <PresenceBadge presence={presence} className="col-start-2 row-start-2 sm:col-start-3 sm:row-start-1" />}
    </li>
  );
}
