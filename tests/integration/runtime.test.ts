import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoZulip, type DemoZulip } from '@/lib/demo-zulip/server';
import { createZulipClient } from '@/lib/zulip/client';
import { DirectoryRuntime } from '@/lib/server/runtime';
import { DEFAULT_PEOPLE_QUERY } from '@/lib/directory/query/people-query-url';
import { basic, waitFor } from './support';
import { createLogger } from '@/lib/server/log';

// The directory's server side against the demo Zulip server, over real HTTP.

let demo: DemoZulip;
let runtime: DirectoryRuntime;

beforeAll(async () => {
  demo = await startDemoZulip({ port: 0, seed: 3, users: 80, featureLevel: 150, simulation: false });
  const config = { site: demo.site, email: demo.bot.email, apiKey: demo.bot.apiKey };
  runtime = new DirectoryRuntime(
    { client: createZulipClient(config), config, demo: true },
    { PRESENCE_REFRESH_SECONDS: 5, PRESENCE_DETAIL_CACHE_SECONDS: 10 },
    createLogger(undefined, 'silent'),
  );
  runtime.start();
  await runtime.ready();
}, 30_000);

afterAll(async () => {
  runtime?.close();
  await demo?.close();
});

const humans = () => demo.org.users.filter((u) => !u.is_bot && u.is_active);

describe('DirectoryRuntime against the demo Zulip server', () => {
  it('loads every active human, with field roles recognised', () => {
    expect(runtime.loaded).toBe(true);
    expect(runtime.view.people.list().length).toBe(humans().length);
    const withTitle = runtime.view.people.list().filter((p) => p.title);
    expect(withTitle.length).toBeGreaterThan(humans().length / 2);
    expect(runtime.view.people.list().some((p) => p.managerIds.length > 0)).toBe(true);
    expect(runtime.view.org.featureLevel).toBe(150);
    expect(runtime.view.thresholdSeconds).toBe(140);
  });

  it('answers search and filter queries', () => {
    const someone = humans()[5]!;
    const page = runtime.view.queries.run({ ...DEFAULT_PEOPLE_QUERY, q: someone.full_name }, runtime.freshness());
    expect(page.items[0]?.id).toBe(someone.user_id);
  });

  it('picks up a status change from the event queue', async () => {
    const person = humans()[7]!;
    const response = await fetch(`${demo.site}/api/v1/users/me/status`, {
      method: 'POST',
      headers: { Authorization: basic(person.delivery_email, person.api_key), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ status_text: 'Testing the directory', emoji_name: 'car', emoji_code: '1f697', reaction_type: 'unicode_emoji' }),
    });
    expect(response.status).toBe(200);
    const status = await waitFor(() => runtime.view.people.get(person.user_id)?.status);
    expect(status).toEqual({ text: 'Testing the directory', emoji: '🚗', emojiName: 'car' });
  });

  it('sees a person come online through the event queue and tells subscribers', async () => {
    const person = humans().find((u) => u.presence_enabled && runtime.view.presence.get(u.user_id)?.state !== 'active')!;
    const messages: string[] = [];
    const unsubscribe = runtime.view.fanOut.subscribe((m) => messages.push(m));
    const response = await fetch(`${demo.site}/api/v1/users/me/presence`, {
      method: 'POST',
      headers: { Authorization: basic(person.delivery_email, person.api_key), 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'ZulipMobile/27.2 (Android 14)' },
      body: new URLSearchParams({ status: 'active', ping_only: 'true' }),
    });
    expect(response.status).toBe(200);
    await waitFor(() => runtime.view.presence.get(person.user_id)?.state === 'active');
    await waitFor(() => messages.some((m) => m.includes(`"id":${person.user_id}`)));
    unsubscribe();
  });
});
