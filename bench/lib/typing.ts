// Key pressed → the updated list painted, in Chromium: the directory answering from the people
// index in the tab (docs/architecture.md §17), and, beside it, the floor: a bare page that does
// nothing but redraw a 50-row list on each keystroke. "Painted" is the end of the frame that
// first shows the new list: a MutationObserver sees the list change, asks for the next frame,
// and a task posted from that frame's callback runs once the frame is painted.
import { get } from 'node:http';
import type { Browser, Page } from '@playwright/test';
import { sleep } from './proc';

export interface TypingResult {
  /** Key pressed → painted, per keystroke, in ms. */
  keyToPaint: number[];
  /** Keystrokes the directory answered without the index (should be none once it is in). */
  byServer: number;
}

export interface IndexFigures {
  rawBytes: number;
  gzipBytes: number;
  /** Navigation start → the directory answering from the index, ms. */
  loadMs: number;
  /** The tab's JS heap, after a collection, with the index in, MB. */
  heapMb: number;
}

// A string, not a function: tsx (esbuild) wraps named functions in the bench's own code with a
// `__name()` helper that does not exist in the page, and the probe would throw before it watched.
const PROBE = `(() => {
  window.__probe = { armed: false, key: 0, painted: 0, mutated: false };
  // The first task after the frame: posted from its animation-frame callback at the highest
  // priority, so it runs before the tasks the page queued for after the paint (the directory
  // renders the rows below the first screen then) and stamps the frame, not the page's next work.
  const stamp = () => {
    if (window.__probe.painted === 0) window.__probe.painted = performance.now();
  };
  const afterFrame = () => scheduler.postTask(stamp, { priority: 'user-blocking' });
  // The keystroke's own timestamp, before any of the page's handlers: its keydown, or for a
  // character typed without a key event (Playwright inserts text no US key makes), its beforeinput.
  // Armed by the bench before each keystroke, so the keydown's beforeinput does not count again.
  const start = (e) => {
    if (!window.__probe.armed) return;
    Object.assign(window.__probe, { armed: false, key: e.timeStamp, painted: 0, mutated: false });
  };
  addEventListener('keydown', start, true);
  addEventListener('beforeinput', start, true);
  function watch() {
    new MutationObserver(() => {
      if (window.__probe.key === 0 || window.__probe.mutated) return;
      window.__probe.mutated = true;
      requestAnimationFrame(afterFrame);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', watch);
  else watch();
})();`;

/** Arms the probe for the next keystroke (and forgets the last one's figures). */
const armProbe = (page: Page) =>
  page.evaluate(() => Object.assign((window as unknown as { __probe: object }).__probe, { armed: true, key: 0, painted: 0, mutated: false }));

/** Types each sequence (one prefix per keystroke, as people type), timing each key to its painted list. */
async function typeAndTime(page: Page, box: string, sequences: string[][], settled: (q: string) => Promise<boolean>): Promise<TypingResult> {
  const keyToPaint: number[] = [];
  let byServer = 0;
  for (const sequence of sequences) {
    await page.fill(box, '');
    await sleep(300);
    await page.focus(box);
    let typed = '';
    for (const q of sequence) {
      // One keystroke per figure: a step of two characters (a space and the next word's first
      // letter: the sequences leave out "ting " as a search of its own) types all but the last
      // one first, unmeasured.
      const added = q.length > typed.length ? [...q.slice(typed.length)] : [];
      if (added.length > 1) {
        await page.keyboard.type(added.slice(0, -1).join(''));
        await sleep(120);
      }
      await armProbe(page);
      // Backspace: a sequence may step back (a typo corrected).
      if (added.length === 0) await page.keyboard.press('Backspace');
      else await page.keyboard.type(added.at(-1)!);
      typed = q;
      const handle = await page.waitForFunction(() => {
        const p = (window as unknown as { __probe: { key: number; painted: number } }).__probe;
        return p.key > 0 && p.painted > 0 ? p.painted - p.key : null;
      }, null, { timeout: 5_000, polling: 20 }).catch(() => null);
      const ms = handle ? ((await handle.jsonValue()) as number) : NaN;
      if (!(await settled(q))) byServer++;
      else if (Number.isFinite(ms)) keyToPaint.push(ms);
      await sleep(120);
    }
  }
  return { keyToPaint, byServer };
}

/** The directory at `url`, once its people index is in. */
export async function directoryTyping(browser: Browser, url: string, sequences: string[][]): Promise<{ typing: TypingResult; index: IndexFigures }> {
  const rawBytes = await bytesOnTheWire(`${url}/api/people/index`, 'identity');
  const gzipBytes = await bytesOnTheWire(`${url}/api/people/index`, 'gzip');

  const page = await browser.newPage();
  await page.addInitScript(PROBE);
  await page.goto(`${url}/`);
  await page.locator('[data-answered-by="browser"]').waitFor({ timeout: 60_000 });
  const loadMs = await page.evaluate(() => performance.now());
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const typing = await typeAndTime(page, '#directory-search', sequences, async () => (await page.getAttribute('[data-answered-by]', 'data-answered-by')) === 'browser');
  await page.close();
  return { typing, index: { rawBytes, gzipBytes, loadMs, heapMb: heap.usedSize / 1024 / 1024 } };
}

/** The body's size as sent (node:http does not decompress). */
function bytesOnTheWire(url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': encoding } }, (response) => {
      let n = 0;
      response.on('data', (chunk: Buffer) => (n += chunk.length));
      response.on('end', () => (response.statusCode === 200 ? resolve(n) : reject(new Error(`${url}: ${response.statusCode}`))));
    }).on('error', reject);
  });
}

/** The floor: a page that only filters 50 names and redraws its list, on the same machine. */
export async function floorTyping(browser: Browser, names: string[], sequences: string[][]): Promise<TypingResult> {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><input id="box"><ul></ul><script>
    const names = ${JSON.stringify(names.slice(0, 2000))};
    const list = document.querySelector('ul');
    const draw = (q) => { list.innerHTML = names.filter((n) => n.toLowerCase().includes(q)).slice(0, 50).map((n) => '<li>' + n + '</li>').join(''); };
    document.getElementById('box').addEventListener('input', (e) => draw(e.target.value.toLowerCase()));
    draw('');
  </script>`);
  await page.evaluate(PROBE);
  const typing = await typeAndTime(page, '#box', sequences, async () => true);
  await page.close();
  return typing;
}
