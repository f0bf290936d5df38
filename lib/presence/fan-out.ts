import type { PresenceDiff } from '@/lib/directory/types';

/** Gets each message as text and as its UTF-8 bytes (the same bytes for every listener). */
type Listener = (message: string, bytes: Uint8Array) => void;

const encoder = new TextEncoder();

/**
 * One upstream poller, many viewers: each presence diff is serialized and encoded once and the
 * same bytes are handed to every open stream, so the number of browsers never changes the
 * number of calls to Zulip, and a large diff (thousands of people coming online at nine) is one
 * buffer in memory rather than one per viewer.
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
    const bytes = encoder.encode(message);
    for (const listener of this.listeners) listener(message, bytes);
  }
}
