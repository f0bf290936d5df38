// Folding text for search (accents, case, ligatures) and highlighting a search's matches in a
// row's text: what every row needs on the page's first load, apart from the index and ranking
// (search.ts), which answer queries and load later (docs/architecture.md §17).

// ---------------------------------------------------------------------------------------------
// Folding

// Only the generic combining diacritics (the ones Latin, Greek and Cyrillic use) plus Hebrew
// points and Arabic harakat are dropped. Other scripts' marks (Japanese dakuten, Indic vowel
// signs, …) carry meaning and are kept, so "が" stays distinct from "か".
const STRIPPED_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u064b-\u065f\u0670]/g;

// Letters that NFKD does not decompose but people type without their stroke or ligature.
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  // Final sigma: "Οδυσσεύς" typed in capitals folds to σ, so make the lower-case forms agree.
  ς: 'σ',
  // Typographic apostrophes (O’Brien) match the one on the keyboard.
  '\u2019': "'",
  '\u2018': "'",
  '\u02bc': "'",
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const MARK = /\p{M}/u;

// Segments repeat endlessly across 20,000 names; bounded so hostile input cannot grow it forever.
const segmentCache = new Map<string, string>();
const SEGMENT_CACHE_MAX = 20_000;

function foldSegment(seg: string): string {
  const cached = segmentCache.get(seg);
  if (cached !== undefined) return cached;
  let t = seg.normalize('NFKD').replace(STRIPPED_MARKS, '').toLowerCase();
  t = t.replace(SPECIAL_RE, (ch) => SPECIAL[ch] ?? ch);
  // Recompose what was kept (Hangul syllables, kana with dakuten) so text looks like the query.
  t = t.normalize('NFC');
  if (segmentCache.size >= SEGMENT_CACHE_MAX) segmentCache.clear();
  segmentCache.set(seg, t);
  return t;
}

/**
 * Folds one string in segments (a code point plus the combining marks after it), optionally
 * recording, for every folded UTF-16 unit, the original [start, end) it came from.
 */
function foldCore(s: string, starts: number[] | null, ends: number[] | null): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const start = i;
    i += (s.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    while (i < s.length) {
      const cp = s.codePointAt(i) ?? 0;
      if (cp < 0x300 || !MARK.test(String.fromCodePoint(cp))) break;
      i += cp > 0xffff ? 2 : 1;
    }
    const folded = foldSegment(s.slice(start, i));
    out += folded;
    if (starts && ends) {
      for (let k = 0; k < folded.length; k++) {
        starts.push(start);
        ends.push(i);
      }
    }
  }
  return out;
}

/**
 * Search folding: NFKD, drop diacritics, lower-case, ß→ss, ø→o, ł→l, đ→d, æ→ae, œ→oe, ı→i
 * (also ð→d, þ→th). Non-Latin scripts stay as they are, so "山田" still finds "山田太郎".
 */
export function foldText(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toLowerCase();
  return foldCore(s, null, null);
}

/** A query's folded tokens. */
export function queryTokens(query: string): string[] {
  return foldText(query)
    .split(/\s+/)
    .filter((t) => t !== '');
}

/** Every row of a page highlights the same search: fold it once, not once per text. */
let lastHighlight: { query: string; tokens: string[] } = { query: '', tokens: [] };
function highlightTokens(query: string): string[] {
  if (lastHighlight.query !== query) lastHighlight = { query, tokens: queryTokens(query) };
  return lastHighlight.tokens;
}

// ---------------------------------------------------------------------------------------------
// Highlighting

/**
 * Where the query's tokens occur in `text`, as [start, end) offsets into the ORIGINAL string
 * (fold-aware: "jose" marks "José" whole, "ss" marks "ß"). Sorted, overlaps merged.
 */
export function highlightRanges(text: string, query: string): Array<[number, number]> {
  const tokens = highlightTokens(query);
  if (tokens.length === 0 || text === '') return [];
  // ASCII folds to its lower case, unit for unit: offsets need no mapping back (the common case,
  // and a page highlights 100 texts per keystroke).
  const ascii = ASCII_ONLY.test(text);
  const starts: number[] = [];
  const ends: number[] = [];
  const folded = ascii ? text.toLowerCase() : foldCore(text, starts, ends);
  const found: Array<[number, number]> = [];
  for (const token of tokens) {
    let at = folded.indexOf(token);
    while (at >= 0) {
      found.push(ascii ? [at, at + token.length] : [starts[at]!, ends[at + token.length - 1]!]);
      at = folded.indexOf(token, at + token.length);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
