// User status: GET /users/{id}/status (FL 262) and POST /users/me/status (docs/zulip.md §f).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeHuman, call, control, credsOf, expectShape, findUser, fixture, newPerson, startTestServer, type TestServer } from './helpers';

describe.each([150, 372, 497])('user status at feature level %i', (featureLevel) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ featureLevel, users: 40 });
  });
  afterAll(() => server.close());

  it('GET /users/{id}/status exists from FL 262, with its errors', async () => {
    const withStatus = findUser(server, (u) => activeHuman(u) && Boolean(u.status.status_text) && Boolean(u.status.emoji_name), 'user with a status');
    const res = await call(server, `users/${withStatus.user_id}/status`);
    if (featureLevel < 262) {
      expect(res.status).toBe(404);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ ...withStatus.status });
    expectShape(res.body, fixture('get-user-status-200.json'));

    const person = await newPerson(server);
    expect((await call(server, `users/${person.user_id}/status`)).body.status).toEqual({});

    const noSuchUser = fixture('get-user-status-400.json');
    const bot = findUser(server, (u) => u.is_bot && u.is_active);
    for (const id of [999999, bot.user_id, 1]) {
      const r = await call(server, `users/${id}/status`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual(noSuchUser);
    }
    const deactivated = findUser(server, (u) => !u.is_active && !u.is_bot);
    expect((await call(server, `users/${deactivated.user_id}/status`)).body).toEqual({ result: 'error', msg: 'User is deactivated', code: 'BAD_REQUEST' });
    expect((await call(server, 'users/me/status')).status).toBe(405);
  });

  it('POST /users/me/status sets, clears and validates', async () => {
    const person = await newPerson(server);
    const set = (params: Record<string, string | boolean>) => call(server, 'users/me/status', { method: 'POST', auth: person.creds, params });
    expect((await set({ status_text: '  Out to lunch  ', emoji_name: 'pizza' })).body).toEqual({ result: 'success', msg: '' });
    const status = () => call(server, `users/${person.user_id}/status`).then((r) => r.body.status);
    if (featureLevel >= 262) expect(await status()).toEqual({ status_text: 'Out to lunch', emoji_name: 'pizza', emoji_code: '1f355', reaction_type: 'unicode_emoji' });
    await set({ emoji_name: '' });
    if (featureLevel >= 262) expect(await status()).toEqual({ status_text: 'Out to lunch' });
    await set({ status_text: '' });
    if (featureLevel >= 262) expect(await status()).toEqual({});
    // away is the deprecated mirror of "Display my availability"
    await set({ away: true });
    if (featureLevel >= 262) expect(await status()).toEqual({ away: true });
    await set({ away: false });

    const errors: Array<[Record<string, string | boolean>, string]> = [
      [{}, 'Client did not pass any new values.'],
      [{ status_text: 'x'.repeat(61) }, 'status_text is too long (limit: 60 characters)'],
      [{ emoji_name: 'no_such_emoji' }, "Emoji 'no_such_emoji' does not exist"],
      [{ emoji_name: 'car', emoji_code: '1f697', reaction_type: 'sticker' }, 'Invalid emoji type.'],
      [{ emoji_name: 'car', emoji_code: '1f355', reaction_type: 'unicode_emoji' }, 'Invalid emoji code.'],
      [{ away: 'maybe' }, 'away is not valid JSON'],
    ];
    for (const [params, msg] of errors) {
      const res = await set(params);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ result: 'error', msg, code: 'BAD_REQUEST' });
    }
  });

  it('shows an invisible user with a status as away', async () => {
    if (featureLevel < 262) return;
    const human = findUser(server, (u) => activeHuman(u) && Object.keys(u.status).length > 0);
    await control(server, 'PATCH', `/demo/users/${human.user_id}`, { presence_enabled: false });
    const res = await call(server, `users/${human.user_id}/status`, { auth: credsOf(human) });
    expect((res.body.status as Record<string, unknown>).away).toBe(true);
    await control(server, 'PATCH', `/demo/users/${human.user_id}`, { presence_enabled: true });
  });
});

describe('away before FL 148 (Zulip 6.0)', () => {
  it('is a flag of the status of its own, not "Display my availability" (zulip.yaml: from FL 148 away = !presence_enabled)', async () => {
    const server = await startTestServer({ featureLevel: 139, users: 20 });
    try {
      const person = await newPerson(server);
      const statusOf = async () => {
        const res = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['user_status'] } });
        return (res.body.user_status as Record<string, Record<string, unknown>>)[String(person.user_id)];
      };
      await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { away: true } });
      expect(await statusOf()).toEqual({ away: true });
      expect(server.org.users.find((u) => u.user_id === person.user_id)!.presence_enabled).toBe(true);
      await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { away: false } });
      // Hiding one's availability does not make the status away either.
      await control(server, 'PATCH', `/demo/users/${person.user_id}`, { presence_enabled: false });
      expect(await statusOf()).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('status emoji before FL 86 (Zulip 5.0)', () => {
  it('are neither sent nor stored: a status is text and away only (zulip.yaml: emoji_name, emoji_code, reaction_type new in FL 86)', async () => {
    const server = await startTestServer({ featureLevel: 65, users: 60 });
    try {
      const res = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['user_status'] } });
      const statuses = Object.values(res.body.user_status as Record<string, Record<string, unknown>>);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((s) => 'emoji_name' in s || 'emoji_code' in s || 'reaction_type' in s)).toEqual([]);
      // An emoji alone is no new value for a server that does not read it; beside text it is left out.
      const person = await newPerson(server);
      const alone = await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { emoji_name: 'pizza' } });
      expect(alone.status).toBe(400);
      expect(alone.body.msg).toBe('Client did not pass any new values.');
      await call(server, 'users/me/status', { method: 'POST', auth: person.creds, params: { status_text: 'Out to lunch', emoji_name: 'pizza' } });
      const after = await call(server, 'register', { method: 'POST', params: { fetch_event_types: ['user_status'] } });
      expect((after.body.user_status as Record<string, unknown>)[String(person.user_id)]).toEqual({ status_text: 'Out to lunch' });
    } finally {
      await server.close();
    }
  });
});
