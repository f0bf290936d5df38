// A minimal Server-Sent Events client over fetch streaming: what a browser's EventSource does,
// cheap enough to hold hundreds open from one process.

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
  receivedAt: number;
}

export interface SseClient {
  /** Resolves once the response headers are in (the stream is open). */
  opened: Promise<void>;
  /** Resolves when the server ends the stream (or it fails, or is closed). */
  ended: Promise<void>;
  close(): void;
}

/** `headers` are sent too, e.g. the Last-Event-ID a reconnecting EventSource sends. */
export function openSse(url: string, onEvent: (event: SseEvent) => void, headers: Record<string, string> = {}): SseClient {
  const controller = new AbortController();
  let markEnded = () => {};
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const opened = (async () => {
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'text/event-stream', ...headers } });
    if (!response.ok || !response.body) throw new Error(`${url}: ${response.status}`);
    void (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let id: string | null = null;
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') event = value;
              else if (field === 'id') id = value;
              else if (field === 'data') data.push(value);
            }
            if (data.length > 0) onEvent({ event, id, data: data.join('\n'), receivedAt: Date.now() });
          }
        }
      } catch {
        // closed
      } finally {
        markEnded();
      }
    })();
  })();
  opened.catch(() => markEnded());
  return { opened, ended, close: () => controller.abort() };
}
