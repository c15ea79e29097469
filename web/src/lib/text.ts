/**
 * Forum text is hostile. The dashboard never turns it into markup: it cuts the text into plain
 * segments at the ranges the API sends (search highlights, entity spans, attention tokens) and
 * React renders each segment as a text node. These helpers are pure so they are unit-tested.
 */
export interface Segment {
  text: string;
  /** Index into the ranges that covers this segment, or -1 for plain text. */
  mark: number;
}

export interface Range {
  start: number;
  end: number;
}

/**
 * Splits `text` at the given ranges. Ranges are clamped to the text, sorted, and an overlapping
 * range loses to the earlier one (the text itself is never altered or repeated).
 */
export function segments(text: string, ranges: readonly Range[]): Segment[] {
  const order = ranges
    .map((r, i) => ({ start: Math.max(0, Math.min(text.length, Math.floor(r.start))), end: Math.max(0, Math.min(text.length, Math.floor(r.end))), i }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const r of order) {
    if (r.start < at) continue;
    if (r.start > at) out.push({ text: text.slice(at, r.start), mark: -1 });
    out.push({ text: text.slice(r.start, r.end), mark: r.i });
    at = r.end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), mark: -1 });
  return out;
}

/**
 * An href for a link taken from forum data, or null when it must not be clickable: only absolute
 * http(s) URLs without credentials pass, so javascript:, data:, vbscript:, file:, protocol-relative
 * and obfuscated forms (entities, control characters, whitespace tricks) are all refused.
 */
export function safeHref(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return null;
  // Browsers strip these before parsing a scheme, which is how "java\tscript:" works; refuse them.
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0x200b || c === 0xfeff) return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/**
 * Ranges where the exploit model's evidence tokens occur in the text (case-insensitive, whole
 * words where the token starts/ends with a word character). Linear: one indexOf scan per token.
 */
export function attentionRanges(text: string, evidence: readonly { token: string; weight: number }[], maxTokens = 12): (Range & { weight: number })[] {
  const lower = text.toLowerCase();
  const top = [...evidence].filter((e) => e.token.trim().length >= 2).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, maxTokens);
  const max = Math.max(1e-9, ...top.map((e) => Math.abs(e.weight)));
  const word = /[\p{L}\p{N}_]/u;
  const out: (Range & { weight: number })[] = [];
  for (const e of top) {
    const token = e.token.toLowerCase();
    let from = 0;
    let hits = 0;
    while (hits < 50) {
      const i = lower.indexOf(token, from);
      if (i === -1) break;
      const before = lower[i - 1];
      const after = lower[i + token.length];
      const boundedStart = !word.test(token[0] ?? '') || before === undefined || !word.test(before);
      const boundedEnd = !word.test(token[token.length - 1] ?? '') || after === undefined || !word.test(after);
      if (boundedStart && boundedEnd) {
        out.push({ start: i, end: i + token.length, weight: Math.abs(e.weight) / max });
        hits++;
      }
      from = i + token.length;
    }
  }
  return out;
}

/** A compact number for tables and cards (12 345 → "12.3k"). */
export function compact(n: number): string {
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return withCommas(n);
}

/**
 * 1234 → "1,234" without toLocaleString: the first toLocaleString call loads the locale's
 * number data, which cost tens of milliseconds of the Overview's first render.
 */
function withCommas(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** A date for display: "2024-03-01 10:00 UTC", or a dash. */
export function when(iso: string | null | undefined): string {
  if (iso == null) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
