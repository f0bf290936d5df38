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
    <li className="flex items-center gap-3 py-1.5">
      <span className={person.left ? 'grayscale' : undefined}>
        <Avatar name={person.name} url={person.avatarUrl} userId={person.id} size={32} presence={badge ? (presence?.state ?? 'offline') : null} />
      </span>
      <div className="min-w-0 flex-1">
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
      {badge && <PresenceBadge presence={presence} className="max-sm:hidden" />}
    </li>
  );
}
