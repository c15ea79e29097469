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
 * One alternation whose branches each start with a literal or a narrow class (`[`, `(`, `{`, `:`,
 * h, f, full-width dots, zero-width characters), so the scan stays linear and fast; the
 * look-behinds sit after the first character. Whitespace around bracketed markers
 * (`evil [.] com`) and one line break after a dot marker (`evil[.]\ncom`) are absorbed in code.
 */
export const DEFANG_RE =
  /\[(?:\.|[dD][oO][tT]|\s[dD][oO][tT]\s|[aA][tT]|\s[aA][tT]\s|@|:|:\/\/|\/|точка|собака|点)\]|\((?:\.|[dD][oO][tT]|[aA][tT]|@|:|точка|собака|点)\)|\{(?:\.|[dD][oO][tT]|[aA][tT]|@)\}|:\[\/\/\]|[hH](?<![\w][hH])(?:xx|XX|\*\*|__|xX|Xx)[pP](?=[sS]?(?::|\[:))|[fF](?<![\w][fF])[xX][pP](?=:|\[:)|[．。](?<=[A-Za-z0-9][．。])(?=[A-Za-z0-9])|[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

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

const REPLACEMENTS = new Map<string, string>();

/** Memoised: the set of distinct markers is small. */
function replacementFor(marker: string): string {
  let rep = REPLACEMENTS.get(marker);
  if (rep === undefined) {
    rep = computeReplacement(marker);
    if (REPLACEMENTS.size < 1000) REPLACEMENTS.set(marker, rep);
  }
  return rep;
}

function computeReplacement(marker: string): string {
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

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
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
    let from = m.index;
    let to = m.index + marker.length;
    const bracketed = marker.length > 2 && (rep === '.' || rep === '@');
    if (bracketed) {
      // `evil [.] com`, `user [at] host`: up to two blanks each side belong to the marker.
      while (from > last && m.index - from < 2 && isBlank(text.charCodeAt(from - 1))) from--;
      while (to - (m.index + marker.length) < 2 && isBlank(text.charCodeAt(to))) to++;
      // `evil[.]\ncom`: an indicator split after a dot marker continues on the next line.
      if (rep === '.') {
        if (text.charCodeAt(to) === 13 && text.charCodeAt(to + 1) === 10) to += 2;
        else if (text.charCodeAt(to) === 10) to += 1;
      }
    }
    out += text.slice(last, from) + rep;
    const ns = from + shift;
    nStart.push(ns);
    nEnd.push(ns + rep.length);
    oStart.push(from);
    oEnd.push(to);
    shift += rep.length - (to - from);
    last = to;
    DEFANG_RE.lastIndex = to;
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
