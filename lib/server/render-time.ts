import 'server-only';
import type { DirectoryApp } from '@/lib/server/app';

/**
 * Zulip's time for one render, in Unix seconds. Every age on a page ("Active 16 minutes ago") is
 * measured on Zulip's clock, which may be off from this server's and the browser's; the page's
 * clock starts here and keeps this offset (components/ui/use-now.ts). Server components render
 * once per request, so reading the clock here is deliberate: relative times in the HTML are true
 * when sent.
 */
export async function renderTimeSeconds(app: DirectoryApp): Promise<number> {
  return (await app.directory()).zulipNow();
}
