'use client';

import { useRef } from 'react';
import { isComposing } from '@/components/ui/is-composing';
import { useSlashFocus } from '@/components/ui/use-slash-focus';
import { cleanSearchInput } from '@/components/ui/clean-search-input';

/** Latin letters, digits, punctuation and spaces: what a keyboard composes as it will stay. */
const SETTLED_TEXT = /^[\p{Script=Latin}\p{N}\p{P}\s]*$/u;

/** The search field: `/` focuses it from anywhere (unless turned off on /shortcuts), Escape clears it, Enter opens the first result, ↓ moves into the results. */
export function SearchBox({
  value,
  onChange,
  onClear,
  onArrowDown,
  onEnter,
  onComposing,
}: {
  value: string;
  onChange: (value: string) => void;
  onClear: () => void;
  onArrowDown: () => void;
  onEnter: () => void;
  /** An input method is composing text that is not yet what it will be, or has stopped. */
  onComposing: (composing: boolean) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const slash = useSlashFocus(input);
  return (
    <div className="relative">
      <label htmlFor="directory-search" className="sr-only">
        Search people
      </label>
      <input
        ref={input}
        id="directory-search"
        name="q"
        type="search"
        value={value}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        // Short enough to show whole in a phone's search box.
        placeholder="Search name, title, office…"
        aria-describedby="directory-search-hint"
        onChange={(e) => onChange(cleanSearchInput(e.target))}
        // Only text that is not yet what it will be (kana before its kanji): a phone's keyboard
        // composes every Latin word letter by letter, and those letters are the search already.
        onCompositionUpdate={(e) => onComposing(!SETTLED_TEXT.test(e.data))}
        onCompositionEnd={() => onComposing(false)}
        onBlur={() => onComposing(false)}
        onKeyDown={(e) => {
          if (isComposing(e)) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            onClear();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            onEnter();
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            onArrowDown();
          }
        }}
        className="w-full rounded-lg border border-line bg-surface-raised px-4 py-2.5 pr-12 text-lg sm:py-3 placeholder:text-ink-muted focus:border-accent focus:outline-2 focus:outline-accent"
      />
      {slash && (
        <kbd aria-hidden="true" className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 rounded border border-line px-1.5 text-sm text-ink-muted">
          /
        </kbd>
      )}
      {/* The keys, in words: a <kbd> has no role, so it cannot carry a name of its own. */}
      <span id="directory-search-hint" className="sr-only">
        Down moves to the results, Enter opens the first, Escape clears{slash ? '; slash comes back here' : ''}.
      </span>
    </div>
  );
}
