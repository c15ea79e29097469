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
  return segmentCjk(bounded).replace(SEPARATORS, ' ').trim();
}
