// The body of an export: text made a chunk at a time, only when the reader asks for more, so
// that 20,000 people never become one 20,000-row string (or one big buffer) in memory. The
// stream is pull-based with the default queue of one chunk: while the client (or the network)
// is slow, nothing more is rendered; when the client goes away, rendering stops.

/** How many items are rendered into one chunk (~30–60 KB of CSV: few writes, little held). */
export const ITEMS_PER_CHUNK = 250;

export interface TextStreamOptions {
  /** Text before the first item (a byte-order mark, a header record). */
  head?: string;
  itemsPerChunk?: number;
}

/** UTF-8 bytes of `head` followed by `render(item)` for every item, produced as they are read. */
export function textStream<T>(items: Iterable<T>, render: (item: T) => string, options: TextStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const perChunk = Math.max(1, options.itemsPerChunk ?? ITEMS_PER_CHUNK);
  const iterator = items[Symbol.iterator]();
  let head = options.head ?? '';
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let text = head;
      head = '';
      for (let n = 0; n < perChunk; n++) {
        const next = iterator.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += render(next.value);
      }
      controller.enqueue(encoder.encode(text));
    },
    cancel() {
      iterator.return?.();
    },
  });
}
