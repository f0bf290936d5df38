import { describe, expect, it } from 'vitest';
import { buildSearchIndex, search, searchRanks, withinOneEdit, type SearchDoc } from '@/lib/directory/search/search';
import { foldText, highlightRanges } from '@/lib/directory/search/fold';

describe('foldText', () => {
  it('drops accents and case', () => {
    expect(foldText('José')).toBe('jose');
    expect(foldText('ANA')).toBe('ana');
    expect(foldText('Müller')).toBe('muller');
    expect(foldText('Chloé Zoë Ñúñez Çelik')).toBe('chloe zoe nunez celik');
    expect(foldText('Nguyễn Trần')).toBe('nguyen tran');
  });

  it('folds letters NFKD leaves alone', () => {
    expect(foldText('Weiß')).toBe('weiss');
    expect(foldText('Søren Ødegaard')).toBe('soren odegaard');
    expect(foldText('Łukasz')).toBe('lukasz');
    expect(foldText('Đorđe')).toBe('dorde');
    expect(foldText('Æsir Œuvre')).toBe('aesir oeuvre');
    expect(foldText('Yılmaz İnce')).toBe('yilmaz ince');
    expect(foldText('O’Brien')).toBe("o'brien");
  });

  it('handles decomposed input and compatibility forms', () => {
    expect(foldText('Jose\u0301')).toBe('jose');
    expect(foldText('ＡＢＣ ﬁle')).toBe('abc file');
  });

  it('keeps other scripts intact', () => {
    expect(foldText('山田太郎')).toBe('山田太郎');
    expect(foldText('김민준')).toBe('김민준');
    expect(foldText('が')).toBe('が');
    expect(foldText('Дарья')).toBe('дарья');
    expect(foldText('ΣΟΦΊΑ')).toBe('σοφια');
  });
});

const people: SearchDoc[] = [
  { id: 1, name: 'José García', fields: ['jose@example.com', 'Designer', 'Design', 'Madrid'] },
  { id: 2, name: 'Ana Souza', fields: ['ana@example.com', 'Product Manager', 'Product', 'São Paulo'] },
  { id: 3, name: 'Hans Müller', fields: ['hans@example.com', 'Engineer', 'Engineering', 'Zürich'] },
  { id: 4, name: '山田太郎', fields: ['yamada@example.com', 'Engineer', 'Engineering', 'Tokyo'] },
  { id: 5, name: 'Anabel Ortiz', fields: ['anabel@example.com', 'Recruiter', 'People', 'Remote'] },
  { id: 6, name: 'Mariana Lopes', fields: ['mariana@example.com', 'Analyst', 'Finance', 'Lisbon'] },
  { id: 7, name: 'Bob Stone', fields: ['bob@example.com', 'Support', 'Customer Success', 'Ana Island'] },
  { id: 8, name: 'Carl Banana', fields: ['carl@example.com', 'Sales', 'Sales', 'Berlin'] },
  { id: 9, name: 'Ana', fields: ['ana2@example.com', 'Intern', 'Design', 'Remote'] },
  { id: 10, name: 'Dana Kim', fields: ['dana@example.com', 'Lead', 'Design', 'Seoul'] },
  { id: 11, name: 'Zed Ward', fields: ['zed@example.com', 'Canada liaison', 'Finance', 'London'] },
  { id: 12, name: 'Pierre Anaïs', fields: ['pierre@example.com', 'Writer', 'Marketing', 'Lyon'] },
];
const index = buildSearchIndex(people);
const ids = (q: string) => search(index, q).map((r) => r.id);

describe('search: matching', () => {
  it('is accent- and case-insensitive', () => {
    expect(ids('jose')).toContain(1);
    expect(ids('JOSÉ')).toContain(1);
    expect(ids('ANA')).toContain(2);
    expect(ids('mü')).toEqual([3]);
    expect(ids('muller')).toEqual([3]);
    expect(ids('sao paulo')).toEqual([2]);
  });

  it('finds other scripts by substring', () => {
    expect(ids('山田')).toEqual([4]);
    expect(ids('太郎')).toEqual([4]);
  });

  it('requires every token, in the name or the fields', () => {
    expect(ids('ana product')).toEqual([2]);
    expect(ids('engineer tokyo')).toEqual([4]);
    expect(ids('ana tokyo')).toEqual([]);
    expect(ids('souza ana')).toEqual([2]);
  });

  it('searches emails and titles', () => {
    expect(ids('yamada@')).toEqual([4]);
    expect(ids('recruiter')).toEqual([5]);
  });

  it('returns nothing for a miss and everyone in name order for an empty query', () => {
    expect(ids('xyzzy')).toEqual([]);
    const all = search(index, '   ');
    expect(all).toHaveLength(people.length);
    expect(all.every((r) => r.score === 0)).toBe(true);
    expect(all.slice(0, 3).map((r) => r.id)).toEqual([9, 2, 5]); // Ana, Ana Souza, Anabel Ortiz
  });
});

describe('search: one typo in a name, when nothing matches as typed', () => {
  const typo = buildSearchIndex([...people, { id: 13, name: 'Clémence Lefèvre', fields: ['clemence@example.com', 'Engineer', 'Engineering', 'New York'] }]);
  const hits = (q: string) => searchRanks(typo, q);
  const typoIds = (q: string) => search(typo, q).map((r) => r.id);

  it('finds a name with a letter changed, missing, added, or two neighbours swapped', () => {
    for (const q of ['clemense', 'clemnce', 'clemencce', 'clmeence', 'lefevre clemense', 'clemense lefevre', 'clemens']) {
      expect(typoIds(q), q).toEqual([13]);
      expect(hits(q).approximate, q).toBe(true);
    }
  });

  it('never widens a search that matches as typed, and says so', () => {
    expect(typoIds('clemence')).toEqual([13]);
    expect(hits('clemence').approximate).toBeUndefined();
    // "ana" finds its substrings; the names one edit away (Dana is one) are not added to them.
    expect(typoIds('ana')).toEqual(ids('ana'));
  });

  it('does not match two typos, a short token, or other fields by typo', () => {
    expect(typoIds('clemanse')).toEqual([]);
    expect(typoIds('xna')).toEqual([9, 2]); // three letters match a whole word ("ana")…
    expect(typoIds('xnab')).toEqual([5]); // …four, the start of one too ("anab…")
    expect(typoIds('qy')).toEqual([]); // two, nothing
    expect(typoIds('enginere')).toEqual([]);
  });

  it('ranks a whole word one typo away above the start of a word, and still needs every token', () => {
    const ranked = buildSearchIndex([
      { id: 1, name: 'Joss Stone', fields: [] },
      { id: 2, name: 'Jossette Ward', fields: [] },
    ]);
    expect(search(ranked, 'josse').map((r) => r.id)).toEqual([2]); // a prefix, matched as typed
    expect(search(ranked, 'jsos').map((r) => r.id)).toEqual([1, 2]);
    expect(search(ranked, 'jsos ward').map((r) => r.id)).toEqual([2]);
  });
});

describe('withinOneEdit', () => {
  it('is true for equal strings and a single insertion, deletion, substitution or swap', () => {
    for (const [a, b] of [['abc', 'abc'], ['abc', 'abcd'], ['abcd', 'abc'], ['abc', 'axc'], ['abc', 'bac'], ['abcd', 'abdc'], ['', 'a']]) {
      expect(withinOneEdit(a!, b!), `${a} ${b}`).toBe(true);
    }
    for (const [a, b] of [['abc', 'cba'], ['abc', 'a'], ['abcd', 'badc'], ['abc', 'xyc']]) {
      expect(withinOneEdit(a!, b!), `${a} ${b}`).toBe(false);
    }
    expect(withinOneEdit('clemens', 'clemence', 7)).toBe(true);
  });
});

describe('search: ranking', () => {
  it('exact name > name prefix > word prefix > name substring > field word prefix > field substring', () => {
    expect(ids('ana')).toEqual([
      9, // "Ana": the exact full name
      2, // "Ana Souza": name prefix (ties with 5 broken by name order)
      5, // "Anabel Ortiz": name prefix
      12, // "Pierre Anaïs": a later word of the name starts with it
      8, // "Carl Banana": name substring (these three in name order)
      10, // "Dana Kim": name substring
      6, // "Mariana Lopes": name substring
      7, // "Bob Stone": a field starts with the word "Ana"
      11, // "Zed Ward": "Canada" only contains it
    ]);
  });

  it('ranks a name word-prefix above a name substring', () => {
    expect(ids('lop')).toEqual([6]);
    const r = search(index, 'sou');
    expect(r.map((x) => x.id)).toEqual([2]);
    const scores = new Map(search(index, 'o').map((x) => [x.id, x.score]));
    // "Ortiz" (word start) beats "José"/"Souza" (inside a word)
    expect(scores.get(5)!).toBeGreaterThan(scores.get(2)!);
  });

  it('puts the whole query as a name prefix first for multi-token queries', () => {
    expect(ids('ana so')[0]).toBe(2);
    expect(ids('hans müller')[0]).toBe(3);
  });

  it('breaks ties by collated name, not id', () => {
    const idx = buildSearchIndex([
      { id: 1, name: 'Zoë Adams', fields: ['Design'] },
      { id: 2, name: 'Émile Baker', fields: ['Design'] },
      { id: 3, name: 'adam Clark', fields: ['Design'] },
    ]);
    expect(search(idx, 'design').map((r) => r.id)).toEqual([3, 2, 1]);
  });
});

describe('highlightRanges', () => {
  const slice = (text: string, q: string) => highlightRanges(text, q).map(([s, e]) => text.slice(s, e));

  it('maps folded matches back to the original text', () => {
    expect(highlightRanges('José García', 'jose')).toEqual([[0, 4]]);
    expect(slice('Hans Müller', 'muller')).toEqual(['Müller']);
    expect(slice('Hans Müller', 'mü')).toEqual(['Mü']);
    expect(slice('Jose\u0301 Garci\u0301a', 'garcia')).toEqual(['Garci\u0301a']);
    expect(slice('Weiß', 'weiss')).toEqual(['Weiß']);
    expect(slice('山田太郎', '太郎')).toEqual(['太郎']);
  });

  it('marks every token and every occurrence, merging overlaps', () => {
    expect(slice('Ana Souza', 'ana souza')).toEqual(['Ana', 'Souza']);
    // Occurrences are found left to right without overlap: "ana" at 1, then none from 4.
    expect(slice('Banana', 'ana')).toEqual(['ana']);
    expect(slice('Ana Banana', 'ana')).toEqual(['Ana', 'ana']);
    expect(highlightRanges('Banana', 'an na')).toEqual([[1, 6]]);
    expect(highlightRanges('Ana', '')).toEqual([]);
    expect(highlightRanges('Ana', 'zzz')).toEqual([]);
  });

  it('folds the search, not only the text, whichever of the two is plain ASCII', () => {
    expect(slice('Jose Garcia', 'JOSÉ garcía')).toEqual(['Jose', 'Garcia']);
    expect(slice('Weiss', 'weiß')).toEqual(['Weiss']);
    expect(slice('José García', 'JOSE')).toEqual(['José']);
  });

  it('works with astral characters', () => {
    const text = '𝒜na 😀 Ana';
    expect(slice(text, 'ana')).toEqual(['𝒜na', 'Ana']);
  });
});
