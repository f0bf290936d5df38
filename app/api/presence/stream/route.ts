import type { NextRequest } from 'next/server';
import { parseSinceQuery } from '@/lib/presence/since-query';
import { refuseApiRequest } from '@/lib/access/viewer';
import { getDirectory } from '@/lib/server/runtime';
import { getPresenceSince } from '@/lib/server/directory-service';
import { apiError, toErrorResponse } from '@/lib/server/api-response';

const KEEPALIVE_MS = 15_000;

/**
 * GET /api/presence/stream[?since=version]: Server-Sent Events, one `presence` event per diff.
 * The first event catches the viewer up from `since` (or sends everything); then every diff the
 * one upstream poller produces is written to every open stream.
 */
export async function GET(request: NextRequest) {
  const parsed = parseSinceQuery(request.nextUrl.searchParams);
  if (!parsed.ok) return apiError(400, 'invalid_query', parsed.error);
  const refused = await refuseApiRequest(request);
  if (refused) return refused;
  try {
    const runtime = await getDirectory();
    const initial = await getPresenceSince(parsed.since);
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const sendBytes = (bytes: Uint8Array) => {
          try {
            controller.enqueue(bytes);
          } catch {
            cleanup();
          }
        };
        const send = (text: string) => sendBytes(encoder.encode(text));
        send(`retry: 3000\nid: ${initial.version}\nevent: presence\ndata: ${JSON.stringify(initial)}\n\n`);
        // Every stream gets the same encoded bytes for a diff (encoded once, however many viewers).
        const unsubscribe = runtime.fanOut.subscribe((_text, bytes) => sendBytes(bytes));
        const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
        cleanup = () => {
          unsubscribe();
          clearInterval(keepalive);
        };
        request.signal.addEventListener('abort', () => {
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
