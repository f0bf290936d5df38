'use client';

import { useRouter } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import { useLocalPeople } from '@/components/directory/local-people-store';
import { useWallClockMs } from '@/components/presence/render-clock';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { cleanSearchInput } from '@/components/ui/clean-search-input';
import { peopleQueryOptions } from '@/lib/directory/client/queries';
import type { ListedRow } from '@/lib/directory/domain/person-row';
import { useSlashFocus } from '@/components/ui/use-slash-focus';
import { isComposing } from '@/components/ui/is-composing';
import { useSettled } from '@/components/ui/use-settled';

const SHOWN = 8;
/** What the box found is read out once typing pauses this long (as the directory's count is). */
const SPOKEN_AFTER_MS = 400;
/** Finding a person needs no presence: names only, ranked as the directory ranks a search. */
const NO_PRESENCE = { presenceUpdatedAt: null, stale: false, problem: null, presenceDisabled: true };

/**
 * "Find a person" on the org chart: the directory's search, from the tab's people index as the
 * viewer types (the server's /api/people until it is in: docs/architecture.md §17); choosing a
 * name opens the chart at that person (/org?focus={id}). A combobox with a list that suggests
 * the first name (WAI-ARIA's list autocomplete with automatic selection): `/` focuses it, Enter
 * opens the name shown selected, arrows move the selection through the names, Escape closes the
 * names and a second Escape clears the box.
 */
export function FindPerson({ onChosen }: { onChosen: (id: number) => void }) {
  const router = useRouter();
  const local = useLocalPeople();
  const [text, setText] = useState('');
  // The selected name's place; `moved` once the arrows have chosen it: until then the focus is
  // the box's alone (no active descendant), and the first name is only marked as what Enter opens.
  const [active, setActive] = useState({ at: 0, moved: false });
  // Escape closes the names until the box changes.
  const [dismissed, setDismissed] = useState(false);
  // The names show while the box has the focus: they sit over the chart's first rows.
  const [focused, setFocused] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const q = text.trim();
  const query = useMemo(() => ({ ...DEFAULT_PEOPLE_QUERY, q, sort: 'name' as const, limit: SHOWN }), [q]);
  const nowMs = useWallClockMs();
  const localItems = useMemo(() => (local && q ? local.run(query, NO_PRESENCE, { version: 0, byId: {} }, nowMs).items : null), [local, q, query, nowMs]);

  // Without the index: the directory's own query for these names (the latest answer wins).
  const fromServer = useQuery({ ...peopleQueryOptions(query), enabled: !localItems && q !== '', refetchInterval: false });

  const slash = useSlashFocus(input);

  // The server's answer for an earlier name is not offered for this one.
  const searching = q !== '' && !localItems && (fromServer.isPending || fromServer.isPlaceholderData);
  const failed = q !== '' && !localItems && !searching && fromServer.isError;
  const items: ListedRow[] = localItems ?? (searching || failed ? [] : (fromServer.data?.items ?? []));
  const open = focused && !dismissed && q !== '' && items.length > 0;
  const selected = Math.min(active.at, items.length - 1);
  const optionId = (person: ListedRow) => `${listId}-${person.id}`;
  const said = q === '' ? '' : searching ? 'Searching…' : failed ? 'The search did not answer: type again to retry.' : items.length === 0 ? `No one matches “${q}”.` : '';
  const spoken = useSettled(said || (q !== '' && items.length > 0 ? `${items.length === 1 ? '1 name' : `${items.length} names`} below.` : ''), SPOKEN_AFTER_MS);
  const choose = (person: ListedRow) => {
    setText('');
    onChosen(person.id);
    router.push(`/org?focus=${person.id}`);
  };

  // Enter before the server's answer: the first name it brings opens, as in the directory
  // (forgotten as soon as the box changes).
  const enterFor = useRef<string | null>(null);
  const first = items[0];
  const chooseFirst = useEffectEvent(choose);
  useEffect(() => {
    if (enterFor.current === null || searching) return;
    const wanted = enterFor.current === q;
    enterFor.current = null;
    if (wanted && first) chooseFirst(first);
  }, [q, searching, first]);

  return (
    <div className="relative max-w-md">
      <label htmlFor={`${listId}-input`} className="text-sm font-medium">
        Find a person
      </label>
      <input
        ref={input}
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && active.moved ? optionId(items[selected]!) : undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        placeholder={slash ? 'Name, title, office… (press /)' : 'Name, title, office…'}
        value={text}
        // Choosing a name with the mouse keeps the focus here (its mousedown is cancelled).
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          enterFor.current = null;
          setText(cleanSearchInput(e.target));
          setActive({ at: 0, moved: false });
          setDismissed(false);
        }}
        onKeyDown={(e) => {
          if (isComposing(e)) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            if (open) setDismissed(true);
            else setText('');
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (q === '' || items.length === 0) return;
            e.preventDefault();
            setDismissed(false);
            // The first arrow selects the first name (Up: the last); then the arrows go round.
            const step = e.key === 'ArrowDown' ? 1 : items.length - 1;
            const at = open && active.moved ? (selected + step) % items.length : e.key === 'ArrowDown' ? 0 : items.length - 1;
            setActive({ at, moved: true });
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            choose(items[selected]!);
          } else if (e.key === 'Enter' && searching) {
            e.preventDefault();
            enterFor.current = q;
          }
        }}
        className="mt-1 w-full rounded-lg border border-line bg-surface-raised px-3 py-2 placeholder:text-ink-muted focus:border-accent focus:outline-2 focus:outline-accent"
      />
      {/* What the box found, for a screen reader; "no one" (or no answer) for everyone too, where the names would be. */}
      <p role="status" className="sr-only">
        {spoken}
      </p>
      {said && !searching && focused && (
        <p aria-hidden="true" className="absolute z-20 mt-1 w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm text-ink-muted shadow-lg">
          {said}
        </p>
      )}
      {/* Always in the page, hidden while closed: the box's aria-controls names it. */}
      <ul id={listId} role="listbox" aria-label="People found" hidden={!open} className="absolute z-20 mt-1 w-full rounded-lg border border-line bg-surface shadow-lg">
        {open &&
          items.map((person, i) => (
            <li
              key={person.id}
              // By person, not place: the same id is the same name from one keystroke to the next.
              id={optionId(person)}
              role="option"
              aria-selected={i === selected}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(person)}
              // The selection is marked by a bar in the accent colour, not only a lighter background.
              className={`cursor-pointer border-l-4 px-3 py-2 ${i === selected ? 'border-accent bg-surface-sunken font-medium' : 'border-transparent'}`}
            >
              {person.name}
              {person.title ? <span className="text-sm text-ink-muted"> · {person.title}</span> : null}
            </li>
          ))}
      </ul>
    </div>
  );
}
