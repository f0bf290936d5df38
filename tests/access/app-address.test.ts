// The addresses the sign-in flow redirects to (lib/access/auth-response.ts appAddress): always
// this app's, whatever path they are given; the sign-in form refuses such paths first
// (lib/access/sign-in-input.ts), and this is the second line.
import { describe, expect, it } from 'vitest';
import { appAddress } from '@/lib/access/auth-response';

describe('appAddress', () => {
  it('is the path itself without DIRECTORY_PUBLIC_URL, and absolute on it with one', () => {
    expect(appAddress('/people/12?x=1#top', { publicUrl: null })).toBe('/people/12?x=1#top');
    expect(appAddress('/people/12', { publicUrl: 'https://directory.test' })).toBe('https://directory.test/people/12');
    // Letters beyond Latin-1 are %-escaped: a header cannot hold them raw.
    expect(appAddress('/people/Łukasz', { publicUrl: null })).toBe('/people/%C5%81ukasz');
  });

  it('never starts a path with "//" (another host to a browser), even once dot segments are resolved', () => {
    for (const path of ['/.//evil.example/phish', '/..//evil.example/phish', '/%2e//evil.example/phish']) {
      expect(appAddress(path, { publicUrl: null }), path).toBe('/evil.example/phish');
      expect(appAddress(path, { publicUrl: 'https://directory.test' }), path).toBe('https://directory.test/evil.example/phish');
    }
  });
});
