import tls from 'node:tls';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { SocksClient } from 'socks';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { CookieJar } from './cookies.js';
import { bareHost, checkLiteral, guardedLookup, SsrfError } from './ssrf.js';

/**
 * The crawler's HTTP client (undici). One per site: it owns the connection pool, the proxy
 * route (direct, HTTP(S) proxy or SOCKS5 with remote DNS), the SSRF guard, size caps and manual
 * redirect handling (each hop is checked against scope and the guard).
 */
export type ErrorKind =
  | 'timeout'
  | 'network'
  | 'proxy'
  | 'http-4xx'
  | 'http-5xx'
  | 'rate-limited'
  | 'body-too-large'
  | 'decompression-bomb'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'ssrf-blocked'
  | 'robots-disallowed'
  | 'out-of-scope'
  | 'login-required'
  | 'login-failed'
  | 'profile-mismatch'
  | 'trap'
  | 'invalid-record';

export class FetchError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface HttpClientOptions {
  readonly proxy?: string | undefined;
  readonly allowPrivateAddresses: boolean;
  readonly userAgent: string;
  readonly maxBodyBytes: number;
  readonly maxDecompressedBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly connections: number;
  /** Called on every redirect hop; return false to refuse it (scope rules). */
  readonly allowRedirect?: (url: string) => boolean;
}

export interface FetchOptions {
  readonly method?: 'GET' | 'POST';
  readonly form?: [string, string][];
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly jar?: CookieJar | undefined;
  readonly referer?: string | undefined;
}

export interface FetchResult {
  readonly url: string;
  readonly status: number;
  readonly body: string;
  readonly bytes: number;
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
  readonly notModified: boolean;
  readonly redirects: number;
}

function socksConnector(proxy: URL, timeoutMs: number) {
  const port = Number(proxy.port || 1080);
  const host = bareHost(proxy.hostname);
  return (opts: { hostname: string; port: string; protocol: string; servername?: string }, callback: (...args: [null, import('node:net').Socket] | [Error, null]) => void): void => {
    const https = opts.protocol === 'https:';
    SocksClient.createConnection({
      proxy: { host, port, type: 5 },
      command: 'connect',
      // The hostname goes to the proxy as-is (ATYP domain): the proxy resolves it (socks5h).
      destination: { host: bareHost(opts.hostname), port: Number(opts.port) || (https ? 443 : 80) },
      timeout: timeoutMs,
    })
      .then(({ socket }) => {
        if (!https) return callback(null, socket);
        const secure = tls.connect({ socket, servername: opts.servername ?? bareHost(opts.hostname) });
        secure.once('secureConnect', () => callback(null, secure));
        secure.once('error', (err) => callback(err, null));
      })
      .catch((err: unknown) => callback(new FetchError('proxy', `SOCKS proxy ${proxy.host}: ${err instanceof Error ? err.message : String(err)}`, true), null));
  };
}

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly viaSocks: boolean;
  private readonly viaProxy: boolean;

  constructor(private readonly options: HttpClientOptions) {
    const proxy = options.proxy === undefined ? undefined : new URL(options.proxy);
    this.viaSocks = proxy !== undefined && /^socks5h?:$/.test(proxy.protocol);
    this.viaProxy = proxy !== undefined;
    const common = { connections: options.connections, pipelining: 1, keepAliveTimeout: 10_000, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
    if (proxy === undefined) {
      this.dispatcher = new Agent({ ...common, connect: { lookup: guardedLookup(options.allowPrivateAddresses) as never, timeout: options.timeoutMs } });
    } else if (this.viaSocks) {
      this.dispatcher = new Agent({ ...common, connect: socksConnector(proxy, options.timeoutMs) });
    } else {
      this.dispatcher = new ProxyAgent({ uri: proxy.href, ...common });
    }
  }

  async fetch(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
    let current = url;
    let method = opts.method ?? 'GET';
    let form = opts.form;
    const seen = new Set<string>([current]);
    for (let hop = 0; ; hop++) {
      const result = await this.once(current, method, form, opts);
      if (result.location === undefined) return { ...result.result, redirects: hop };
      if (hop >= this.options.maxRedirects) throw new FetchError('too-many-redirects', `more than ${this.options.maxRedirects} redirects from ${url}`, false);
      const next = new URL(result.location, current).href;
      if (seen.has(next)) throw new FetchError('redirect-loop', `redirect loop: ${current} → ${next}`, false);
      if (this.options.allowRedirect !== undefined && !this.options.allowRedirect(next)) throw new FetchError('out-of-scope', `redirect to ${next} leaves the crawl scope`, false);
      seen.add(next);
      current = next;
      // 303 (and, by browser convention, 301/302 after POST) turn into GET.
      if (method === 'POST' && result.status !== 307 && result.status !== 308) {
        method = 'GET';
        form = undefined;
      }
    }
  }

  private async once(
    url: string,
    method: 'GET' | 'POST',
    form: [string, string][] | undefined,
    opts: FetchOptions,
  ): Promise<{ location?: string; status: number; result: Omit<FetchResult, 'redirects'> }> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new FetchError('out-of-scope', `unsupported scheme ${target.protocol} in ${url}`, false);
    const host = bareHost(target.hostname);
    if (host.endsWith('.onion') && !this.viaSocks) throw new FetchError('proxy', `${host}: .onion sites are only reached through a SOCKS5 proxy (network.proxy: socks5h://127.0.0.1:9050)`, false);
    try {
      checkLiteral(host, this.options.allowPrivateAddresses || this.viaProxy);
    } catch (err) {
      throw new FetchError('ssrf-blocked', (err as Error).message, false);
    }
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'en;q=0.8, *;q=0.5',
    };
    const cookie = opts.jar?.header();
    if (cookie !== undefined) headers.cookie = cookie;
    if (opts.referer !== undefined) headers.referer = opts.referer;
    if (method === 'GET' && opts.etag !== undefined) headers['if-none-match'] = opts.etag;
    if (method === 'GET' && opts.lastModified !== undefined) headers['if-modified-since'] = opts.lastModified;
    let body: string | undefined;
    if (form !== undefined) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const abort = new AbortController();
    // Total-time cap: undici's own timeouts are per-phase, and a server dripping one byte a
    // second would never trip an idle timeout.
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({ origin: target.origin, path: target.pathname + target.search, method, headers, body, signal: abort.signal });
    } catch (err) {
      clearTimeout(timer);
      throw this.classify(err, url, abort.signal.aborted);
    }
    try {
      const status = response.statusCode;
      for (const sc of toArray(response.headers['set-cookie'])) opts.jar?.setFromHeader(sc);
      const location = firstHeader(response.headers.location);
      if (status >= 300 && status < 400 && status !== 304 && location !== undefined) {
        await response.body.dump();
        return { location, status, result: emptyResult(url, status) };
      }
      const declared = Number(firstHeader(response.headers['content-length']) ?? NaN);
      if (declared > this.options.maxBodyBytes) {
        response.body.destroy();
        throw new FetchError('body-too-large', `${url}: Content-Length ${declared} exceeds the ${this.options.maxBodyBytes}-byte page cap`, false, status);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.options.maxBodyBytes) {
          response.body.destroy();
          throw new FetchError('body-too-large', `${url}: body exceeds the ${this.options.maxBodyBytes}-byte page cap`, false, status);
        }
        chunks.push(chunk as Buffer);
      }
      const raw = Buffer.concat(chunks);
      const decoded = this.decompress(raw, firstHeader(response.headers['content-encoding']), url);
      const text = decodeText(decoded, firstHeader(response.headers['content-type']));
      const result = {
        url,
        status,
        body: text,
        bytes: raw.length,
        etag: firstHeader(response.headers.etag),
        lastModified: firstHeader(response.headers['last-modified']),
        notModified: status === 304,
      };
      if (status === 429 || status === 503) {
        const retryAfterMs = parseRetryAfter(firstHeader(response.headers['retry-after']));
        throw new FetchError(status === 429 ? 'rate-limited' : 'http-5xx', `${url}: HTTP ${status}`, true, status, retryAfterMs);
      }
      if (status >= 500) throw new FetchError('http-5xx', `${url}: HTTP ${status}`, true, status);
      return { status, result };
    } catch (err) {
      if (err instanceof FetchError) throw err;
      throw this.classify(err, url, abort.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  private decompress(raw: Buffer, encoding: string | undefined, url: string): Buffer {
    const enc = (encoding ?? 'identity').trim().toLowerCase();
    if (enc === 'identity' || enc === '') return raw;
    const opts = { maxOutputLength: this.options.maxDecompressedBytes };
    try {
      if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, opts);
      if (enc === 'deflate') return inflateSync(raw, opts);
      if (enc === 'br') return brotliDecompressSync(raw, opts);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new FetchError('decompression-bomb', `${url}: decompressed body exceeds the ${this.options.maxDecompressedBytes}-byte cap (${raw.length} bytes compressed)`, false);
      }
      throw new FetchError('network', `${url}: cannot decode ${enc} body: ${(err as Error).message}`, true);
    }
    throw new FetchError('network', `${url}: unsupported content-encoding ${enc}`, false);
  }

  private classify(err: unknown, url: string, aborted: boolean): FetchError {
    if (err instanceof FetchError) return err;
    const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
    const cause = (e.cause ?? err) as { code?: string; message?: string } | undefined;
    if (err instanceof SsrfError || cause instanceof SsrfError || e.code === 'ESSRF' || cause?.code === 'ESSRF') {
      return new FetchError('ssrf-blocked', (cause instanceof SsrfError ? cause : (err as Error)).message, false);
    }
    if (aborted || e.name === 'AbortError' || /timeout/i.test(e.code ?? '') || /Timeout/.test(e.name ?? '')) {
      return new FetchError('timeout', `${url}: no complete response within ${this.options.timeoutMs} ms`, true);
    }
    if (cause instanceof FetchError) return cause;
    return new FetchError(this.viaProxy && /socks|proxy/i.test(e.message ?? '') ? 'proxy' : 'network', `${url}: ${e.message ?? String(err)}`, true);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function emptyResult(url: string, status: number): Omit<FetchResult, 'redirects'> {
  return { url, status, body: '', bytes: 0, etag: undefined, lastModified: undefined, notModified: false };
}

function toArray(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">` in the head, by plain scanning. */
function metaCharset(head: string): string | undefined {
  for (let at = head.indexOf('<meta'); at !== -1; at = head.indexOf('<meta', at + 5)) {
    const end = head.indexOf('>', at);
    const tag = head.slice(at, end === -1 ? head.length : end);
    const c = tag.indexOf('charset=');
    if (c === -1) continue;
    let i = c + 8;
    if (tag[i] === '"' || tag[i] === "'") i++;
    let label = '';
    while (i < tag.length && label.length < 40 && /[\w-]/.test(tag[i]!)) label += tag[i++];
    if (label !== '') return label;
  }
  return undefined;
}

/** Decode with the declared charset (windows-1251 and GBK are common on ru/zh boards). */
function decodeText(buf: Buffer, contentType: string | undefined): string {
  let label = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  label ??= metaCharset(buf.subarray(0, 2048).toString('latin1').toLowerCase());
  try {
    return new TextDecoder(label ?? 'utf-8').decode(buf);
  } catch {
    return new TextDecoder('utf-8').decode(buf);
  }
}
