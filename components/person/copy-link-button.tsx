'use client';

import { useState } from 'react';

/** Copies the profile's stable URL (/people/{id}) and says so briefly. */
export function CopyLinkButton({ path, className = '' }: { path: string; className?: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className={className}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(new URL(path, window.location.origin).toString());
          setCopied('copied');
        } catch {
          setCopied('failed');
        }
        setTimeout(() => setCopied('idle'), 2000);
      }}
    >
      {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy link'}
      <span className="sr-only" aria-live="polite">
        {copied === 'copied' ? 'Link copied to the clipboard' : ''}
      </span>
    </button>
  );
}
