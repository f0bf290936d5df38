import { describe, expect, it } from 'vitest';
import { avatarLink, avatarsLink, avatarVersion, readAvatarLink } from '@/lib/directory/domain/avatar-link';

// Every avatar URL the app holds ends in `version={avatar_version}`: Zulip's own (`get_avatar_field`
// in zerver/lib/avatar.py), or put back by lib/zulip where Zulip names the version in an upload's
// file name instead (docs/zulip.md §f); the people index carries only that.
describe('avatarVersion', () => {
  it.each([
    ['https://secure.gravatar.com/avatar/1d3911deee0c6a26112c24082012a033?d=identicon&version=1', 1],
    ['https://chat.example.com/user_avatars/2/5b0a1e0f3c9d.png?version=12', 12],
    ['https://uploads.example.com/2/ab/cdef.png?x=1&version=7&y=2', 7],
    ['https://chat.example.com/static/images/default-avatar.png', 0],
    ['https://chat.example.com/a.png?version=12x', 0],
    ['https://chat.example.com/a.png?subversion=4', 0],
  ])('%s → %i', (url, version) => {
    expect(avatarVersion(url)).toBe(version);
  });

  it('names one app address per person and version', () => {
    expect(avatarLink(42, 3)).toBe('/api/people/42/avatar?v=3');
  });

  it('reads whose picture a link names, and only from the app\'s own link', () => {
    expect(readAvatarLink(avatarLink(42, 3))).toEqual({ id: 42, version: 3 });
    expect(readAvatarLink('https://chat.example.com/user_avatars/2/5b0a1e0f3c9d.png?version=12')).toBeNull();
    expect(readAvatarLink('/api/people/42/avatar?v=3&x=1')).toBeNull();
    expect(readAvatarLink('https://evil.example/api/people/42/avatar?v=3')).toBeNull();
    expect(avatarsLink([4, 8, 15])).toBe('/api/people/avatars?ids=4,8,15');
  });
});
