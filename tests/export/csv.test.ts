// RFC 4180 quoting and spreadsheet-formula neutralising (lib/export/csv.ts).
import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvRecord, neutraliseFormula, quoteField, UTF8_BOM } from '@/lib/export/csv';
import { parseCsv } from './readers';

describe('CSV quoting (RFC 4180)', () => {
  it('quotes every field, doubling quotes', () => {
    expect(quoteField('Ana Díaz')).toBe('"Ana Díaz"');
    expect(quoteField('Díaz, Ana')).toBe('"Díaz, Ana"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('a\rb')).toBe('"a\rb"');
    expect(quoteField('')).toBe('""');
  });

  it('ends every record with CRLF and reads back cell for cell', () => {
    const values = ['Ana', 'Díaz, "the" Great', 'line one\nline two', '', '名前', 'a;b'];
    const record = csvRecord(values);
    expect(record.endsWith('\r\n')).toBe(true);
    expect(parseCsv(record)).toEqual([values]);
    expect(csvRecord([null, undefined, 'x'])).toBe('"","","x"\r\n');
  });

  it('writes the header as given (quoted, never neutralised)', () => {
    expect(csvHeader(['Name', 'Time zone', 'Profile URL'])).toBe('"Name","Time zone","Profile URL"\r\n');
  });

  it('has a UTF-8 byte-order mark for spreadsheets to read accents', () => {
    expect(new TextEncoder().encode(UTF8_BOM)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});

describe('CSV formula neutralising (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("https://evil.example","click")', `"'=HYPERLINK(""https://evil.example"",""click"")"`],
    ['+1 555 0100', `"'+1 555 0100"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
    ['\t=1+1', `"'\t'=1+1"`],
    ['\r=1+1', `"'\r'=1+1"`],
    ['=cmd|\' /C calc\'!A0', `"'=cmd|' /C calc'!A0"`],
  ])('%j is text in a spreadsheet', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  // Split on any separator a spreadsheet may be set to, as an importer that ignores the quotes
  // would: no piece may start (after spaces) with a formula character.
  it.each([
    ['Engineer;=1+2', `"Engineer;'=1+2"`],
    ['Sales, +44 20', `"Sales, '+44 20"`],
    ['R&D|@SUM(A1)', `"R&D|'@SUM(A1)"`],
    ['a\t-1', `"a\t'-1"`],
    ['first line\n=2*3', `"first line\n'=2*3"`],
    ['x;  =1', `"x;  '=1"`],
    [' =1', `" '=1"`],
  ])('%j has no formula after a separator', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
    const pieces = parseCsv(`${cell}\r\n`)[0]![0]!.split(/[,;\t|\r\n]/);
    for (const piece of pieces) expect(piece).not.toMatch(/^ *[=+\-@]/);
  });

  it('leaves other values as they are, including those with a formula character inside a piece', () => {
    for (const value of ['Ana', 'a=b', 'x+y', 'ana@example.com', '1-2', "'quoted", 'Jean-Luc', 'Sales; Marketing']) expect(neutraliseFormula(value)).toBe(value);
  });
});
