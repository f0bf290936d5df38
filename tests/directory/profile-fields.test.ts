import { describe, expect, it } from 'vitest';
import {
  parseCalendarDate,
  parseUserIds,
  renderFieldValue,
  safeHttpUrl,
  type FieldForRender,
} from '@/lib/directory/domain/profile-fields';

const people = new Map([
  [11, { id: 11, name: 'Ana Souza' }],
  [12, { id: 12, name: 'José García' }],
  [13, { id: 13, name: 'Old Timer', left: true }],
]);
const ctx = { lookup: (id: number) => people.get(id) };
const field = (type: number, field_data = ''): FieldForRender => ({ id: 1, type, name: 'F', field_data });

describe('text types', () => {
  it('short text and pronouns are plain text, markup included', () => {
    expect(renderFieldValue(field(1), 'Staff Engineer', ctx)).toEqual({ kind: 'text', text: 'Staff Engineer' });
    expect(renderFieldValue(field(8), 'she/her', ctx)).toEqual({ kind: 'text', text: 'she/her' });
    expect(renderFieldValue(field(1), '<script>alert(1)</script>', ctx)).toEqual({
      kind: 'text',
      text: '<script>alert(1)</script>',
    });
  });

  it('long text splits into paragraphs on blank lines', () => {
    expect(renderFieldValue(field(2), 'First line\nstill first\n\n  \nSecond <b>bold</b>\r\n\r\nThird', ctx)).toEqual({
      kind: 'paragraphs',
      paragraphs: ['First line\nstill first', 'Second <b>bold</b>', 'Third'],
    });
    // Blanks show nothing: the profile leaves the field out rather than show its label alone.
    expect(renderFieldValue(field(2), '   ', ctx)).toBeNull();
  });

  it('unknown types fall back to text', () => {
    expect(renderFieldValue(field(99), 'x', ctx)).toEqual({ kind: 'text', text: 'x' });
  });
});

describe('list of options', () => {
  const data = JSON.stringify({ '0': { text: 'Vim', order: '1' }, '1': { text: 'Emacs', order: '2' } });
  it('maps the chosen key to its text', () => {
    expect(renderFieldValue(field(3, data), '1', ctx)).toEqual({ kind: 'option', text: 'Emacs' });
  });
  it('shows the raw value for an unknown key or broken field_data', () => {
    expect(renderFieldValue(field(3, data), '7', ctx)).toEqual({ kind: 'option', text: '7' });
    expect(renderFieldValue(field(3, '{not json'), '0', ctx)).toEqual({ kind: 'option', text: '0' });
    expect(renderFieldValue(field(3, data), 'toString', ctx)).toEqual({ kind: 'option', text: 'toString' });
  });
});

describe('date', () => {
  it('is a long date from a calendar date, whatever the zone', () => {
    expect(renderFieldValue(field(4), '2021-03-04', { ...ctx, timeZone: 'Pacific/Honolulu' })).toEqual({
      kind: 'date',
      iso: '2021-03-04',
      text: 'March 4, 2021',
    });
    expect(parseCalendarDate('2024-12-31')?.text).toBe('December 31, 2024');
  });
  it('rejects impossible or malformed dates as text', () => {
    expect(renderFieldValue(field(4), '2021-02-30', ctx)).toEqual({ kind: 'text', text: '2021-02-30' });
    expect(renderFieldValue(field(4), 'March 4', ctx)).toEqual({ kind: 'text', text: 'March 4' });
  });
});

describe('link', () => {
  it('links http and https URLs', () => {
    expect(renderFieldValue(field(5), 'https://example.com/a b', ctx)).toEqual({
      kind: 'link',
      href: 'https://example.com/a%20b',
      text: 'https://example.com/a b',
    });
    expect(renderFieldValue(field(5), ' http://intranet.local/ ', ctx)).toMatchObject({
      kind: 'link',
      href: 'http://intranet.local/',
    });
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example.com',
    'example.com',
    '',
  ])('never links %j', (value) => {
    expect(renderFieldValue(field(5), value, ctx)).toEqual({ kind: 'text', text: value });
  });

  it('safeHttpUrl agrees', () => {
    expect(safeHttpUrl('https://zulip.com')).toBe('https://zulip.com/');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
  });
});

describe('person picker', () => {
  it('resolves ids, keeping unknown ones with a null name and naming those who left', () => {
    expect(renderFieldValue(field(6), '[11, 99, 12, 13]', ctx)).toEqual({
      kind: 'people',
      people: [
        { id: 11, name: 'Ana Souza', left: false },
        { id: 99, name: null, left: false },
        { id: 12, name: 'José García', left: false },
        { id: 13, name: 'Old Timer', left: true },
      ],
    });
    // No one (Zulip stores "[]" as sent) shows nothing; someone named twice is named once.
    expect(renderFieldValue(field(6), '[]', ctx)).toBeNull();
    expect(renderFieldValue(field(6), '[11, 11]', ctx)).toEqual({ kind: 'people', people: [{ id: 11, name: 'Ana Souza', left: false }] });
  });
  it('shows invalid values as text', () => {
    for (const v of ['not json', '{"a":1}', '["11"]', '[1.5]', '[-3]', 'null']) {
      expect(renderFieldValue(field(6), v, ctx)).toEqual({ kind: 'text', text: v });
    }
    expect(parseUserIds('[11]')).toEqual([11]);
  });
});

describe('external account', () => {
  it('builds GitHub and Twitter links from the built-in patterns', () => {
    expect(renderFieldValue(field(7, '{"subtype":"github"}'), 'octocat', ctx)).toEqual({
      kind: 'external',
      href: 'https://github.com/octocat',
      text: 'octocat',
    });
    expect(renderFieldValue(field(7, '{"subtype":"twitter"}'), 'zulip', ctx)).toEqual({
      kind: 'external',
      href: 'https://twitter.com/zulip',
      text: 'zulip',
    });
  });

  it('uses a custom url_pattern and encodes the username', () => {
    const data = JSON.stringify({ subtype: 'custom', url_pattern: 'https://social.example/@%(username)s' });
    expect(renderFieldValue(field(7, data), 'ana/../x?y#z', ctx)).toEqual({
      kind: 'external',
      href: 'https://social.example/@ana%2F..%2Fx%3Fy%23z',
      text: 'ana/../x?y#z',
    });
    // "." and ".." alone would climb the address's path (github.com/.. is github.com/): text.
    for (const name of ['.', '..']) {
      expect(renderFieldValue(field(7, '{"subtype":"github"}'), name, ctx)).toEqual({ kind: 'text', text: name });
      expect(renderFieldValue(field(7, JSON.stringify({ subtype: 'custom', url_pattern: 'https://x.example/users/%(username)s/profile' })), name, ctx)).toEqual({ kind: 'text', text: name });
    }
  });

  it("links the subtypes Zulip 12.0-dev added (its migration turned every Twitter field into X), as Zulip's DEFAULT_EXTERNAL_ACCOUNTS does", () => {
    const link = (subtype: string, value: string) => renderFieldValue(field(7, JSON.stringify({ subtype })), value, ctx);
    expect(link('x', 'zulip')).toMatchObject({ kind: 'external', href: 'https://x.com/zulip' });
    expect(link('linkedin', 'ana-souza')).toMatchObject({ kind: 'external', href: 'https://www.linkedin.com/in/ana-souza' });
    expect(link('medium', 'ana')).toMatchObject({ kind: 'external', href: 'https://ana.medium.com/' });
    // Mastodon's pattern is the placeholder alone: the value is the whole address, still http(s) only.
    expect(link('mastodon', 'https://mastodon.social/@ana')).toEqual({ kind: 'external', href: 'https://mastodon.social/@ana', text: 'https://mastodon.social/@ana' });
    expect(link('mastodon', 'javascript:alert(1)')).toEqual({ kind: 'text', text: 'javascript:alert(1)' });
    // Discord's is empty: a tag, not a link.
    expect(link('discord', 'ana#1234')).toEqual({ kind: 'text', text: 'ana#1234' });
  });

  it('never links a hostile pattern; unknown subtypes are text', () => {
    const hostile = JSON.stringify({ subtype: 'custom', url_pattern: 'javascript:alert("%(username)s")' });
    expect(renderFieldValue(field(7, hostile), 'ana', ctx)).toEqual({ kind: 'text', text: 'ana' });
    const data = JSON.stringify({ subtype: 'custom', url_pattern: 'data:text/html,%(username)s' });
    expect(renderFieldValue(field(7, data), '<script>', ctx)).toEqual({ kind: 'text', text: '<script>' });
    expect(renderFieldValue(field(7, '{"subtype":"myspace"}'), 'ana', ctx)).toEqual({ kind: 'text', text: 'ana' });
    expect(renderFieldValue(field(7, 'garbage'), 'ana', ctx)).toEqual({ kind: 'text', text: 'ana' });
  });
});
