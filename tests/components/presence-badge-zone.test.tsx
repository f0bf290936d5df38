// @vitest-environment jsdom
// The badge counts days in the viewer's zone, not the server's (components/presence/presence-badge.tsx):
// the page is rendered on a server in one zone and hydrated in a browser in another. The zone of
// each side is Node's (TZ), set before that side's modules are loaded.
import { afterAll, expect, it, vi } from 'vitest';
import { presenceLabel } from '@/lib/presence/last-seen';

const NOW = Date.UTC(2026, 5, 16, 3, 0) / 1000; // Mon 15 Jun, 20:00 in Los Angeles; Tue 16 Jun, 12:00 in Tokyo
const LAST = Date.UTC(2026, 5, 14, 23, 0) / 1000; // Sun 14 Jun, 16:00 in Los Angeles; Mon 15 Jun, 08:00 in Tokyo
const presence = { state: 'offline' as const, lastActiveAt: LAST };
const zoneBefore = process.env.TZ;
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

async function side(zone: string) {
  process.env.TZ = zone;
  vi.resetModules();
  const React = await import('react');
  const { PresenceBadge } = await import('@/components/presence/presence-badge');
  const { RenderClockProvider } = await import('@/components/presence/render-clock');
  const tree = () => (
    <RenderClockProvider zulipAheadMs={0} serverNow={NOW} historyDays={365}>
      <PresenceBadge presence={presence} />
    </RenderClockProvider>
  );
  return { React, tree };
}

it('a server in Tokyo renders UTC days; a browser in Los Angeles shows its own, with its own exact time', async () => {
  const utc = presenceLabel(presence, NOW, 'UTC');
  const tokyo = presenceLabel(presence, NOW, 'Asia/Tokyo');
  const losAngeles = presenceLabel(presence, NOW, 'America/Los_Angeles');
  // "2 days ago" in UTC; "yesterday" in Tokyo and in Los Angeles.
  expect(utc).not.toBe(tokyo);
  expect(utc).not.toBe(losAngeles);

  const server = await side('Asia/Tokyo');
  const { renderToString } = await import('react-dom/server');
  const html = renderToString(server.tree());
  expect(html).toContain(utc);
  expect(html).not.toContain('title=');

  const browser = await side('America/Los_Angeles');
  const { hydrateRoot } = await import('react-dom/client');
  const root = document.createElement('div');
  root.innerHTML = html;
  document.body.appendChild(root);
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const mismatches: unknown[] = [];
  await browser.React.act(async () => {
    hydrateRoot(root, browser.tree(), { onRecoverableError: (error) => mismatches.push(error) });
  });
  // Hydrated as rendered (React would otherwise render afresh, and the text would prove nothing).
  expect(mismatches).toEqual([]);
  const time = root.querySelector('time')!;
  expect(time.textContent).toBe(losAngeles);
  expect(time.getAttribute('title')).toBe(new Date(LAST * 1000).toLocaleString('en-US', { timeZone: 'America/Los_Angeles' }));
});
