import { z } from 'zod';

// What the live stream and the exports both limit: how many of a kind one viewer may hold at
// once and how many the process serves in all (lib/access/stream-limits.ts,
// lib/access/export-limits.ts), and how their settings are read. Counted in this process's
// memory: with several instances each counts its own exports (docs/architecture.md §10); streams
// are counted across instances in Redis (lib/access/redis-stream-slots.ts).

export type Slot<Code extends string> = { ok: true; release: () => void } | { ok: false; code: Code };

/** Slots per viewer and in all; a refusal says which limit was reached, with the caller's words for each. */
export class ViewerSlots<PerViewer extends string, Total extends string> {
  private readonly perViewer = new Map<string, number>();
  private total = 0;

  constructor(private readonly codes: { perViewer: PerViewer; total: Total }) {}

  get size(): number {
    return this.total;
  }

  /** A slot for `viewer` (null: no identity, the open mode, counted only in the total); release it when done (more than once is harmless). */
  acquire(viewer: string | null, limits: { perViewer: number; total: number }): Slot<PerViewer | Total> {
    const mine = viewer === null ? 0 : (this.perViewer.get(viewer) ?? 0);
    if (viewer !== null && mine >= limits.perViewer) return { ok: false, code: this.codes.perViewer };
    if (this.total >= limits.total) return { ok: false, code: this.codes.total };
    this.total++;
    if (viewer !== null) this.perViewer.set(viewer, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        if (viewer === null) return;
        const left = (this.perViewer.get(viewer) ?? 1) - 1;
        if (left > 0) this.perViewer.set(viewer, left);
        else this.perViewer.delete(viewer);
      },
    };
  }
}

/** An optional whole-number setting from `min` to `max`; a wrong value is an issue naming the variable and the rule, never the value. */
export const wholeNumberSetting = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
      ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    });
