// vCard 4.0 as RFC 6350 writes it (lib/export/vcard.ts): escaping, folding at 75 octets, CRLF.
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, splitName, uriValue, vcard } from '@/lib/export/vcard';

const octets = (s: string) => new TextEncoder().encode(s).length;

/** Unfolding (§3.2) and splitting a card into [name, value] lines, as a reader does. */
function contentLines(card: string): Array<[string, string]> {
  expect(card.endsWith('\r\n')).toBe(true);
  expect(card.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return card
    .replace(/\r\n /g, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1)];
    });
}

/** §3.4 unescaping of one text value. */
const unescape = (value: string) => value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

describe('vCard text escaping (§3.4)', () => {
  it('escapes backslash, comma, semicolon and every kind of line break', () => {
    expect(escapeText('a\\b')).toBe('a\\\\b');
    expect(escapeText('Díaz, Ana; Jr.')).toBe('Díaz\\, Ana\\; Jr.');
    expect(escapeText('one\r\ntwo\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
    expect(unescape(escapeText('x\\,;\ny'))).toBe('x\\,;\ny');
  });

  it('percent-encodes the characters that would end or split a URI value', () => {
    expect(uriValue('https://chat.example.com/user_avatars/2/a,b;c.png')).toBe('https://chat.example.com/user_avatars/2/a%2Cb%3Bc.png');
    expect(uriValue('https://example.com/a?x=1&y=2')).toBe('https://example.com/a?x=1&y=2');
  });
});

describe('vCard line folding (§3.2)', () => {
  it('leaves a line of 75 octets whole and folds the 76th onto a line that starts with a space', () => {
    expect(foldLine('x'.repeat(75))).toBe(`${'x'.repeat(75)}\r\n`);
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x\r\n`);
  });

  it('never makes a line longer than 75 octets and never splits a UTF-8 character', () => {
    for (const text of ['NOTE:' + 'é'.repeat(200), 'FN:' + '名'.repeat(120), 'NOTE:' + '👩🏽‍💻'.repeat(40), 'TITLE:' + 'ab€'.repeat(90)]) {
      const folded = foldLine(text);
      const lines = folded.slice(0, -2).split('\r\n');
      for (const [i, line] of lines.entries()) {
        expect(octets(line), line).toBeLessThanOrEqual(75);
        if (i > 0) expect(line.startsWith(' ')).toBe(true);
        // Each physical line is valid UTF-8 on its own: nothing was cut inside a character.
        expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(line))).toBe(line);
      }
      expect(folded.replace(/\r\n /g, '').slice(0, -2)).toBe(text);
    }
  });

  it('folds only where it must: each line is as long as it can be, for ASCII and mixed lines of every length', () => {
    const mixed = 'aé名👩🏽‍💻b';
    for (let length = 20; length <= 400; length += 7) {
      for (const text of ['x'.repeat(length), Array.from({ length }, (_, i) => [...mixed][i % [...mixed].length]).join('')]) {
        const lines = foldLine(text).slice(0, -2).split('\r\n');
        expect(lines.map((l, i) => (i > 0 ? l.slice(1) : l)).join('')).toBe(text);
        for (const [i, line] of lines.entries()) {
          expect(octets(line)).toBeLessThanOrEqual(75);
          // Not folded early: the next line's first character would not have fit on this one.
          const next = lines[i + 1];
          if (next !== undefined) expect(octets(line) + octets(String.fromCodePoint(next.codePointAt(1)!)), text).toBeGreaterThan(75);
        }
      }
    }
  });
});

describe('a whole card', () => {
  const card = vcard({
    fullName: 'Ana María Díaz, PhD',
    name: splitName('Ana María Díaz, PhD'),
    title: 'Head of Design; Research',
    org: ['Acme, Inc.', 'Design'],
    email: 'ana@example.com',
    timeZone: 'Europe/Madrid',
    photoUrl: 'https://chat.example.com/user_avatars/2/abc.png',
    url: 'https://directory.example.com/people/12',
    uid: 'https://directory.example.com/people/12',
    note: 'Pronouns: she/her\nSecond line',
  });

  it('is BEGIN … END with VERSION 4.0 second, CRLF everywhere, folded at 75 octets', () => {
    const physical = card.slice(0, -2).split('\r\n');
    expect(physical[0]).toBe('BEGIN:VCARD');
    expect(physical[1]).toBe('VERSION:4.0');
    expect(physical.at(-1)).toBe('END:VCARD');
    for (const line of physical) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it('reads back property by property', () => {
    const props = new Map(contentLines(card));
    expect(unescape(props.get('FN')!)).toBe('Ana María Díaz, PhD');
    expect(props.get('N')).toBe('PhD;Ana María Díaz\\,;;;');
    expect(props.get('ORG')).toBe('Acme\\, Inc.;Design');
    expect(unescape(props.get('TITLE')!)).toBe('Head of Design; Research');
    expect(props.get('EMAIL')).toBe('ana@example.com');
    expect(props.get('TZ')).toBe('Europe/Madrid');
    expect(props.get('PHOTO')).toBe('https://chat.example.com/user_avatars/2/abc.png');
    expect(props.get('URL')).toBe('https://directory.example.com/people/12');
    expect(props.get('UID')).toBe('https://directory.example.com/people/12');
    expect(unescape(props.get('NOTE')!)).toBe('Pronouns: she/her\nSecond line');
  });

  it('leaves out what is unknown, and ORG without a department has one component', () => {
    const minimal = vcard({ fullName: 'Cher', name: splitName('Cher'), org: ['Acme', null], email: null, timeZone: null, photoUrl: null });
    expect(contentLines(minimal)).toEqual([
      ['BEGIN', 'VCARD'],
      ['VERSION', '4.0'],
      ['FN', 'Cher'],
      ['N', ';Cher;;;'],
      ['ORG', 'Acme'],
      ['END', 'VCARD'],
    ]);
  });
});

describe('N from a full name', () => {
  it('takes the last word as the family name, one word as a given name', () => {
    expect(splitName('Ana María Díaz')).toEqual({ family: 'Díaz', given: 'Ana María' });
    expect(splitName('  Bo   Li ')).toEqual({ family: 'Li', given: 'Bo' });
    expect(splitName('王伟')).toEqual({ family: '', given: '王伟' });
    expect(splitName('')).toEqual({ family: '', given: '' });
  });
});
