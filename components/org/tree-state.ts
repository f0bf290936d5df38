'use client';

import { createContext, useCallback, useContext, useSyncExternalStore, type ComponentType } from 'react';
import type { OrgLevel } from '@/lib/directory/domain/org-chart-types';

// What the org chart has open and which row holds the tab stop, in a small store rows subscribe
// to one value at a time: moving with the arrow keys re-renders the two rows that change, not
// every row on the page.

export interface TreeSnapshot {
  open: ReadonlySet<number>;
  /** The row with tabindex 0 (a `data-key`), or null for the first row. */
  active: string | null;
}

export class TreeState {
  private snapshot: TreeSnapshot;
  private listeners = new Set<() => void>();

  constructor(initial: TreeSnapshot) {
    this.snapshot = initial;
  }

  get = (): TreeSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setOpen(id: number, open: boolean): void {
    if (this.snapshot.open.has(id) === open) return;
    const next = new Set(this.snapshot.open);
    if (open) next.add(id);
    else next.delete(id);
    this.update({ ...this.snapshot, open: next });
  }

  setActive(key: string | null): void {
    if (this.snapshot.active !== key) this.update({ ...this.snapshot, active: key });
  }

  private update(next: TreeSnapshot): void {
    this.snapshot = next;
    remembered = next;
    for (const listener of this.listeners) listener();
  }
}

/**
 * The last state of the chart in this tab. After a profile and Back, Next may restore /org as it
 * was first rendered: what was open then comes back from here rather than from that first render.
 */
let remembered: TreeSnapshot | null = null;

export function initialTreeSnapshot(open: number[], focus: number | null): TreeSnapshot {
  const merged = new Set([...(remembered?.open ?? []), ...open]);
  return { open: merged, active: focus !== null ? `p-${focus}` : (remembered?.active ?? null) };
}

export interface TreeContextValue {
  state: TreeState;
  /** Levels the server rendered with the page, by parent ("top" for the top). */
  seeds: ReadonlyMap<string, OrgLevel>;
  /** The people's revision the page was rendered at (OrgView.revision): what the tab's cached levels are kept under. */
  revision: number;
  /** The person `?focus=` highlighted. */
  highlighted: number | null;
  showPresence: boolean;
  /** Moves the tab stop and keyboard focus to a row, once it is on the page. */
  focusKey(key: string): void;
  /** Says something to a screen reader, in the tree's one status line (a level that failed to load). */
  announce(text: string): void;
  /** The level under an open row (org-group.tsx), handed down so that a row need not import it: the tree is recursive, its modules are not. */
  Group: ComponentType<{ parent: number; level: number; parentName: string }>;
}

export const TreeContext = createContext<TreeContextValue | null>(null);

export function useTree(): TreeContextValue {
  const tree = useContext(TreeContext);
  if (!tree) throw new Error('useTree outside the org chart');
  return tree;
}

export function useIsOpen(id: number): boolean {
  const { state } = useTree();
  return useSyncExternalStore(state.subscribe, () => state.get().open.has(id), () => state.get().open.has(id));
}

/** Whether this row holds the tab stop; `first` says whether it is the tree's first row (the default). */
export function useIsActive(key: string, first: boolean): boolean {
  const { state } = useTree();
  const select = useCallback(() => {
    const active = state.get().active;
    return active === key || (active === null && first);
  }, [state, key, first]);
  return useSyncExternalStore(state.subscribe, select, select);
}
