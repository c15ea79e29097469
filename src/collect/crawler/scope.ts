/**
 * URL normalisation and scope rules. Normalising (no fragment, sorted query, session ids
 * dropped, default ports removed) is what makes cycle detection by URL work: the same page
 * reached two ways is one frontier row.
 */
export interface ScopeRules {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly stripParams: readonly string[];
  readonly maxUrlLength: number;
}

export function normaliseUrl(raw: string, stripParams: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) url.port = '';
  const strip = new Set(stripParams.map((p) => p.toLowerCase()));
  const params = [...url.searchParams].filter(([k]) => !strip.has(k.toLowerCase()));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;
  return url.href;
}

export type ScopeVerdict = 'ok' | 'out-of-scope' | 'trap';

export function checkScope(url: string, rules: ScopeRules): ScopeVerdict {
  if (url.length > rules.maxUrlLength) return 'trap';
  if (!rules.include.some((prefix) => url.startsWith(prefix))) return 'out-of-scope';
  const lower = url.toLowerCase();
  if (rules.exclude.some((s) => lower.includes(s.toLowerCase()))) return 'out-of-scope';
  // Calendar/session traps grow paths by repeating a segment: /a/b/a/b/a/b/…
  const segments = new URL(url).pathname.split('/').filter((s) => s !== '');
  const counts = new Map<string, number>();
  for (const s of segments) {
    const n = (counts.get(s) ?? 0) + 1;
    if (n > 3) return 'trap';
    counts.set(s, n);
  }
  if (segments.length > 24) return 'trap';
  return 'ok';
}

/** The default include prefix: the start URL's directory (a forum under /forum/ stays there). */
export function defaultInclude(startUrl: string): string {
  const u = new URL(startUrl);
  u.search = '';
  u.hash = '';
  return u.href.slice(0, u.href.lastIndexOf('/') + 1);
}
