'use client';

import { AppLink } from '@/components/ui/app-link';
import { Avatar } from '@/components/ui/avatar';
import { PresenceBadge } from '@/components/presence/presence-badge';
import { usePersonPresence } from '@/components/presence/live-presence';
import type { PersonLink } from '@/lib/directory/service-types';

/** A compact, clickable person with their live badge (reporting line, direct reports). */
export function PersonChip({ person, showPresence }: { person: PersonLink; showPresence: boolean }) {
  const presence = usePersonPresence(person.id, person.presence);
  return (
    <li className="flex items-center gap-3 py-1.5">
      <Avatar name={person.name} url={person.avatarUrl} userId={person.id} size={32} presence={showPresence ? (presence?.state ?? 'offline') : null} />
      <div className="min-w-0 flex-1">
        <AppLink href={`/people/${person.id}`} className="font-medium hover:underline">
          {person.name}
        </AppLink>
        {person.title && <div className="truncate text-sm text-ink-muted">{person.title}</div>}
      </div>
      {showPresence && <PresenceBadge presence={presence} className="max-sm:hidden" />}
    </li>
  );
}
