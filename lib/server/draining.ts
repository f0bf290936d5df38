import 'server-only';

/**
 * Whether this instance has been told to stop (SIGTERM/SIGINT: docs/architecture.md §16), and who
 * must hear it: from then on no new stream is taken, readiness says no, and every open stream is
 * told to reconnect elsewhere. Said once; a listener added after is called at once.
 */
export class Draining {
  private started = false;
  private readonly listeners = new Set<() => void>();

  get draining(): boolean {
    return this.started;
  }

  /** How many are waiting for the drain (open streams). */
  get waiting(): number {
    return this.listeners.size;
  }

  begin(): void {
    if (this.started) return;
    this.started = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }

  /** Calls `listener` when draining begins; returns how to stop listening (a stream that ended first). */
  onDrain(listener: () => void): () => void {
    if (this.started) {
      listener();
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
