'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { OrgGroup } from '@/components/org/org-group';
import { initialTreeSnapshot, TreeContext, TreeState, type TreeContextValue } from '@/components/org/tree-state';
import { useAnnouncement } from '@/components/ui/use-announcement';
import type { OrgView } from '@/lib/directory/domain/org-chart-types';
import { foldText } from '@/lib/directory/search/fold';

const TYPEAHEAD_MS = 600;
/**
 * The address follows the focus at most this often, and after the last move: an arrow key held
 * down moves it 30 times a second, and Safari refuses more than 100 address changes in 10 s.
 */
const ADDRESS_EVERY_MS = 250;

/**
 * The org chart as a WAI-ARIA tree: one tab stop, Up and Down move through the rows shown,
 * Right opens a row (then moves into it), Left closes it (then moves to its manager), Home and
 * End jump to the first and last row, Enter opens the profile, and typing a name's first letters
 * jumps to it. Only open levels are on the page, so the rows in the DOM are the rows shown.
 */
export function OrgTree({ view, showPresence, takeFocus = false }: { view: OrgView; showPresence: boolean; takeFocus?: boolean }) {
  const router = useRouter();
  const treeRef = useRef<HTMLUListElement>(null);
  const focusId = view.focus?.found ? view.focus.id : null;
  const [state] = useState(() => new TreeState(initialTreeSnapshot(view.open, focusId)));
  const typed = useRef({ text: '', at: 0 });
  const [said, announce] = useAnnouncement();

  const context = useMemo<TreeContextValue>(() => {
    const seeds = new Map(view.levels.map((level) => [level.parent === null ? 'top' : String(level.parent), level]));
    return {
      state,
      seeds,
      revision: view.revision,
      highlighted: focusId,
      showPresence,
      Group: OrgGroup,
      focusKey(key) {
        state.setActive(key);
        // The row may be rendered a frame later (a page that just loaded).
        let tries = 0;
        const attempt = () => {
          const row = treeRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
          if (row) row.focus();
          else if (tries++ < 10) requestAnimationFrame(attempt);
        };
        attempt();
      },
      announce,
    };
  }, [view.levels, view.revision, focusId, showPresence, state, announce]);

  // The linked person is scrolled into view once, when the page opens on them.
  useEffect(() => {
    if (focusId === null) return;
    treeRef.current?.querySelector<HTMLElement>(`[data-key="p-${focusId}"]`)?.scrollIntoView({ block: 'center' });
  }, [focusId]);
  // Chosen in "Find a person" (this tree is mounted for them), they take the focus too: a screen
  // reader says where it landed. Read at mount: the tree the choice is made in is not theirs.
  // Not if the viewer has moved on meanwhile (typing again in the box is staying there).
  const [chosenOnMount] = useState(takeFocus);
  const focusTaken = useRef(false);
  useEffect(() => {
    if (!chosenOnMount || focusId === null || focusTaken.current) return;
    focusTaken.current = true;
    const at = document.activeElement;
    const free = !at || at === document.body || (at.getAttribute('role') === 'combobox' && (at as HTMLInputElement).value === '');
    if (free) context.focusKey(`p-${focusId}`);
  }, [chosenOnMount, focusId, context]);

  // The tab stop must stay on a row that is shown: after a level closes or reloads without it
  // (or when the remembered row is not open), the first row shown takes it.
  useEffect(() => {
    const tree = treeRef.current;
    if (!tree) return;
    const check = () => {
      if (tree.querySelector('[role="treeitem"][tabindex="0"]')) return;
      const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
      if (first?.dataset.key) state.setActive(first.dataset.key);
    };
    check();
    const observer = new MutationObserver(check);
    observer.observe(tree, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [state]);

  const rows = () => [...(treeRef.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [])];
  const move = (row: HTMLElement | null | undefined) => {
    if (row?.dataset.key) context.focusKey(row.dataset.key);
  };
  const setOpen = (row: HTMLElement, open: boolean) => {
    const id = Number(row.dataset.id);
    if (!open && row.querySelector(':scope > [role="group"]')?.contains(document.activeElement)) move(row);
    state.setOpen(id, open);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    // Keys on a control inside a row (a "Try again" button) are that control's.
    if (!row || event.target !== row || event.altKey || event.ctrlKey || event.metaKey) return;
    const all = rows();
    const at = all.indexOf(row);
    const expandable = row.dataset.expandable !== undefined;
    const open = row.getAttribute('aria-expanded') === 'true';
    switch (event.key) {
      case 'ArrowDown':
        move(all[at + 1]);
        break;
      case 'ArrowUp':
        move(all[at - 1]);
        break;
      case 'Home':
        move(all[0]);
        break;
      case 'End':
        move(all.at(-1));
        break;
      case 'ArrowRight':
        if (expandable && !open) setOpen(row, true);
        else if (open) move(row.querySelector<HTMLElement>(':scope > [role="group"] > [role="treeitem"]'));
        break;
      case 'ArrowLeft':
        if (open) setOpen(row, false);
        else move(row.parentElement?.closest<HTMLElement>('[role="treeitem"]'));
        break;
      case 'Enter':
        flushAddress();
        if (row.dataset.href) router.push(row.dataset.href);
        else if (row.dataset.action) row.click();
        else if (expandable) setOpen(row, !open);
        break;
      default:
        if (event.key.length !== 1 || event.key === ' ') return;
        typeAhead(event.key, all, at);
    }
    event.preventDefault();
  };

  const typeAhead = (key: string, all: HTMLElement[], at: number) => {
    const now = Date.now();
    // Folded as the search folds (accents, case): "e" finds Émile, sorted among the E's.
    const text = (now - typed.current.at < TYPEAHEAD_MS ? typed.current.text : '') + foldText(key);
    typed.current = { text, at: now };
    // A new first letter searches from the next row; more letters refine from this one.
    const start = text.length === 1 ? at + 1 : at;
    for (let i = 0; i < all.length; i++) {
      const candidate = all[(start + i) % all.length]!;
      if (foldText(candidate.dataset.name ?? '').startsWith(text)) return move(candidate);
    }
  };

  // A click on a row, anywhere but on a link or button in it, opens or closes its reports: the
  // count is only where the eye looks, and a screen reader on a phone activates a row by clicking
  // its middle. Not a click that ends a selection of its text.
  const onClick = (event: MouseEvent<HTMLUListElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('a, button') || window.getSelection()?.isCollapsed === false) return;
    const row = target.closest<HTMLElement>('[role="treeitem"]');
    if (row?.dataset.expandable === undefined) return;
    // The row's own line, not what its open level holds ("Loading…", a failure).
    if (target !== row && target.closest('[data-row]')?.parentElement !== row) return;
    setOpen(row, row.getAttribute('aria-expanded') !== 'true');
  };

  // Whichever row gets focus (arrow keys, a click, Tab) holds the tab stop, and the address
  // follows it, so the address bar always links to this point of the chart.
  const address = useRef<{ id: string | null; writtenAt: number; timer: ReturnType<typeof setTimeout> | undefined }>({ id: null, writtenAt: 0, timer: undefined });
  const writeAddress = () => {
    const pending = address.current;
    clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.writtenAt = Date.now();
    // Only while the chart is the page: Back taken before a delayed write leaves the address another page's.
    if (pending.id && window.location.pathname === '/org' && window.location.search !== `?focus=${pending.id}`) window.history.replaceState(null, '', `/org?focus=${pending.id}`);
  };
  useEffect(() => () => clearTimeout(address.current.timer), []);
  // Before a profile opens from the chart: Back returns to the row it was opened from.
  const flushAddress = () => {
    if (address.current.timer !== undefined) writeAddress();
  };
  const onFocus = (event: React.FocusEvent<HTMLUListElement>) => {
    const row = event.target.closest<HTMLElement>('[role="treeitem"]');
    if (!row?.dataset.key || event.target !== row) return;
    state.setActive(row.dataset.key);
    const pending = address.current;
    pending.id = row.dataset.id ?? null;
    const wait = pending.writtenAt + ADDRESS_EVERY_MS - Date.now();
    if (wait <= 0) writeAddress();
    else pending.timer ??= setTimeout(writeAddress, wait);
  };

  return (
    <TreeContext.Provider value={context}>
      <ul ref={treeRef} role="tree" aria-label="Organization chart" onKeyDown={onKeyDown} onClickCapture={flushAddress} onClick={onClick} onFocus={onFocus} className="space-y-0.5">
        <OrgGroup parent={null} level={1} />
      </ul>
      <p role="status" className="sr-only">
        {said}
      </p>
    </TreeContext.Provider>
  );
}
