// lib/zulip/sign-in.ts: a viewer's own credentials, checked by Zulip, through requests that
// never carry the bot's key, and errors that never carry the viewer's password or key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZulipSignIn } from '@/lib/zulip/sign-in';
import { isZulipError } from '@/lib/zulip/errors';
import { API_KEY, caught, json, renderings, startServer, type TestServer } from './support';

const PASSWORD = 'correct horse battery staple';
const VIEWER_KEY = 'ViewerKeyViewerKeyViewerKey12345';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/api/v1/fetch_api_key') {
      const form = new URLSearchParams(req.body);
      if (form.get('password') === PASSWORD) return json(res, 200, { result: 'success', msg: '', api_key: VIEWER_KEY, email: 'ada@example.com', user_id: 7 });
      // A server that (wrongly) echoes what it was sent must still not leak it through us.
      return json(res, 401, { result: 'error', msg: `Bad password ${form.get('password')}`, code: 'AUTHENTICATION_FAILED' });
    }
    if (req.url === '/api/v1/users/me') {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`ada@example.com:${VIEWER_KEY}`).toString('base64')}`;
      if (ok) return json(res, 200, { result: 'success', msg: '', user_id: 7, email: 'ada@example.com', delivery_email: 'ada@example.com', full_name: 'Ada', date_joined: '2020-01-01T00:00+00:00', is_active: true, is_bot: false });
      return json(res, 401, { result: 'error', msg: 'Invalid API key', code: 'UNAUTHORIZED' });
    }
    json(res, 404, { result: 'error', msg: 'Not Found', code: 'BAD_REQUEST' });
  });
});
afterAll(() => server.close());

describe('createZulipSignIn', () => {
  const zulip = () => createZulipSignIn(server.site, { timeoutMs: 2000 });

  it('password: posts the form with no Authorization header, and returns the account without its key', async () => {
    const account = await zulip().withPassword('ada@example.com', PASSWORD);
    expect(account).toEqual({ userId: 7, email: 'ada@example.com' });
    expect(JSON.stringify(account)).not.toContain(VIEWER_KEY);
    const req = server.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ username: 'ada@example.com', password: PASSWORD });
  });

  it('a refused password is a 401 ZulipError that does not contain the password', async () => {
    const error = await caught(zulip().withPassword('ada@example.com', 'hunter2-hunter2'));
    expect(isZulipError(error) && error.status).toBe(401);
    for (const text of renderings(error)) expect(text).not.toContain('hunter2-hunter2');
  });

  it('API key: only the viewer’s own credentials are sent', async () => {
    expect(await zulip().withApiKey('ada@example.com', VIEWER_KEY)).toEqual({ userId: 7, email: 'ada@example.com', isBot: false });
    const req = server.requests.at(-1)!;
    expect(req.headers.authorization).not.toContain(Buffer.from(API_KEY).toString('base64').slice(0, 10));
    const error = await caught(zulip().withApiKey('ada@example.com', 'WrongKeyWrongKeyWrongKey12345678'));
    expect(isZulipError(error) && error.status).toBe(401);
    for (const text of renderings(error)) expect(text).not.toContain('WrongKeyWrongKeyWrongKey12345678');
  });
});
