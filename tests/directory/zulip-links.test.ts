import { describe, expect, it } from 'vitest';
import { dmSlug, dmUrl, profileUrl } from '@/lib/directory/domain/zulip-links';

describe('dmSlug (people.emails_to_slug)', () => {
  it('replaces spaces with hyphens', () => {
    expect(dmSlug('King Hamlet')).toBe('King-Hamlet');
  });

  it('collapses runs of space, ", %, /, <, >, backtick into one hyphen', () => {
    expect(dmSlug('Ana "Nana" Souza')).toBe('Ana-Nana-Souza');
    expect(dmSlug('100% / Real')).toBe('100-Real');
    expect(dmSlug('a<b>c`d')).toBe('a-b-c-d');
    expect(dmSlug('  lead  ')).toBe('-lead-');
  });

  it('replaces control and format characters', () => {
    expect(dmSlug('a\u0000\tb')).toBe('a-b');
    expect(dmSlug('a\nb')).toBe('a-b');
    expect(dmSlug('a\u200db')).toBe('a-b');
    expect(dmSlug('a\u007fb')).toBe('a-b');
  });

  it('leaves everything else (accents, other scripts, punctuation) as Zulip does', () => {
    expect(dmSlug('José Ñúñez')).toBe('José-Ñúñez');
    expect(dmSlug('山田 太郎')).toBe('山田-太郎');
    expect(dmSlug("O'Brien-Smith (PM)?#")).toBe("O'Brien-Smith-(PM)?#");
  });
});

describe('links', () => {
  it('builds the DM narrow URL: `dm` from Zulip 7.0 (FL 177), `pm-with` before (6.1 hash_util.js)', () => {
    expect(dmUrl('https://chat.example.com', 10, 'King Hamlet', 177)).toBe('https://chat.example.com/#narrow/dm/10-King-Hamlet');
    expect(dmUrl('https://chat.example.com/', 10, 'A/B', 372)).toBe('https://chat.example.com/#narrow/dm/10-A-B');
    expect(dmUrl('https://chat.example.com', 10, 'King Hamlet', 176)).toBe('https://chat.example.com/#narrow/pm-with/10-King-Hamlet');
    expect(dmUrl('https://chat.example.com', 10, 'King Hamlet', 65)).toBe('https://chat.example.com/#narrow/pm-with/10-King-Hamlet');
  });

  it('builds the profile URL from Zulip 9.0 (FL 240: user_profile.ts, hashchange.ts), none before', () => {
    expect(profileUrl('https://chat.example.com', 10, 240)).toBe('https://chat.example.com/#user/10');
    expect(profileUrl('https://chat.example.com//', 7, 372)).toBe('https://chat.example.com/#user/7');
    expect(profileUrl('https://chat.example.com', 10, 239)).toBeNull();
    expect(profileUrl('https://chat.example.com', 10, 150)).toBeNull();
  });
});
