/**
 * Text as fed to the full-text index. CJK scripts are written without spaces, which neither
 * SQLite's unicode61 tokenizer nor PostgreSQL's `simple` configuration can split; indexing each
 * CJK character as its own token and searching CJK words as phrases of characters gives both
 * engines Chinese and Japanese search with no extra tokenizer. Queries go through the same
 * function (see query.ts).
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Index at most this much of one post: enough for search, bounded for hostile megabyte posts. */
export const MAX_INDEXED_CHARS = 200_000;

export function segmentCjk(text: string): string {
  return text.replace(CJK, ' $& ');
}

const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu;

/**
 * Words separated by single spaces. PostgreSQL's parser would otherwise keep `evil.com` or
 * `user@mail` as one token while SQLite splits them; splitting here makes both engines see the
 * same words, so the same query finds the same posts.
 */
export function textForIndex(text: string | null | undefined): string {
  if (!text) return '';
  const bounded = text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text;
  // Most forum text is ASCII: no CJK to segment, and its letters, digits and marks are
  // [A-Za-z0-9]. The non-Unicode expressions give the same words for less (a generated post's
  // body: 6.9 → 5.4 µs in the import worker; test/store/search-text.test.ts holds them equal).
  if (!NON_ASCII.test(bounded)) return bounded.replace(ASCII_SEPARATORS, ' ').trim();
  return segmentCjk(bounded).replace(SEPARATORS, ' ').trim();
}

const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_SEPARATORS = /[^A-Za-z0-9]+/g;

/**
 * What SQLite's full-text index needs instead of `text`, or null when `text` itself will do.
 * FTS5's unicode61 tokenizer treats exactly the Unicode letters, numbers and private-use
 * characters as token characters, which in ASCII are [A-Za-z0-9]: the same runs textForIndex
 * keeps. So ASCII text within MAX_INDEXED_CHARS is indexed as it is, and the import does not
 * build, send and bind a second copy of every post body (test/store/search-text.test.ts compares
 * the index's terms and offsets both ways). PostgreSQL still needs textForIndex for every text.
 */
export function ftsTextFor(text: string | null | undefined): string | null {
  if (!text) return null;
  if (text.length <= MAX_INDEXED_CHARS && !NON_ASCII.test(text)) return null;
  return textForIndex(text);
}
