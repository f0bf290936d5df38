'use client';

import { useEffect, useRef, useState } from 'react';

const SAID = { copied: 'Link copied to the clipboard', failed: 'The link could not be copied: copy it from the address bar' } as const;
/** How long the button says what happened. */
const SHOWN_MS = 2000;
/** The live region is emptied this long before it speaks again, or a second copy would say nothing new. */
const RESPEAK_MS = 100;

/** Copies the profile's stable URL (/people/{id}) and says so briefly, on the button and to a screen reader. */
export function CopyLinkButton({ path, className = '' }: { path: string; className?: string }) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [said, setSaid] = useState('');
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([]);
  const clearTimers = () => timers.current.splice(0).forEach(clearTimeout);
  useEffect(() => clearTimers, []);
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
        clearTimers();
        setOutcome(next);
        setSaid('');
        timers.current.push(
          setTimeout(() => setSaid(SAID[next]), RESPEAK_MS),
          setTimeout(() => {
            setOutcome('idle');
            setSaid('');
          }, SHOWN_MS),
        );
      }}
    >
      {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Copy failed' : 'Copy link'}
      <span className="sr-only" aria-live="polite">
        {said}
      </span>
    </button>
  );
}
