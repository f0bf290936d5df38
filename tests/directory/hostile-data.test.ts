// Hostile data from Zulip (docs/architecture.md §12), below the browser: what the directory makes of
// names, fields, statuses, time zones, avatar and realm URLs that try to act on the page.
// (e2e/hostile-data.spec.ts checks the rendered pages in a browser.)
import { describe, expect, it } from 'vitest';
import { detectFieldRoles } from '@/lib/directory/domain/field-roles';
import { parsePeopleQuery } from '@/lib/directory/query/people-query';
import { renderFieldValue } from '@/lib/directory/domain/profile-fields';
import { inertText } from '@/lib/directory/domain/safe-text';
import { knownTimeZone, resolveAvatarUrl, toPerson } from '@/lib/directory/domain/to-person';
import { DirectoryRuntime } from '@/lib/server/runtime';
import type { ZulipClient } from '@/lib/zulip/client';
import { parseStatus } from '@/lib/zulip/parse-users';
import { RateBudget } from '@/lib/zulip/rate-budget';
import { readPresenceMap, readRegister, readUsers } from '../zulip/records-support';
import { createLogger } from '@/lib/server/log';

const RLO = '\u202E';

describe('inertText', () => {
  it('removes bidi embeddings, overrides and isolates, and control characters', () => {
    expect(inertText(`Mallory${RLO}gnp.exe`)).toBe('Mallorygnp.exe');
    expect(inertText('a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i')).toBe('abcdefghi');
    expect(inertText('bell\u0007 esc\u001b del\u007f c1\u0085')).toBe('bell esc del c1');
  });

  it('keeps what real text needs: RTL scripts, marks, line breaks, tabs, emoji', () => {
    for (const text of ['محمد عبد الله', 'שלום\u200F!', 'a\u200Eb', 'line one\nline two\tend', '👩🏽‍💻 Zoë Łukasz 李雷']) {
      expect(inertText(text)).toBe(text);
    }
  });
});

/** A Zulip user object as Zulip sends it; hostile values go through the parser as they would in production. */
const rawUser = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: 12,
  full_name: 'Eve',
  email: 'eve@example.com',
  delivery_email: 'eve@example.com',
  date_joined: '2020-01-01T00:00+00:00',
  is_bot: false,
  is_active: true,
  ...over,
});
const user = (over: Record<string, unknown> = {}) => readUsers([rawUser(over)])[0]!;

describe('toPerson with hostile values', () => {
  const fields = new Map([
    [1, { id: 1, type: 1, name: 'Title', hint: '', fieldData: '', order: 0 }],
    [2, { id: 2, type: 3, name: 'Team', hint: '', fieldData: JSON.stringify({ a: { text: `Ops${RLO}x`, order: '1' } }), order: 1 }],
  ]);
  const ctx = { roles: detectFieldRoles([...fields.values()]), fields, realmUrl: 'https://chat.example.com' };

  it('keeps markup as text, strips overrides, and drops what would break the page', () => {
    const person = toPerson(
      user({
        full_name: `<img src=x onerror=alert(1)>${RLO}evE`,
        timezone: '<script>alert(1)</script>',
        avatar_url: 'javascript:alert(1)',
        profile_data: { '1': { value: `<b>Boss</b>${RLO}` }, '2': { value: 'a' } },
      }),
      { ...ctx, status: parseStatus({ status_text: `${RLO}<script>x</script>`, emoji_name: 'x\u202Ey' }) },
    );
    expect(person.name).toBe('<img src=x onerror=alert(1)>evE');
    expect(person.title).toBe('<b>Boss</b>');
    expect(person.department).toBe('Opsx');
    expect(person.timezone).toBe('');
    expect(person.avatarUrl).toBeNull();
    expect(person.status).toEqual({ text: '<script>x</script>', emoji: null, emojiName: 'xy' });
  });

  it('puts a label on one line: a tab or line break pasted into a title or department is a space, so its filter link is valid', () => {
    const withDepartment = new Map([fields.get(1)!, { id: 3, type: 1, name: 'Department', hint: '', fieldData: '', order: 2 }].map((f) => [f.id, f]));
    const roles = detectFieldRoles([...withDepartment.values()]);
    const person = toPerson(user({ profile_data: { '1': { value: 'Head of\nSales ' }, '3': { value: 'Sales\tEMEA' } } }), { ...ctx, roles, fields: withDepartment });
    expect(person.title).toBe('Head of Sales');
    expect(person.department).toBe('Sales EMEA');
    // The field's own value keeps its characters; the filter the directory offers reads back.
    expect(person.fields['3']).toBe('Sales\tEMEA');
    expect(parsePeopleQuery({ department: person.department! }).ok).toBe(true);
  });

  it('keeps a 10,000-character value whole (the page wraps it)', () => {
    const long = 'x'.repeat(10_000);
    expect(toPerson(user({ full_name: long }), ctx).name).toHaveLength(10_000);
  });

  it('accepts only time zones Intl knows', () => {
    expect(knownTimeZone('Europe/Lisbon')).toBe('Europe/Lisbon');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBe('');
    expect(knownTimeZone('x'.repeat(500))).toBe('');
  });

  it('resolves avatars to http(s) only', () => {
    expect(resolveAvatarUrl('/user_avatars/2/a.png', 'https://chat.example.com')).toBe('https://chat.example.com/user_avatars/2/a.png');
    for (const hostile of ['javascript:alert(1)', 'data:image/svg+xml,<svg onload=alert(1)>', 'vbscript:x', 'blob:https://x/1', 'file:///etc/passwd']) {
      expect(resolveAvatarUrl(hostile, 'https://chat.example.com')).toBeNull();
    }
  });

  it('renders link fields as links only for http(s)', () => {
    const field = { id: 5, type: 5, name: 'Website', field_data: '' };
    for (const hostile of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'java\nscript:alert(1)']) {
      expect(renderFieldValue(field, hostile, { lookup: () => undefined })).toEqual({ kind: 'text', text: hostile });
    }
    expect(renderFieldValue(field, 'https://example.com/a', { lookup: () => undefined })).toMatchObject({ kind: 'link', href: 'https://example.com/a' });
  });
});

describe('a hostile realm URL and name from register', () => {
  it('never becomes a link target; the configured site is used instead', async () => {
    const controller = new AbortController();
    const client = {
      site: 'https://chat.example.com',
      budget: new RateBudget(),
      rateLimit: () => new RateBudget().snapshot(),
      register: async () =>
        readRegister({
          result: 'success',
          msg: '',
          queue_id: 'q1',
          last_event_id: -1,
          zulip_feature_level: 372,
          zulip_version: '10.2',
          realm_url: 'javascript:alert(document.cookie)//',
          realm_name: `Acme${RLO}evil`,
          realm_users: [rawUser()],
        }),
      getEvents: (_: unknown, opts?: { signal?: AbortSignal }) =>
        new Promise((_resolve, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason))),
      deleteQueue: async () => {},
      getRealmPresence: async () => readPresenceMap({}, { complete: true, serverTimestamp: Date.now() / 1000 }),
    } as unknown as ZulipClient;
    const runtime = new DirectoryRuntime(
      { client, config: { site: 'https://chat.example.com', email: 'bot@example.com', apiKey: 'k'.repeat(32) }, demo: false },
      { PRESENCE_REFRESH_SECONDS: 60, PRESENCE_DETAIL_CACHE_SECONDS: 10 },
      createLogger(undefined, 'silent'),
    );
    runtime.start();
    await runtime.ready();
    runtime.close();
    controller.abort();
    expect(runtime.view.org.realmUrl).toBe('https://chat.example.com');
    expect(runtime.view.org.name).toBe('Acmeevil');
  });
});
