import { isNewJoiner, NEW_JOINER_DAYS } from '@/lib/directory/domain/new-joiner';

/** "New" beside the name of someone who joined in the last 30 days: words, not a colour alone. */
export function NewMark({ dateJoined, nowMs }: { dateJoined: string; nowMs: number }) {
  if (!isNewJoiner(dateJoined, nowMs)) return null;
  return (
    <span title={`Joined in the last ${NEW_JOINER_DAYS} days`} className="rounded border border-accent px-1 text-xs font-medium text-accent" data-new-joiner>
      New
    </span>
  );
}
