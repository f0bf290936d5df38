import { Rendering } from '@/lib/export/rendering';

// Export files already made, by what they were made from (the route's key: the format, the
// view's query, the people, teams and presence versions, the origin of its links). The same view
// downloaded again, or by fifty people at once, is made once: downloads of a file being made
// read it as it grows. Bounded: at most `maxBytes` of finished files, the least recently asked
// for dropped first, and none kept longer than `maxAgeMs` (a newer version makes a new key, so
// an old file is only ever dropped). docs/architecture.md §15.

interface Entry<Meta> {
  rendering: Rendering;
  meta: Meta;
  timer: ReturnType<typeof setTimeout>;
}

export class RenderingCache<Meta> {
  private readonly entries = new Map<string, Entry<Meta>>();

  constructor(private readonly limits: { maxBytes: number; maxAgeMs: number }) {}

  get size(): number {
    return this.entries.size;
  }

  /** The file for `key`, being made or made; `make` starts it when there is none (or the last one failed or was abandoned). */
  get(key: string, make: () => { texts: Iterator<string>; meta: Meta }): { rendering: Rendering; meta: Meta } {
    const hit = this.entries.get(key);
    if (hit && (hit.rendering.state === 'rendering' || hit.rendering.state === 'done')) {
      // Most recently asked for last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    if (hit) this.drop(key, hit);
    const { texts, meta } = make();
    const entry: Entry<Meta> = { rendering: new Rendering(texts), meta, timer: setTimeout(() => this.drop(key, entry), this.limits.maxAgeMs) };
    entry.timer.unref?.();
    this.entries.set(key, entry);
    void entry.rendering.settled().then((state) => (state === 'done' ? this.trim() : this.drop(key, entry)));
    return entry;
  }

  private drop(key: string, entry: Entry<Meta>): void {
    clearTimeout(entry.timer);
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  /** Drops the least recently asked-for files until the rest fit. */
  private trim(): void {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.rendering.bytes;
    for (const [key, entry] of this.entries) {
      if (total <= this.limits.maxBytes) break;
      total -= entry.rendering.bytes;
      this.drop(key, entry);
    }
  }
}
