// People search: accent-insensitive, every query token must match, ranked by where it matched;
// when nothing matches, names one typo away (see "Forgiving a typo" below).
// Pure and isomorphic (the server's people store and the browser both use it). Folded strings
// are computed once per index build, so a query is plain indexOf over precomputed strings: no
// normalization, regex or allocation per document in the hot loop.

import { foldText, queryTokens } from '@/lib/directory/search/fold';

// ---------------------------------------------------------------------------------------------
// Index and search

export interface SearchDoc {
  id: number;
  name: string;
  /** Email, title, department, office, other text. */
  fields: string[];
}

export interface SearchIndex {
  readonly size: number;
  /** Ids in name order (Intl.Collator), the order ties are broken in. */
  readonly ids: readonly number[];
  /** @internal folded name, per rank */
  readonly names: readonly string[];
  /** @internal folded name with whitespace collapsed, for the exact-match test */
  readonly exactNames: readonly string[];
  /** @internal folded fields joined by "\n" (tokens never contain whitespace, so never span two) */
  readonly fields: readonly string[];
  /** @internal reusable sort buffer */
  readonly scratch: Float64Array;
}

// Scores: bonuses for the whole query, plus one tier per token (summed). For one token the
// order is exactly: full name > name prefix > name word-prefix > name substring > field
// word-prefix > field substring.
const EXACT_NAME = 1000;
const NAME_STARTS_WITH_QUERY = 500;
const TOKEN_NAME_PREFIX = 40;
const TOKEN_NAME_WORD = 30;
const TOKEN_NAME_SUBSTRING = 20;
const TOKEN_FIELD_WORD = 10;
const TOKEN_FIELD_SUBSTRING = 5;
// Bounds the sort key (score × size + rank) well inside exact float64 integers.
const MAX_TOKENS = 32;

/** `nameOrdered`: the docs are already in name order (as the server ordered them), and keep it. */
export function buildSearchIndex(docs: SearchDoc[], locale = 'en', nameOrdered = false): SearchIndex {
  // "numeric" sorts "Room 9" before "Room 10"; base sensitivity lets ids break case/accent ties.
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const ordered = nameOrdered ? docs : [...docs].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
  const names = ordered.map((d) => foldText(d.name));
  return {
    size: ordered.length,
    ids: ordered.map((d) => d.id),
    names,
    exactNames: names.map((n) => n.trim().split(/\s+/).join(' ')),
    fields: ordered.map((d) => foldText(d.fields.filter((f) => f !== '').join('\n'))),
    scratch: new Float64Array(ordered.length),
  };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWordCharBefore(s: string, pos: number): boolean {
  const c = s.charCodeAt(pos - 1);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  return WORD_CHAR.test(s[pos - 1] ?? '');
}

/** 0 if absent; else `prefix` at 0, `word` at a word start, `sub` anywhere else. */
function tier(s: string, token: string, prefix: number, word: number, sub: number): number {
  let at = s.indexOf(token);
  if (at < 0) return 0;
  if (at === 0) return prefix;
  while (at >= 0) {
    if (!isWordCharBefore(s, at)) return word;
    at = s.indexOf(token, at + 1);
  }
  return sub;
}

/** Search hits by rank (position in name order), best first; see searchRanks. */
export interface RankedHits {
  count: number;
  /** Ranks (indexes into `index.ids`) of the hits, best first, ties in name order. */
  ranks: Uint32Array;
  /** Each hit's score, parallel to `ranks`. */
  scores: Float64Array;
  /** True when nothing matched as typed and these are names one typo away (see typoRanks). */
  approximate?: boolean;
}

/**
 * Every token must appear in the folded name or fields. Results are best first, ties in name
 * order. An empty query returns everyone in name order with score 0.
 */
export function search(index: SearchIndex, query: string): Array<{ id: number; score: number }> {
  const { count, ranks, scores } = searchRanks(index, query);
  const out = new Array<{ id: number; score: number }>(count);
  for (let k = 0; k < count; k++) out[k] = { id: index.ids[ranks[k]!]!, score: scores[k]! };
  return out;
}

/**
 * `search` without allocating an object per hit: ranks and scores in typed arrays, for callers
 * (the server's paged people query) that filter, re-sort and page thousands of hits. With
 * `within` (ranks, in any order), only those documents are considered: a query that refines an
 * earlier one (more typed) only needs to look at the earlier one's hits.
 */
export function searchRanks(index: SearchIndex, query: string, within?: Uint32Array): RankedHits {
  const tokens = queryTokens(query).slice(0, MAX_TOKENS);
  const n = index.size;
  if (tokens.length === 0) {
    const ranks = new Uint32Array(n);
    for (let i = 0; i < n; i++) ranks[i] = i;
    return { count: n, ranks, scores: new Float64Array(n) };
  }

  const phrase = tokens.join(' ');
  const maxScore = EXACT_NAME + NAME_STARTS_WITH_QUERY + TOKEN_NAME_PREFIX * tokens.length;
  const { names, fields, exactNames, scratch } = index;
  const candidates = within ? within.length : n;
  let count = 0;
  outer: for (let c = 0; c < candidates; c++) {
    const i = within ? within[c]! : c;
    const name = names[i]!;
    let score = 0;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!;
      let s = tier(name, token, TOKEN_NAME_PREFIX, TOKEN_NAME_WORD, TOKEN_NAME_SUBSTRING);
      if (s === 0) s = tier(fields[i]!, token, TOKEN_FIELD_WORD, TOKEN_FIELD_WORD, TOKEN_FIELD_SUBSTRING);
      if (s === 0) continue outer;
      score += s;
    }
    if (exactNames[i] === phrase) score += EXACT_NAME;
    else if (name.startsWith(phrase)) score += NAME_STARTS_WITH_QUERY;
    // One number per hit, in rank order: sortedHits orders them by score desc, then rank.
    scratch[count++] = (maxScore - score) * n + i;
  }
  if (count === 0) return typoRanks(index, tokens);
  return sortedHits(scratch, count, n, maxScore, within === undefined);
}

/**
 * Hits from sort keys `(maxScore - score) * n + rank`: best score first, ties in name order.
 * Added in rank order (a search over everyone), a counting sort on the score does it in linear
 * time: scores are small integers (at most `maxScore`, a few thousand) and each score's hits keep
 * the order they were added in. Sorting the keys took ~1.4 ms of a one-letter search's ~2.5 ms at
 * 20,000 people (19,000 hits). Otherwise (an earlier query's hits, best first) the keys are sorted.
 */
function sortedHits(keys: Float64Array, count: number, n: number, maxScore: number, inRankOrder: boolean): RankedHits {
  const next = inRankOrder ? scoreStarts(keys, count, n, maxScore) : null;
  if (!next) keys.subarray(0, count).sort();
  const ranks = new Uint32Array(count);
  const scores = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const key = keys[k]!;
    const rank = key % n;
    const below = (key - rank) / n;
    let at = k;
    if (next) {
      at = next[below]!;
      next[below] = at + 1;
    }
    ranks[at] = rank;
    scores[at] = maxScore - below;
  }
  return { count, ranks, scores };
}

/** A counting sort's first pass: where each score's hits start in the answer, by maxScore - score. */
function scoreStarts(keys: Float64Array, count: number, n: number, maxScore: number): Uint32Array {
  const start = new Uint32Array(maxScore + 2);
  for (let k = 0; k < count; k++) {
    const below = Math.floor(keys[k]! / n);
    start[below + 1] = start[below + 1]! + 1;
  }
  for (let b = 1; b < start.length; b++) start[b] = start[b]! + start[b - 1]!;
  return start;
}

// ---------------------------------------------------------------------------------------------
// Forgiving a typo

// Only when a query matches no one as typed (so a search that works is never widened, and the
// hits of a query always include those of any query it refines: query-people.ts narrows on
// that), each token that appears nowhere may match a word of the name one edit away: a letter
// missing, added or changed, or two neighbours swapped ("clemense", "clmence", "cleemnce" all
// find Clémence). Short tokens would match half the organization, so a token needs 3 letters to
// match a whole word and 4 to match the start of one (as typed so far).
const TYPO_MIN_WORD = 3;
const TYPO_MIN_PREFIX = 4;
const TYPO_NAME_WORD = 3;
const TYPO_NAME_PREFIX = 2;

/** Each name's folded words, built on the first search that needs them (most never do). */
const nameWordsCache = new WeakMap<SearchIndex, string[][]>();
function nameWords(index: SearchIndex): string[][] {
  let words = nameWordsCache.get(index);
  if (!words) {
    words = index.names.map((name) => name.split(/[^\p{L}\p{N}\p{M}']+/u).filter((w) => w !== ''));
    nameWordsCache.set(index, words);
  }
  return words;
}

/**
 * Builds what a typo search reads, ahead of the first one: in a tab at 20,000 people, splitting
 * every name took the first typo search to 37–45 ms (bench/README.md §5).
 */
export function prepareTypoSearch(index: SearchIndex): void {
  nameWords(index);
}

/** a.slice(i) === b.slice(j), without slicing. */
function sameTail(a: string, i: number, b: string, j: number, bEnd: number): boolean {
  if (a.length - i !== bEnd - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/** Whether `a` and `b.slice(0, bEnd)` differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string, bEnd = b.length): boolean {
  const la = a.length;
  if (Math.abs(la - bEnd) > 1) return false;
  let i = 0;
  while (i < la && i < bEnd && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la || i === bEnd) return true; // equal, or one letter more at the end
  if (la === bEnd) {
    if (sameTail(a, i + 1, b, i + 1, bEnd)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && sameTail(a, i + 2, b, i + 2, bEnd);
  }
  return la > bEnd ? sameTail(a, i + 1, b, i, bEnd) : sameTail(a, i, b, i + 1, bEnd);
}

function typoTier(words: string[], token: string): number {
  let best = 0;
  for (const word of words) {
    if (token.length >= TYPO_MIN_WORD && withinOneEdit(token, word)) return TYPO_NAME_WORD;
    if (token.length < TYPO_MIN_PREFIX) continue;
    // The start of a word, as far as typed: prefixes one letter shorter, as long, or longer.
    for (let end = token.length - 1; end <= token.length + 1 && end < word.length; end++) {
      if (withinOneEdit(token, word, end)) best = TYPO_NAME_PREFIX;
    }
  }
  return best;
}

/**
 * The second chance: every token matches as usual, or a name word one edit away. Always over
 * the whole index (a refined query's earlier hits say nothing about typos). Marked approximate,
 * so the page can say these are near misses ("Did you mean …?").
 */
function typoRanks(index: SearchIndex, tokens: string[]): RankedHits {
  const n = index.size;
  const empty = { count: 0, ranks: new Uint32Array(0), scores: new Float64Array(0) };
  if (!tokens.some((t) => t.length >= TYPO_MIN_WORD)) return empty;
  const words = nameWords(index);
  const { names, fields, scratch } = index;
  const maxScore = TOKEN_NAME_PREFIX * tokens.length;
  let count = 0;
  outer: for (let i = 0; i < n; i++) {
    let score = 0;
    for (const token of tokens) {
      let s = tier(names[i]!, token, TOKEN_NAME_PREFIX, TOKEN_NAME_WORD, TOKEN_NAME_SUBSTRING);
      if (s === 0) s = tier(fields[i]!, token, TOKEN_FIELD_WORD, TOKEN_FIELD_WORD, TOKEN_FIELD_SUBSTRING);
      if (s === 0) s = typoTier(words[i]!, token);
      if (s === 0) continue outer;
      score += s;
    }
    scratch[count++] = (maxScore - score) * n + i;
  }
  return count === 0 ? empty : { ...sortedHits(scratch, count, n, maxScore, true), approximate: true };
}

/** The folded tokens of a query, as search matches them (for deciding whether one query refines another). */
export function searchTokens(query: string): string[] {
  return queryTokens(query).slice(0, MAX_TOKENS);
}
