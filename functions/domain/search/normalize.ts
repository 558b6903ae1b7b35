/**
 * Text to search words: the same function runs on documents (when their terms are written) and on
 * queries, so both sides agree on case, accents and punctuation.
 */

/** Longer words are cut: they are URLs or noise, and terms must stay small. */
const MAX_WORD_LENGTH = 40;

const MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’`]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

const ASCII_ONLY = /^[ -~\t\n\r]*$/;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/** Lower case, accents removed, apostrophes dropped (`don't` is `dont`), split on everything else. */
export function wordsOf(text: string): string[] {
  // WHY the ASCII path: most registry text is printable ASCII, where NFKD and the Unicode classes change
  // nothing; it gives the same words several times faster (migrations compute terms for every asset).
  const ascii = ASCII_ONLY.test(text);
  const plain = (ascii ? text : text.normalize('NFKD').replace(MARKS, '')).replace(APOSTROPHES, '').toLowerCase();
  return plain
    .split(ascii ? ASCII_SEPARATORS : SEPARATORS)
    .filter((word) => word.length > 0)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
}
