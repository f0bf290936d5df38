import 'server-only';
import type { DirectoryApp } from '@/lib/server/app';

/** The clocks of one render (components/presence/render-clock.tsx). */
export interface RenderClock {
  /** Zulip's time, in Unix seconds: every age on a page ("Active 16 minutes ago") is measured on it. */
  serverNow: number;
  /** Zulip's clock minus this server's, in ms: wall-clock answers (local times, working hours, return days) use this server's, as its queries do. */
  zulipAheadMs: number;
}

/**
 * The clocks for one render. Zulip's clock may be off from this server's and the browser's; the
 * page's clock starts here and keeps its offset (components/ui/use-now.ts). Server components
 * render once per request, so reading the clock here is deliberate: relative times in the HTML
 * are true when sent.
 */
export async function renderClock(app: DirectoryApp): Promise<RenderClock> {
  const runtime = await app.directory();
  return { serverNow: runtime.zulipNow(), zulipAheadMs: runtime.zulipAheadMs() };
}
