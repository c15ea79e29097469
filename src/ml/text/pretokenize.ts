/**
 * Splits text into the "words" BPE learns within. Tuned for forum posts mixing prose, code and
 * scripts: letters (optionally with one leading space), digits in runs of at most 3, CJK characters
 * on their own (they are not space-separated), punctuation runs and whitespace runs. Words longer
 * than MAX_WORD_BYTES (hashes, base64 blobs) are cut into chunks so encoding stays linear.
 *
 * The pattern is linear-time: a single alternation of character-class runs, no nested quantifiers.
 */
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}';
const WORD = new RegExp(
  `[${CJK}]| ?[[\\p{L}\\p{M}]--[${CJK}]]+| ?\\p{N}{1,3}| ?[^\\s\\p{L}\\p{M}\\p{N}]+|\\s+`,
  'gv',
);

export const MAX_WORD_CHARS = 32;

export function pretokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = m[0];
    if (w.length <= MAX_WORD_CHARS) out.push(w);
    else for (let i = 0; i < w.length; i += MAX_WORD_CHARS) out.push(w.slice(i, i + MAX_WORD_CHARS));
  }
  return out;
}

/** NFKC folds full-width and compatibility forms (common in obfuscated forum text). */
export function normalise(text: string, lowercase: boolean): string {
  const n = text.normalize('NFKC');
  return lowercase ? n.toLowerCase() : n;
}
