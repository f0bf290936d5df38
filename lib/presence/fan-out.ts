import type { PresenceDiff } from '@/lib/directory/types';

type Listener = (message: string) => void;

/**
 * One upstream poller, many viewers: each presence diff is serialized once and handed to every
 * open stream, so the number of browsers never changes the number of calls to Zulip.
 */
export class PresenceFanOut {
  private listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(diff: PresenceDiff): void {
    if (this.listeners.size === 0) return;
    const message = `id: ${diff.version}\nevent: presence\ndata: ${JSON.stringify(diff)}\n\n`;
    for (const listener of this.listeners) listener(message);
  }
}
