/**
 * Refanging: rewrites the defanging forms forum authors use to dodge scrapers (`hxxp`, `[.]`,
 * `(dot)`, `[at]`, `[:]`, full-width dots between ASCII, zero-width characters, …) into plain
 * syntax, and keeps an offset map so every match found in the refanged text can be reported with
 * its span in the ORIGINAL text and a `defanged` flag.
 *
 * The map is sparse (one entry per rewrite), so text without any defanging costs one regex scan
 * and no copy.
 */

/**
 * One alternation, each branch starting with a distinct literal or small class so the scan stays
 * linear. Optional horizontal whitespace around bracketed markers (`evil [.] com`) and one line
 * break after them (`evil[.]\ncom`) are swallowed with the marker.
 */
export const DEFANG_RE =
  /[ \t]{0,2}(?:\[\.\]|\(\.\)|\{\.\}|\[\s?dot\s?\]|\(\s?dot\s?\)|\{dot\}|\[точка\]|\(точка\)|\[点\]|\(点\))[ \t]{0,2}(?:\r?\n)?|[ \t]{0,2}(?:\[at\]|\(at\)|\{at\}|\[@\]|\(@\)|\{@\}|\[собака\]|\(собака\))[ \t]{0,2}|\[:\/\/\]|\[:\]|\(:\)|\[\/\]|:\[\/\/\]|\b[hH](?:xx|XX|\*\*|__|xX|Xx)[pP](?=[sS]?(?::|\[:))|\b[fF][xX][pP](?=:|\[:)|(?<=[A-Za-z0-9])[．。](?=[A-Za-z0-9])|[\u200B-\u200D\u2060\uFEFF\u00AD]/gi;

export interface Refanged {
  /** The refanged text (identical to the input when nothing was rewritten). */
  readonly text: string;
  /** Number of rewrites; 0 means `text` is the original. */
  readonly rewrites: number;
  /** Original offset of a match start at refanged offset `n`. */
  toOriginalStart(n: number): number;
  /** Original offset of a match end (exclusive) at refanged offset `n`. */
  toOriginalEnd(n: number): number;
  /** True when a rewrite falls inside the refanged range [start, end). */
  defangedWithin(start: number, end: number): boolean;
}

/** Invisible characters dropped from indicators (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen). */
export const ZERO_WIDTH = /^[\u200B-\u200D\u2060\uFEFF\u00AD]$/;

function replacementFor(marker: string): string {
  if (ZERO_WIDTH.test(marker)) return '';
  const t = marker.trim().toLowerCase();
  if (t.startsWith('h')) return 'http';
  if (t === 'fxp') return 'ftp';
  if (t.includes('//')) return '://';
  if (t.includes('at') || t.includes('@') || t.includes('собака')) return '@';
  if (t === '[/]') return '/';
  if (t.includes(':')) return ':';
  return '.'; // [.] (.) {.} [dot] (dot) [точка] [点] ． 。
}

export function refang(text: string): Refanged {
  // Rewrite table: parallel arrays of refanged start/end and original start/end.
  const nStart: number[] = [];
  const nEnd: number[] = [];
  const oStart: number[] = [];
  const oEnd: number[] = [];
  let out = '';
  let last = 0;
  let shift = 0; // refanged offset minus original offset so far
  DEFANG_RE.lastIndex = 0;
  for (let m = DEFANG_RE.exec(text); m !== null; m = DEFANG_RE.exec(text)) {
    const marker = m[0];
    const rep = replacementFor(marker);
    if (rep === marker) continue;
    out += text.slice(last, m.index) + rep;
    const ns = m.index + shift;
    nStart.push(ns);
    nEnd.push(ns + rep.length);
    oStart.push(m.index);
    oEnd.push(m.index + marker.length);
    shift += rep.length - marker.length;
    last = m.index + marker.length;
  }
  if (nStart.length === 0) {
    return {
      text,
      rewrites: 0,
      toOriginalStart: (n) => n,
      toOriginalEnd: (n) => n,
      defangedWithin: () => false,
    };
  }
  out += text.slice(last);

  /** Index of the last rewrite whose refanged start is <= n, or -1. */
  const lastAtOrBefore = (n: number): number => {
    let lo = 0;
    let hi = nStart.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((nStart[mid] as number) <= n) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  const toOriginalStart = (n: number): number => {
    const i = lastAtOrBefore(n);
    if (i < 0) return n;
    const ne = nEnd[i] as number;
    if (n < ne) return oStart[i] as number; // inside a rewrite: its original start
    return (oEnd[i] as number) + (n - ne);
  };
  const toOriginalEnd = (n: number): number => {
    const i = lastAtOrBefore(n - 1);
    if (i < 0) return n;
    const ne = nEnd[i] as number;
    if (n <= ne) return oEnd[i] as number;
    return (oEnd[i] as number) + (n - ne);
  };
  const defangedWithin = (start: number, end: number): boolean => {
    const i = lastAtOrBefore(end - 1);
    if (i < 0) return false;
    // Rewrite i starts before end; it is inside when it also ends after start. Zero-length
    // rewrites (removed zero-width characters) count when they sit strictly inside.
    const ne = nEnd[i] as number;
    const ns = nStart[i] as number;
    return ne > start || (ne === ns && ns > start);
  };
  return { text: out, rewrites: nStart.length, toOriginalStart, toOriginalEnd, defangedWithin };
}
