// Readers for what the exports write, from the RFCs' grammars (not from lib/export), so a test
// reads a file the way a spreadsheet or an address book would.

/** RFC 4180: records of fields; quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] !== '"') field += text[i++];
        else if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else break;
      }
      i++;
    } else if (text[i] === ',') {
      endField();
      i++;
    } else if (text.startsWith('\r\n', i)) {
      endField();
      records.push(record);
      record = [];
      i += 2;
    } else if (text[i] === '\n' || text[i] === '\r') throw new Error(`bare line break outside quotes at ${i}`);
    else field += text[i++];
  }
  if (field !== '' || record.length > 0) throw new Error('last record does not end with CRLF');
  return records;
}

/** CSV text as objects keyed by the header's column names. */
export function csvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])));
}

export type VCardProps = Map<string, string[]>;

/** RFC 6350: unfold (§3.2), split into cards, properties by name (parameters dropped), values unescaped (§3.4). */
export function parseVCards(text: string): VCardProps[] {
  const cards: VCardProps[] = [];
  let current: VCardProps | null = null;
  for (const line of text.replace(/\r\n[ \t]/g, '').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).split(';')[0]!.toUpperCase();
    const value = line.slice(colon + 1);
    if (name === 'BEGIN') current = new Map();
    else if (name === 'END') {
      cards.push(current!);
      current = null;
    }
    else current!.set(name, [...(current!.get(name) ?? []), value]);
  }
  return cards;
}

export const unescapeText = (value: string) => value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
