import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';

/**
 * A per-site cookie jar. Sites are crawled one at a time within their own scope, so domain and
 * path matching are reduced to "this site"; expiry is honoured.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; expires: number | undefined }>();

  setFromHeader(header: string): void {
    const [pair = '', ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let expires: number | undefined;
    for (const attr of attrs) {
      const [k = '', v = ''] = attr.split('=');
      const key = k.trim().toLowerCase();
      if (key === 'max-age') expires = Date.now() + Number(v) * 1000;
      else if (key === 'expires' && expires === undefined) {
        const t = Date.parse(v.trim());
        if (!Number.isNaN(t)) expires = t;
      }
    }
    if (expires !== undefined && expires <= Date.now()) this.cookies.delete(name);
    else this.cookies.set(name, { value, expires });
  }

  set(name: string, value: string): void {
    this.cookies.set(name, { value, expires: undefined });
  }

  header(): string | undefined {
    const now = Date.now();
    const parts: string[] = [];
    for (const [name, c] of this.cookies) {
      if (c.expires !== undefined && c.expires <= now) continue;
      parts.push(`${name}=${c.value}`);
    }
    return parts.length === 0 ? undefined : parts.join('; ');
  }

  get size(): number {
    return this.cookies.size;
  }

  clear(): void {
    this.cookies.clear();
  }

  /**
   * Imports a browser export: Netscape cookies.txt (tab-separated, as written by curl and
   * browser extensions) or JSON (an array of {name, value} or an object of name → value).
   */
  static fromFile(path: string): CookieJar {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new InputError(path, `cannot read cookie jar: ${err instanceof Error ? err.message : String(err)}`);
    }
    const jar = new CookieJar();
    const trimmed = text.trim();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      let data: unknown;
      try {
        data = JSON.parse(trimmed);
      } catch (err) {
        throw new InputError(path, `cookie jar is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (Array.isArray(data)) {
        for (const c of data) {
          if (typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string' && typeof (c as { value?: unknown }).value === 'string') {
            jar.set((c as { name: string }).name, (c as { value: string }).value);
          }
        }
      } else if (typeof data === 'object' && data !== null) {
        for (const [k, v] of Object.entries(data)) if (typeof v === 'string') jar.set(k, v);
      }
    } else {
      for (const line of text.split('\n')) {
        const clean = line.startsWith('#HttpOnly_') ? line.slice(10) : line;
        if (clean.startsWith('#') || clean.trim() === '') continue;
        const cols = clean.replace(/\r$/, '').split('\t');
        if (cols.length >= 7) jar.set(cols[5]!, cols[6]!);
      }
    }
    if (jar.size === 0) throw new InputError(path, 'cookie jar holds no cookies (expected Netscape cookies.txt or JSON)');
    return jar;
  }
}
