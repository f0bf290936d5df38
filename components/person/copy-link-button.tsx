'use client';

import { useEffect, useRef, useState } from 'react';
import { useAnnouncement } from '@/components/ui/use-announcement';

const SAID = { copied: 'Link copied to the clipboard', failed: 'The link could not be copied: copy it from the address bar' } as const;
/** How long the button says what happened. */
const SHOWN_MS = 2000;

/** Copies the profile's stable URL (/people/{id}) and says so briefly, on the button and to a screen reader (a second copy is said again). */
export function CopyLinkButton({ path, className = '' }: { path: string; className?: string }) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [said, announce] = useAnnouncement();
  const shown = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(shown.current), []);
  return (
    <button
      type="button"
      className={className}
      onClick={async () => {
        let next: 'copied' | 'failed';
        try {
          await navigator.clipboard.writeText(new URL(path, window.location.origin).toString());
          next = 'copied';
        } catch {
          next = 'failed';
        }
        clearTimeout(shown.current);
        setOutcome(next);
        announce(SAID[next]);
        shown.current = setTimeout(() => {
          setOutcome('idle');
          announce('');
        }, SHOWN_MS);
      }}
    >
      {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Copy failed' : 'Copy link'}
      <span className="sr-only" aria-live="polite">
        {said}
      </span>
    </button>
  );
}
