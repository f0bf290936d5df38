import type { PersonStatus } from '@/lib/directory/types';

/** A person's Zulip status: emoji and text ("🏠 Working remotely"). */
export function StatusLine({ status, className = '' }: { status: PersonStatus | null; className?: string }) {
  if (!status || (!status.text && !status.emoji)) return null;
  return (
    <div className={`truncate ${className}`}>
      {status.emoji && (
        <span role="img" aria-label={status.emojiName?.replaceAll('_', ' ') ?? 'status emoji'} className="mr-1">
          {status.emoji}
        </span>
      )}
      {status.text}
    </div>
  );
}
