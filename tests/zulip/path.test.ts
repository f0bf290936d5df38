import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidPathValueError, encodePathValue, endpoint } from '@/lib/zulip/path';
import { caught, clientFor, fixture, json, startServer, type TestServer } from './support';

// No path value may make the client call an endpoint other than the intended one. The server
// records the raw request target exactly as it arrived on the socket.

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_, res) => json(res, 200, fixture('get-user-presence-200.json')));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const ATTACKS = [
  '../../messages',
  '../messages?anchor=newest',
  'a/b',
  '%2e%2e%2f',
  '%2e%2e',
  '.%2e',
  '..%2f..%2fmessages',
  '?x=',
  '#',
  '..\\..\\messages',
  '...',
  'José Ñúñez',
  '用户@例子.广告',
  'tab\there\u0000nul\r\nnewline',
  '\u202eevil',
  'hamlet@zulip.com',
  'me@zulip.com',
];

describe('path values through the client', () => {
  it.each(ATTACKS)('%j stays one segment of /users/{user_id_or_email}/presence', async (value) => {
    await clientFor(server).getUserPresence(value);
    expect(server.requests).toHaveLength(1);
    const target = server.requests[0]!.url;
    const segments = target.split('/');
    expect(segments).toHaveLength(6);
    expect(segments.slice(0, 4)).toEqual(['', 'api', 'v1', 'users']);
    expect(segments[5]).toBe('presence');
    expect(target).not.toMatch(/[?#]/);
    expect(decodeURIComponent(segments[4]!)).toBe(value);
  });

  it.each(['..', '.', '', '   ', 'me', 'ME', ' me ', '\ud800'])('%j is refused before any request', async (value) => {
    const err = await caught(clientFor(server).getUserPresence(value));
    expect(err).toBeInstanceOf(InvalidPathValueError);
    expect(err).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(0);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('numeric id %s is refused', async (value) => {
    expect(await caught(clientFor(server).getUserStatus(value))).toBeInstanceOf(InvalidPathValueError);
    expect(server.requests).toHaveLength(0);
  });

  it('getUser by email is encoded the same way', async () => {
    server.handle((_, res) => json(res, 200, fixture('get-user-200.json')));
    await clientFor(server).getUser('../messages');
    expect(server.requests[0]!.url).toBe('/api/v1/users/..%2Fmessages');
    server.handle((_, res) => json(res, 200, fixture('get-user-presence-200.json')));
  });
});

describe('path helpers', () => {
  it('encodes everything encodeURIComponent does', () => {
    expect(encodePathValue('a/b?c#d%e')).toBe('a%2Fb%3Fc%23d%25e');
    expect(encodePathValue(42)).toBe('42');
  });

  it('labels endpoints with the template, never the value', () => {
    const ep = endpoint('GET', '/users/{user_id_or_email}/presence', { user_id_or_email: 'secret@example.com' });
    expect(ep.label).toBe('GET /users/{user_id_or_email}/presence');
    expect(ep.path).toBe('/users/secret%40example.com/presence');
  });

  it('refuses a template whose value is missing', () => {
    expect(() => endpoint('GET', '/users/{user_id}', {})).toThrow(InvalidPathValueError);
  });
});
