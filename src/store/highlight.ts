/**
 * Snippets with highlight ranges instead of markup: forum text is hostile, so the API never
 * returns HTML; clients wrap the ranges themselves (the dashboard as text nodes).
 */
export interface Snippet {
  text: string;
  /** [start, end) character ranges within `text` */
  highlights: [number, number][];
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const CJK_CHAR = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;

export function findHighlights(text: string, words: ReadonlySet<string>): [number, number][] {
  if (words.size === 0) return [];
  const ranges: [number, number][] = [];
  const cjkWords = [...words].filter((w) => CJK_CHAR.test(w));
  const plainWords = new Set([...words].filter((w) => !CJK_CHAR.test(w)));
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const start = match.index;
    if (plainWords.has(token.toLowerCase())) {
      ranges.push([start, start + token.length]);
    } else if (cjkWords.length > 0) {
      for (let k = 0; k < token.length; k++) {
        if (cjkWords.includes(token[k]!)) ranges.push([start + k, start + k + 1]);
      }
    }
    if (ranges.length > 1000) break;
  }
  return mergeRanges(ranges);
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

export function makeSnippet(text: string, words: ReadonlySet<string>, width = 240): Snippet {
  const all = findHighlights(text, words);
  const first = all[0];
  let start = 0;
  if (first !== undefined && first[0] > width / 3) start = first[0] - Math.floor(width / 3);
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? '')) start--;
  let end = Math.min(text.length, start + width);
  if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const body = text.slice(start, end).replace(/\s/g, ' ');
  const highlights = all
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s - start + prefix.length, e - start + prefix.length]);
  return { text: prefix + body + suffix, highlights };
}
