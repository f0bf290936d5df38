// Shared by the status and working-hours readers: text compared without case or accents, so
// "Férias", "FERIAS" and "ferias" read the same and the word lists stay short.

/** Lower case, accents removed (NFD, marks dropped), dashes made "-", spaces collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A regular-expression alternative of whole words or phrases (folded, longest first); `between`
 * is what a space in a phrase matches (a status's "licença-maternidade" is "licença maternidade").
 */
export function wordsPattern(words: readonly string[], between = '\\s+'): string {
  return [...new Set(words.map(foldText))]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, between))
    .join('|');
}

/** Word edges that work for letters outside ASCII too (\b does not). */
export const WORD_START = '(?<![\\p{L}\\p{N}])';
export const WORD_END = '(?![\\p{L}\\p{N}])';
