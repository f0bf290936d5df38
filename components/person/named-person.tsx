'use client';

import { AppLink } from '@/components/ui/app-link';

// Names are Zulip's text: one without spaces (10,000 letters, say) still wraps rather than widen the page.
export const nameLinkClass = '[overflow-wrap:anywhere] text-accent underline hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent';

/**
 * A name to follow to their profile, or, for someone who has left, the name said so and not a
 * link (as the org chart shows them): the reporting line, and person fields ("Mentor").
 */
export function NamedPerson({ person }: { person: { id: number; name: string; left?: boolean } }) {
  if (person.left) {
    return (
      <span className="text-ink-muted [overflow-wrap:anywhere]">
        {person.name} <span>(left)</span>
      </span>
    );
  }
  return (
    <AppLink href={`/people/${person.id}`} className={nameLinkClass}>
      {person.name}
    </AppLink>
  );
}
