// One export file, made once and read by any number of downloads (docs/architecture.md §15).
//
// - It is made a chunk of people at a time, giving the event loop back between chunks, so
//   that pages, the API and /api/health keep answering while 20,000 cards are written: no
//   chunk is more than a few milliseconds of CPU.
// - It is made at its own pace, not its readers': a download that stalls does not keep the CPU
//   busy (there is nothing left to make after a second or so) nor hold anything but its slot,
//   which the route bounds in time. The chunks are kept, for the cache (rendering-cache.ts).
// - When every download has gone before the file is finished, making it stops: a client that
//   asks and hangs up, again and again, costs a chunk each time, not a file.

/** How many people go into one chunk (~30–60 KB of CSV, ~90 KB of vCards; a few ms of CPU). */
export const ITEMS_PER_CHUNK = 250;

/** The texts of a file: `head`, then `render(item)` for the items, `perChunk` items to a text. */
export function* chunkTexts<T>(items: Iterable<T>, render: (item: T) => string, head = '', perChunk = ITEMS_PER_CHUNK): Generator<string> {
  let text = head;
  let n = 0;
  for (const item of items) {
    text += render(item);
    if (++n % perChunk === 0) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}

/** Lets timers and I/O (other requests) run before the next chunk is made. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type RenderingState = 'rendering' | 'done' | 'failed' | 'abandoned';

export interface DownloadOptions {
  /** Aborting ends the download with an error (the client left, or it took too long). */
  signal: AbortSignal;
  /** Called each time the client asks for the next chunk. */
  onRead?: () => void;
  /** Called once when the download ends, however it ends. */
  onEnd: () => void;
}

export class Rendering {
  private readonly chunks: Uint8Array[] = [];
  private status: RenderingState = 'rendering';
  private failure: unknown;
  private readers = 0;
  private waiting: Array<() => void> = [];
  private readonly finished: Promise<RenderingState>;
  /** Bytes made so far. */
  bytes = 0;

  constructor(texts: Iterator<string>) {
    this.finished = this.make(texts);
  }

  get state(): RenderingState {
    return this.status;
  }

  /** Resolves when the file is finished, has failed, or was abandoned by every download. */
  settled(): Promise<RenderingState> {
    return this.finished;
  }

  private async make(texts: Iterator<string>): Promise<RenderingState> {
    const encoder = new TextEncoder();
    try {
      for (;;) {
        // Abandoned: nobody reads it, so it is not worth finishing.
        if (this.status !== 'rendering') {
          texts.return?.();
          break;
        }
        const next = texts.next();
        if (next.done) {
          this.status = 'done';
          break;
        }
        const chunk = encoder.encode(next.value);
        this.chunks.push(chunk);
        this.bytes += chunk.byteLength;
        this.wake();
        await yieldToEventLoop();
      }
    } catch (error) {
      this.status = 'failed';
      this.failure = error;
    }
    this.wake();
    return this.status;
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** The chunk at `index` once it is made; null past the end. */
  private async chunkAt(index: number): Promise<Uint8Array | null> {
    for (;;) {
      if (index < this.chunks.length) return this.chunks[index]!;
      if (this.status === 'done') return null;
      if (this.status !== 'rendering') throw this.failure ?? new Error('The export was abandoned.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** One download of the file: its chunks in order, each handed over when the client asks for it. */
  download(options: DownloadOptions): ReadableStream<Uint8Array> {
    this.readers++;
    let index = 0;
    let ended = false;
    const end = () => {
      if (ended) return false;
      ended = true;
      options.signal.removeEventListener('abort', onAbort);
      if (--this.readers === 0 && this.status === 'rendering') this.status = 'abandoned';
      options.onEnd();
      return true;
    };
    let onAbort = () => {};
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          onAbort = () => {
            if (end()) controller.error(options.signal.reason ?? new Error('The download was ended.'));
          };
          if (options.signal.aborted) onAbort();
          else options.signal.addEventListener('abort', onAbort);
        },
        pull: async (controller) => {
          if (ended) return;
          options.onRead?.();
          let chunk: Uint8Array | null;
          try {
            chunk = await this.chunkAt(index);
          } catch (error) {
            if (end()) controller.error(error);
            return;
          }
          if (ended) return;
          if (chunk === null) {
            end();
            controller.close();
            return;
          }
          index++;
          controller.enqueue(chunk);
        },
        cancel: () => {
          end();
        },
      },
      // Nothing is queued ahead of the client: a chunk is handed over when asked for.
      { highWaterMark: 0 },
    );
  }
}
