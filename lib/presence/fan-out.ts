import type { PresenceChange, PresenceDiff } from '@/lib/presence/diff-types';
import type { PresenceSummary } from '@/lib/presence/status';

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
  /** What a page shows of each person after every diff so far (`shownAs`), with listeners or not. */
  private shown = new Map<number, string>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  /**
   * Tells every stream, leaving out changes no page could show: someone active or idle whose
   * last active time moved (every ping of an active person's client, thousands a minute at
   * 20,000 people) is still "Active now" or "Idle". The full states and times stay in the log, so
   * a stream catching up or a poll gets them all; followers get every change from the feed.
   */
  publish(diff: PresenceDiff): void {
    const changes = this.visible(diff);
    if (this.listeners.size === 0) return;
    this.send(`id: ${diff.version}\nevent: presence\ndata: ${JSON.stringify(changes === diff.changes ? diff : { ...diff, changes })}\n\n`);
  }

  /** The diff's changes a page could see, keeping `shown` current with all of them. */
  private visible(diff: PresenceDiff): PresenceChange[] {
    if (diff.full) this.shown.clear();
    const out: PresenceChange[] = [];
    for (const change of diff.changes) {
      const now = shownAs(change.presence);
      if (diff.full || this.shown.get(change.id) !== now) out.push(change);
      this.shown.set(change.id, now);
    }
    return out.length === diff.changes.length ? diff.changes : out;
  }

  /**
   * Tells every stream that people, fields, statuses or teams changed: browsers holding the
   * people index fetch it again until they have one of this revision (docs/architecture.md §17).
   * No id, so a reconnecting stream resumes from the presence diffs as before.
   */
  publishPeopleChanged(revision: number, statusOnly = false): void {
    if (this.listeners.size === 0) return;
    this.send(`event: people\ndata: ${JSON.stringify({ revision, statusOnly })}\n\n`);
  }

  private send(message: string): void {
    const bytes = encoder.encode(message);
    for (const listener of this.listeners) {
      try {
        listener(message, bytes);
      } catch {
        // One broken stream must not cost the others this diff.
        this.listeners.delete(listener);
      }
    }
  }
}

/** A person's presence as a badge shows it: the time only where it is read ("Active 14 minutes ago"). */
function shownAs(presence: PresenceSummary | null): string {
  if (presence === null) return 'none';
  return presence.state === 'offline' ? `offline ${presence.lastActiveAt}` : presence.state;
}

/** Why a viewer's stream ended. */
export type ViewerStreamEnd = 'slow_reader' | 'cancelled' | (string & {});

/**
 * One viewer's end of the fan-out: the body of their event stream. What the reader (the HTTP
 * response, so the client's connection) has not taken yet stays queued here, and is bounded: a
 * client that reads slower than diffs arrive, or not at all, is dropped once more than
 * `maxPendingBytes` wait for it (what was queued is discarded with it), instead of the server
 * keeping every diff for it. The diff buffers are the fan-out's, shared by every stream.
 */
export class ViewerStream {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;
  private readonly maxPendingBytes: number;
  private readonly onEnd: (reason: ViewerStreamEnd) => void;

  constructor(options: { maxPendingBytes: number; onEnd?: (reason: ViewerStreamEnd) => void }) {
    this.maxPendingBytes = options.maxPendingBytes;
    this.onEnd = options.onEnd ?? (() => {});
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => {
          this.finish('cancelled');
        },
      },
      // No read-ahead: desiredSize is minus the bytes waiting for the reader.
      { highWaterMark: 0, size: (chunk: Uint8Array) => chunk.byteLength },
    );
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Bytes queued that the reader has not taken. */
  get pendingBytes(): number {
    return this.ended ? 0 : -(this.controller.desiredSize ?? 0);
  }

  /** Queues `bytes`; false when the stream has ended, or is dropped now because its reader is too far behind. */
  send(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    if (this.pendingBytes > this.maxPendingBytes) {
      this.drop('slow_reader');
      return false;
    }
    try {
      this.controller.enqueue(bytes);
      return true;
    } catch {
      this.finish('cancelled');
      return false;
    }
  }

  /** Ends the stream after what is already queued (the client sees a normal end and reconnects). */
  end(reason: ViewerStreamEnd): void {
    if (!this.finish(reason)) return;
    try {
      this.controller.close();
    } catch {
      // already closed or cancelled
    }
  }

  /**
   * Cuts the stream now, discarding what is queued. An AbortError, because that is what Next
   * reads as "the connection is gone": it resets the connection without logging a failure (for a
   * client that reads nothing at all, once TCP lets the write in progress finish).
   */
  drop(reason: ViewerStreamEnd): void {
    if (!this.finish(reason)) return;
    this.controller.error(new DOMException(`presence stream dropped: ${reason === 'slow_reader' ? 'slow reader' : reason}`, 'AbortError'));
  }

  private finish(reason: ViewerStreamEnd): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.onEnd(reason);
    return true;
  }
}
