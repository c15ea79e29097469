/**
 * The extractor: refang once, run each family's scanner over the refanged text, validate and
 * normalise candidates, drop what a containing indicator already covers (a domain inside a URL's
 * path), then map spans back to the original text and attach flags and context.
 */
import { attackFlags, attackType } from './attack.js';
import { buildAllowlist, type Allowlist } from './allowlist.js';
import { classifyBase58, classifyBech32, isCashAddr, isEthAddress, isToxId } from './crypto.js';
import { classifyHost, ipFlags, normaliseIPv4, normaliseIPv6, type HostVerdict } from './network.js';
import { FILE_EXTENSIONS, KEYWORD_PATTERNS as K, PATTERNS as P } from './patterns.js';
import { refang } from './refang.js';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { ExtractOptions, type ExtractOptionsInput, type ExtractOptionsResolved, type IocFlag, type IocMatch, type IocType } from './types.js';

interface Candidate {
  type: IocType;
  value: string;
  start: number;
  end: number;
  flags: IocFlag[];
  port?: number;
  cidr?: number;
  /** Emitted by a container for its own part (a URL's host): exempt from containment. */
  own?: boolean;
  /** Host and registrable domain (eTLD+1) of a domain or URL candidate, for the benign list. */
  host?: string;
  registrable?: string;
}

/** Types that a URL / email / path / registry-key span swallows when found inside it. */
const CONTAINED: ReadonlySet<IocType> = new Set<IocType>(['domain', 'onion', 'i2p', 'ipv4', 'ipv6', 'filename', 'email', 'xmpp', 'mac', 'asn', 'telegram', 'filepath']);
const CONTAINERS: ReadonlySet<IocType> = new Set<IocType>(['url', 'email', 'xmpp', 'filepath', 'registry-key', 'telegram', 'discord']);
/** Messenger links are reported once, as the handle (telegram / discord), not as URL + domain. */
const HANDLE_HOSTS: ReadonlySet<string> = new Set(['t.me', 'telegram.me', 'discord.gg', 'discord.com', 'discordapp.com', 'www.t.me', 'www.discord.gg', 'www.discord.com']);

/** File extensions that are also ccTLDs/gTLDs: `setup.py`, `clip.mov`, `config.sh`. */
const EXTENSION_TLDS: ReadonlySet<string> = new Set(['zip', 'mov', 'sh', 'py', 'pl', 'rs', 'md', 'so', 'ps', 'sc', 'bin', 'one', 'lock', 'go', 'ko', 'ini', 'cfg', 'exe', 'dll', 'mp4', 'lnk', 'txt', 'log', 'bat', 'php', 'pdf', 'doc', 'db', 'dat', 'key', 'env']);
const FILE_EXT_SET: ReadonlySet<string> = new Set(FILE_EXTENSIONS);
/** Left labels that make `x.y` a code attribute access rather than a host (`self.name`, `os.system`). */
const CODE_OBJECTS: ReadonlySet<string> = new Set([
  'self', 'this', 'os', 'sys', 'obj', 'req', 'res', 'args', 'kwargs', 'data', 'config', 'cfg', 'item', 'node', 'window',
  'document', 'console', 'math', 'json', 'np', 'pd', 'plt', 'torch', 'tf', 'str', 'list', 'dict', 'ctx', 'msg',
  'module', 'exports', 'process', 'string', 'file', 'path', 'logger', 'request', 'response', 'session', 'socket',
  'subprocess', 'shutil', 'base64', 'random', 'time', 'datetime', 're', 'http', 'urllib', 'user', 'event', 'e', 'err', 'result',
]);
const KNOWN_XMPP_HOSTS: ReadonlySet<string> = new Set([
  'jabber.ru', 'exploit.im', 'xmpp.jp', 'jabber.org', 'jabb.im', 'thesecure.biz', '404.city', 'dukgo.com', 'jabber.de',
  'jabber.cz', 'creep.im', 'xmpp.is', 'conversations.im', 'jabbim.com', 'draugr.de', '5222.de', 'sure.im', 'jabber.fr',
  'jabber.ccc.de', 'jabber.calyxinstitute.org', 'xmpp.ru', 'jabber.su', 'qip.ru', 'jabberes.org', 'yax.im', 'blah.im',
]);

function isUpper(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}
function isLower(ch: string | undefined): boolean {
  return ch !== undefined && ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}
function before(text: string, start: number, n: number): string {
  return text.slice(Math.max(0, start - n), start);
}
const CLAUSE_SEPARATORS = ',;|\n，；';
/** The text before `start` back to the previous list separator: the clause a keyword must be in. */
function clauseBefore(text: string, start: number, n: number): string {
  const b = before(text, start, n);
  for (let i = b.length - 1; i >= 0; i--) if (CLAUSE_SEPARATORS.includes(b[i] as string)) return b.slice(i + 1);
  return b;
}

const HOST_CACHE = new Map<string, HostVerdict | null>();
const HOST_CACHE_MAX = 50_000;

class Scan {
  readonly out: Candidate[] = [];
  constructor(
    readonly text: string,
    readonly defangedWithin: (start: number, end: number) => boolean,
  ) {}

  add(c: Candidate): void {
    this.out.push(c);
  }

  /** Host verdict (domain / onion / i2p) or null, memoised: forum text repeats the same hosts. */
  host(raw: string): HostVerdict | null {
    const cached = HOST_CACHE.get(raw);
    if (cached !== undefined) return cached;
    const verdict = classifyHost(raw);
    if (HOST_CACHE.size >= HOST_CACHE_MAX) HOST_CACHE.clear();
    HOST_CACHE.set(raw, verdict);
    return verdict;
  }

  urls(): void {
    const { text } = this;
    if (!text.includes('://')) return;
    const anchor = P.urlAnchor;
    const body = P.urlBody;
    anchor.lastIndex = 0;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      const colon = a.index;
      let s0 = colon;
      while (s0 > 0 && colon - s0 < 6 && isAsciiLetter(text.charCodeAt(s0 - 1))) s0--;
      const schemeMatch = P.urlScheme.exec(text.slice(s0, colon));
      if (schemeMatch === null) continue;
      const start = colon - schemeMatch[0].length;
      if (start > 0 && /[\w.+\-]/.test(text[start - 1] as string)) continue;
      // An IPv6 host is bracketed (`http://[2001:db8::1]:8080/`); brackets end the body otherwise.
      let bodyStart = colon + 3;
      if (text[bodyStart] === '[') {
        const close = text.indexOf(']', bodyStart);
        if (close < 0 || close - bodyStart > 46) continue;
        bodyStart = close + 1;
      }
      body.lastIndex = bodyStart;
      const bm = body.exec(text);
      const tailText = bm === null || bm.index !== bodyStart ? '' : bm[0];
      if (bodyStart === colon + 3 && tailText === '') continue;
      const written = trimUrl(text.slice(start, bodyStart) + tailText);
      let url = written;
      const schemeEnd = url.indexOf('://') + 3;
      const scheme = url.slice(0, schemeEnd - 3).toLowerCase();
      const rest = url.slice(schemeEnd);
      const hostEndRel = searchAny(rest, '/?#');
      let authority = rest.slice(0, hostEndRel);
      const at = authority.lastIndexOf('@');
      const authorityOffset = at >= 0 ? at + 1 : 0;
      authority = authority.slice(authorityOffset);
      let host = authority;
      let port: number | undefined;
      if (host.startsWith('[')) {
        const close = host.indexOf(']');
        if (close < 0) continue;
        const portText = host.slice(close + 2);
        if (host[close + 1] === ':' && /^\d{1,5}$/.test(portText)) port = Number(portText);
        host = host.slice(1, close);
      } else {
        const colon = host.lastIndexOf(':');
        if (colon >= 0) {
          const portText = host.slice(colon + 1);
          if (/^\d{1,5}$/.test(portText)) port = Number(portText);
          else if (portText !== '') continue;
          host = host.slice(0, colon);
        }
      }
      if (host === '' || (HANDLE_HOSTS.has(host.toLowerCase()) && /^[/][+\w]/.test(rest.slice(hostEndRel)))) continue;
      const hostStart = start + schemeEnd + authorityOffset + (authority.startsWith('[') ? 1 : 0);
      const hostEnd = hostStart + host.length;
      let normHost: string | null = null;
      let registrable: string | undefined;
      const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
      if (v4 !== null) {
        const ip = normaliseIPv4(v4[1] as string, v4[2] as string, v4[3] as string, v4[4] as string);
        if (ip !== null) {
          normHost = ip;
          this.add({ type: 'ipv4', value: ip, start: hostStart, end: hostEnd, flags: ipFlags(ip, 'ipv4'), own: true, ...(port === undefined ? {} : { port }) });
        }
      } else if (host.includes(':')) {
        const ip = normaliseIPv6(host);
        if (ip !== null) {
          normHost = `[${ip}]`;
          this.add({ type: 'ipv6', value: ip, start: hostStart, end: hostEnd, flags: ipFlags(ip, 'ipv6'), own: true, ...(port === undefined ? {} : { port }) });
        }
      } else {
        const verdict = this.host(host);
        if (verdict !== null) {
          normHost = verdict.value;
          registrable = verdict.registrable;
          this.add({ type: verdict.type, value: verdict.value, start: hostStart, end: hostEnd, flags: [], own: true, registrable: verdict.registrable });
        } else if (/^[a-z0-9.\-]+$/i.test(host)) {
          normHost = host.toLowerCase(); // localhost, intranet names: still a URL, no host entity
        }
      }
      if (normHost === null) continue;
      const tail = url.slice(schemeEnd + authorityOffset + authority.length);
      url = `${scheme}://${rest.slice(0, authorityOffset)}${normHost}${port === undefined ? '' : `:${port}`}${tail}`;
      this.add({
        type: 'url', value: url, start, end: start + written.length, flags: [],
        host: normHost, ...(registrable === undefined ? {} : { registrable }),
      });
      // The anchor scan continues inside this URL, so one nested in its query is found too.
    }
  }

  domains(): void {
    const { text } = this;
    const anchor = P.domainAnchor;
    anchor.lastIndex = 0;
    const n = text.length;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      // Maximal run of label characters, hyphens and dots around the anchor.
      let s0 = a.index;
      while (s0 > 0 && isHostChar(text.charCodeAt(s0 - 1))) s0--;
      let e = a.index + 2;
      while (e < n && isHostChar(text.charCodeAt(e))) e++;
      anchor.lastIndex = e;
      let start = s0;
      while (start < e && (text[start] === '.' || text[start] === '-')) start++;
      let end = e;
      while (end > start && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
      const before1 = text[s0 - 1];
      if (before1 === '_' || before1 === '@' || before1 === '/' || before1 === '\\' || text[e] === '_') continue;
      const raw = text.slice(start, end);
      if (!plausibleTld(raw.slice(raw.lastIndexOf('.') + 1))) continue;
      const labels = raw.split('.');
      if (!hostShaped(labels)) continue;
      const verdict = this.host(raw);
      if (verdict === null) continue;
      if (verdict.type === 'domain' && !this.defangedWithin(start, end) && this.looksLikeNonHost(labels, verdict, start, end)) continue;
      this.add({ type: verdict.type, value: verdict.value, start, end, flags: [], registrable: verdict.registrable });
    }
  }

  /** The false-positive traps for bare (not defanged, no scheme) domain-shaped tokens. */
  private looksLikeNonHost(labels: readonly string[], verdict: HostVerdict, start: number, end: number): boolean {
    const tldRaw = labels[labels.length - 1] ?? '';
    const prevLabel = labels[labels.length - 2] ?? '';
    // Sentence joined without a space: "done.Then", "работает.Пишите".
    if (isUpper(tldRaw[0]) && !isUpper(tldRaw[1]) && isLower(prevLabel[prevLabel.length - 1])) return true;
    // File names whose extension is also a TLD: setup.py, clip.mov, config.sh, archive.zip.
    if (labels.length === 2 && EXTENSION_TLDS.has(verdict.tld)) return true;
    // Code: self.name, os.system(...), obj.app = …
    if (labels.length === 2 && CODE_OBJECTS.has((labels[0] ?? '').toLowerCase())) return true;
    const next = this.text[end];
    if (next === '(' || (next === '=' && this.text[end + 1] !== '=')) return true;
    // BBCode quote attributions: [quote=user.name]
    if (K.quoteTag.test(before(this.text, start, 9))) return true;
    return false;
  }

  ats(): void {
    const { text } = this;
    if (!text.includes('@')) return;
    const re = P.at;
    const handleRe = P.handle;
    const n = text.length;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const atPos = m.index;
      // Host after the @ (email / XMPP): a maximal run of host characters, like the domain scanner.
      let e = atPos + 1;
      while (e < n && isHostChar(text.charCodeAt(e))) e++;
      while (e > atPos + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
      const hostRaw = text.slice(atPos + 1, e);
      const verdict = hostRaw.includes('.') && text[e] !== '_' && plausibleTld(hostRaw.slice(hostRaw.lastIndexOf('.') + 1)) &&
        hostShaped(hostRaw.split('.')) ? this.host(hostRaw) : null;
      if (verdict !== null) {
        // Local part, scanned backwards: RFC 5322 "atext" subset that forum addresses use.
        let s0 = atPos;
        while (s0 > 0 && atPos - s0 < 64 && isLocalPartChar(text.charCodeAt(s0 - 1))) s0--;
        while (s0 < atPos && (text[s0] === '.' || text[s0] === '-')) s0++;
        if (s0 === atPos) continue;
        const local = text.slice(s0, atPos);
        if (local.endsWith('.') || local.includes('..')) continue;
        const value = `${local}@${verdict.value}`.toLowerCase();
        const xmpp = text.slice(Math.max(0, s0 - 5), s0).toLowerCase() === 'xmpp:' || K.xmpp.test(clauseBefore(text, s0, 48)) ||
          KNOWN_XMPP_HOSTS.has(verdict.value) || verdict.value.startsWith('jabber.') || verdict.value.startsWith('xmpp.');
        this.add({ type: xmpp ? 'xmpp' : 'email', value, start: s0, end: e, flags: [] });
        continue;
      }
      // Otherwise a handle: @name, reported as Telegram when the clause names Telegram.
      const prev = text.charCodeAt(atPos - 1);
      if (isAsciiAlnum(prev) || prev === 95 || prev === 64 || prev === 46) continue;
      handleRe.lastIndex = atPos + 1;
      const h = handleRe.exec(text);
      if (h === null) continue;
      if (!K.telegram.test(clauseBefore(text, atPos, 48))) continue;
      this.add({ type: 'telegram', value: `@${h[0].toLowerCase()}`, start: atPos, end: atPos + 1 + h[0].length, flags: [] });
    }
  }

  /** Start of an optional `http(s)://` and `www.` before a link host starting at `hostStart`, or -1 if glued to a word. */
  private linkStart(hostStart: number): number {
    const { text } = this;
    let s0 = hostStart;
    if (text.slice(s0 - 4, s0).toLowerCase() === 'www.') s0 -= 4;
    const scheme = K.schemeBefore.exec(text.slice(Math.max(0, s0 - 8), s0));
    if (scheme !== null) s0 -= scheme[0].length;
    const prev = text.charCodeAt(s0 - 1);
    return isAsciiAlnum(prev) || prev === 95 || prev === 46 || prev === 45 ? -1 : s0;
  }

  handles(): void {
    const { text } = this;
    if (text.includes('.me/')) {
      const re = P.telegramLink;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const before8 = text.slice(Math.max(0, m.index - 8), m.index).toLowerCase();
        const nameLen = before8.endsWith('telegram') ? 8 : before8.endsWith('t') ? 1 : 0;
        if (nameLen === 0) continue;
        const start = this.linkStart(m.index - nameLen);
        if (start < 0) continue;
        const id = m[1] as string;
        const value = id.startsWith('+') ? `t.me/${id}` : id.toLowerCase().startsWith('joinchat/') ? `t.me/+${id.slice(9)}` : `@${id.toLowerCase()}`;
        this.add({ type: 'telegram', value, start, end: m.index + m[0].length, flags: [], own: true });
      }
    }
    if (text.includes('iscord')) {
      const re = P.discord;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const start = this.linkStart(m.index);
        if (start < 0) continue;
        this.add({ type: 'discord', value: `discord.gg/${m[1] as string}`, start, end: m.index + m[0].length, flags: [], own: true });
      }
    }
  }

  ipv4(): void {
    const { text } = this;
    const anchor = P.ipv4Anchor;
    const full = P.ipv4;
    anchor.lastIndex = 0;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      // The anchor is the dot after the first octet: scan its digits backwards.
      let start = a.index;
      while (start > 0 && a.index - start < 4 && isDigit(text.charCodeAt(start - 1))) start--;
      anchor.lastIndex = a.index + 1;
      const digits = a.index - start;
      if (digits === 0 || digits > 3) continue;
      const prev = text.charCodeAt(start - 1);
      if (isAsciiAlnum(prev) || prev === 95 || prev === 46 || prev === 45) continue; // v1.2.3.4, 1.2.3.4.5, a-1.2.3.4
      full.lastIndex = start;
      const m = full.exec(text);
      if (m === null) continue;
      anchor.lastIndex = start + m[0].length;
      const ip = normaliseIPv4(m[1] as string, m[2] as string, m[3] as string, m[4] as string);
      if (ip === null) continue;
      if (this.versionOrAgentBefore(start)) continue;
      const cidr = m[5] === undefined ? undefined : Number(m[5]);
      const port = m[6] === undefined ? undefined : Number(m[6]);
      if (cidr !== undefined && cidr > 32) continue;
      if (port !== undefined && (port === 0 || port > 65535)) continue;
      this.add({
        type: 'ipv4', value: cidr === undefined ? ip : `${ip}/${cidr}`, start, end: start + m[0].length,
        flags: ipFlags(ip, 'ipv4'), ...(cidr === undefined ? {} : { cidr }), ...(port === undefined ? {} : { port }),
      });
    }
  }

  /** "version 1.2.3.4", "v. 10.0.0.1", "Chrome/120.0.0.0": a version string, not an address. */
  private versionOrAgentBefore(start: number): boolean {
    const { text } = this;
    if (text[start - 1] === '/') return K.userAgent.test(before(text, start, 2));
    // The keyword must end right before the number (after blanks and one of : # =): cheap test first.
    let i = start - 1;
    while (i >= 0 && start - i <= 7 && ' \t:#='.includes(text[i] as string)) i--;
    const c = text.charCodeAt(i);
    const letter = isAsciiLetter(c) || (c >= 0x400 && c <= 0x4ff) || c === 0x672c || c === 0x2e;
    return letter && K.version.test(before(text, start, 24));
  }

  ipv6(): void {
    const { text } = this;
    const anchor = P.ipv6Anchor;
    anchor.lastIndex = 0;
    const n = text.length;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      let start = a.index;
      while (start > 0 && a.index - start < 45 && isIPv6Char(text.charCodeAt(start - 1))) start--;
      let e = a.index + 1;
      while (e < n && e - start < 45 && isIPv6Char(text.charCodeAt(e))) e++;
      anchor.lastIndex = e;
      if (start > 0 && /[\w:.]/.test(text[start - 1] as string)) continue;
      let cand = text.slice(start, e);
      while (cand.endsWith('.') || (cand.endsWith(':') && !cand.endsWith('::'))) cand = cand.slice(0, -1);
      let end = start + cand.length;
      let cidr: number | undefined;
      const cm = end === e ? /^\/(\d{1,3})(?!\d)/.exec(text.slice(e, e + 5)) : null;
      if (cm !== null) {
        cidr = Number(cm[1]);
        end += cm[0].length;
      }
      if (end < n && /\w/.test(text[end] as string)) continue;
      const ip = normaliseIPv6(cand);
      if (ip === null) continue;
      const hexDigits = cand.replace(/[^0-9a-fA-F]/g, '').length;
      if (hexDigits < 3 && ip !== '::1') continue; // A::B in C++ code, "a::b"
      if (!/\d/.test(cand) && nonEmptyGroups(cand) <= 2) continue; // dead::beef, Foo::Bar
      if (cidr !== undefined && cidr > 128) continue;
      let port: number | undefined;
      if (text[start - 1] === '[' && text[end] === ']') {
        const pm = /^\]:(\d{1,5})(?!\d)/.exec(text.slice(end, end + 8));
        if (pm !== null) port = Number(pm[1]);
      }
      this.add({
        type: 'ipv6', value: cidr === undefined ? ip : `${ip}/${cidr}`, start, end,
        flags: ipFlags(ip, 'ipv6'), ...(cidr === undefined ? {} : { cidr }), ...(port === undefined ? {} : { port }),
      });
    }
  }

  words(): void {
    const { text } = this;
    const re = P.word;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) this.word(m[0], m.index, m.index + m[0].length);
  }

  private word(w: string, start: number, end: number): void {
    const type = this.classifyWord(w, start);
    if (type === null) return;
    const text = this.text;
    const prefixed = type === 'bch' && text.slice(start - 12, start).toLowerCase() === 'bitcoincash:';
    this.add({ type, value: normaliseWord(type, w), start: prefixed ? start - 12 : start, end, flags: [] });
  }

  private classifyWord(w: string, start: number): IocType | null {
    const len = w.length;
    if (/^[0-9a-fA-F]+$/.test(w)) {
      if (len === 32 || len === 40 || len === 64 || len === 128) {
        if (distinct(w) < 6) return null;
        if (len === 40 && K.pgp.test(before(this.text, start, 48))) return 'pgp-fingerprint';
        return len === 32 ? 'md5' : len === 40 ? 'sha1' : len === 64 ? 'sha256' : 'sha512';
      }
      if (len === 76) return isToxId(w) ? 'tox' : null;
      if (len === 66 && w.startsWith('05')) return 'session';
      if (len === 70 && K.tlsh.test(before(this.text, start, 24))) return 'tlsh';
      return null;
    }
    if (len === 42 && (w[1] === 'x' || w[1] === 'X') && w[0] === '0') return isEthAddress(w) ? 'eth' : null;
    if (len === 72 && w.startsWith('T1') && /^[0-9A-Fa-f]+$/.test(w.slice(2))) return 'tlsh';
    const lower = w.toLowerCase();
    if (lower.startsWith('bc1') || lower.startsWith('ltc1')) return classifyBech32(w);
    if (len === 42 && (lower[0] === 'q' || lower[0] === 'p') && lower === w) return isCashAddr(w) ? 'bch' : null;
    if (/^[1-9A-HJ-NP-Za-km-z]+$/.test(w)) return classifyBase58(w);
    return null;
  }

  ssdeep(): void {
    const { text } = this;
    const anchor = P.ssdeepAnchor;
    const full = P.ssdeep;
    anchor.lastIndex = 0;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      // The anchor is the colon after the block size: scan its digits backwards.
      let start = a.index;
      while (start > 0 && a.index - start < 11 && isDigit(text.charCodeAt(start - 1))) start--;
      anchor.lastIndex = a.index + 1;
      if (start === a.index || a.index - start > 10) continue;
      const prev = text.charCodeAt(start - 1);
      if (isAsciiAlnum(prev) || prev === 95 || prev === 47 || prev === 43 || prev === 58) continue;
      full.lastIndex = start;
      const m = full.exec(text);
      if (m === null) continue;
      anchor.lastIndex = start + m[0].length;
      const next = text.charCodeAt(start + m[0].length);
      if (isAsciiAlnum(next) || next === 95 || next === 47 || next === 43 || next === 58) continue;
      const block = Number(m[1]);
      const c2 = m[3] as string;
      // Block sizes are 3·2^k; the second chunk is at most 32 characters.
      if (block < 3 || block % 3 !== 0 || ((block / 3) & (block / 3 - 1)) !== 0 || c2.length > 32) continue;
      this.add({ type: 'ssdeep', value: m[0], start, end: start + m[0].length, flags: [] });
    }
  }

  pgp(): void {
    const { text } = this;
    const anchor = P.pgpAnchor;
    const full = P.pgpSpaced;
    anchor.lastIndex = 0;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      const start = a.index - 4;
      if (start < 0 || (start > 0 && isAsciiAlnum(text.charCodeAt(start - 1)))) {
        anchor.lastIndex = a.index + 1;
        continue;
      }
      full.lastIndex = start;
      const m = full.exec(text);
      if (m === null) {
        anchor.lastIndex = a.index + 1;
        continue;
      }
      anchor.lastIndex = start + m[0].length;
      const hex = m[0].replace(/[^0-9A-Fa-f]/g, '');
      if (distinct(hex) < 6) continue;
      this.add({ type: 'pgp-fingerprint', value: hex.toUpperCase(), start, end: start + m[0].length, flags: [] });
    }
  }

  vulnsAndAttack(): void {
    const { text } = this;
    if (/cve/i.test(text)) {
      const re = P.cve;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const year = Number(m[1]);
        if (year < 1999 || year > 2035) continue;
        this.add({ type: 'cve', value: `CVE-${m[1] as string}-${m[2] as string}`, start: m.index, end: m.index + m[0].length, flags: [] });
      }
    }
    if (/cwe/i.test(text)) {
      const re = P.cwe;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        this.add({ type: 'cwe', value: `CWE-${Number(m[1])}`, start: m.index, end: m.index + m[0].length, flags: [] });
      }
    }
    const re = P.attack;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const id = m[0];
      this.add({ type: attackType(id), value: id, start: m.index, end: m.index + id.length, flags: attackFlags(id) });
    }
  }

  asnAndMac(): void {
    const { text } = this;
    if (text.includes('AS')) {
      const re = P.asn;
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const n = Number(m[1]);
        if (n === 0 || n > 4294967295) continue;
        const flags: IocFlag[] = [];
        if ((n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294)) flags.push('private');
        if (n === 23456 || n === 65535 || n === 4294967295 || (n >= 64496 && n <= 64511) || (n >= 65536 && n <= 65551)) flags.push('reserved');
        this.add({ type: 'asn', value: `AS${n}`, start: m.index, end: m.index + m[0].length, flags });
      }
    }
    const anchor = P.macAnchor;
    const full = P.mac;
    anchor.lastIndex = 0;
    for (let a = anchor.exec(text); a !== null; a = anchor.exec(text)) {
      // The anchor is the first separator: the address starts 2 (aa:bb) or 4 (aabb.ccdd) before it.
      const start = a.index - (text[a.index] === '.' ? 4 : 2);
      if (start < 0) continue;
      const prev = text[start - 1];
      anchor.lastIndex = a.index + 1;
      if (prev !== undefined && /[\w:\-.]/.test(prev)) continue;
      full.lastIndex = start;
      const m = full.exec(text);
      if (m === null) continue;
      anchor.lastIndex = start + m[0].length;
      const hex = m[0].replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
      if (/^\d+$/.test(hex) && m[0].includes('-')) continue; // dates and phone numbers: 12-05-20-21-…
      const value = hex.match(/../g)!.join(':');
      this.add({ type: 'mac', value, start, end: start + m[0].length, flags: [] });
    }
  }

  files(): void {
    const { text } = this;
    const fre = P.fileExtension;
    fre.lastIndex = 0;
    for (let m = fre.exec(text); m !== null; m = fre.exec(text)) {
      const dot = m.index;
      const end = dot + m[0].length;
      let start = dot;
      while (start > 0 && dot - start <= 200 && isFileChar(text.charCodeAt(start - 1))) start--;
      while (start < dot && text[start] === '.') start++;
      if (start === dot || dot - start > 200) continue;
      const prev = text[start - 1];
      if (prev !== undefined && '$%~/\\.'.includes(prev)) continue;
      const name = text.slice(start, end);
      const ext = m[0].slice(1).toLowerCase();
      if (!FILE_EXT_SET.has(ext)) continue;
      const stem = text.slice(start, dot);
      if (/^[\d.]+$/.test(stem)) continue; // "2.0.zip"-like numbers
      // A defanged dot marks a host (invoice[.]zip); a call marks code (response.json()).
      if (this.defangedWithin(start, end) || text[end] === '(') continue;
      this.add({ type: 'filename', value: name, start, end, flags: [] });
    }
    if (text.includes('\\')) {
      const wre = P.windowsPath;
      const pathEnd = new PathEnd(text, WINDOWS_PATH_STOPS);
      wre.lastIndex = 0;
      for (let m = wre.exec(text); m !== null; m = wre.exec(text)) {
        const prev = text.charCodeAt(m.index - 1);
        if (isAsciiAlnum(prev) || prev === 95 || prev === 92) continue;
        const path = withKnownName(text, m.index, trimPath(text.slice(m.index, pathEnd.from(m.index + m[0].length)), '\\'));
        wre.lastIndex = m.index + Math.max(path.length, m[0].length);
        if (path.length < 4) continue;
        this.add({ type: 'filepath', value: path, start: m.index, end: m.index + path.length, flags: [] });
      }
      if (text.includes('HK')) {
        const rre = P.registry;
        const keyEnd = new PathEnd(text, REGISTRY_STOPS);
        rre.lastIndex = 0;
        for (let m = rre.exec(text); m !== null; m = rre.exec(text)) {
          const prev = text.charCodeAt(m.index - 1);
          if (isAsciiAlnum(prev) || prev === 95 || prev === 92) continue;
          const keyStart = m.index + m[0].length - 1; // at the backslash after the hive
          const key = withKnownName(text, keyStart, trimPath(text.slice(keyStart, keyEnd.from(keyStart + 1)), '\\'));
          if (key.length < 2) continue;
          const hive = HIVES[m[1] as string] ?? (m[1] as string);
          rre.lastIndex = keyStart + key.length;
          this.add({ type: 'registry-key', value: `${hive}${key}`, start: m.index, end: keyStart + key.length, flags: [] });
        }
      }
    }
    if (text.includes('/')) {
      const ure = P.unixPath;
      ure.lastIndex = 0;
      for (let m = ure.exec(text); m !== null; m = ure.exec(text)) {
        const prev = text.charCodeAt(m.index - 1);
        if (isAsciiAlnum(prev) || prev === 95 || prev === 47 || prev === 46 || prev === 126 || prev === 58) continue;
        let e = m.index + m[0].length;
        while (e < text.length && e - m.index < MAX_PATH && isUnixPathChar(text.charCodeAt(e))) e++;
        const path = trimPath(text.slice(m.index, e), '/');
        ure.lastIndex = Math.max(e, ure.lastIndex);
        if (path.length <= m[0].length) continue; // a root alone ("/etc/") is not worth reporting
        this.add({ type: 'filepath', value: path, start: m.index, end: m.index + path.length, flags: [] });
      }
    }
  }
}

/**
 * Well-known Windows folder and registry key names containing spaces. A path's last component
 * stops at the first space (so prose after a path is not swallowed); these names are restored.
 */
const MULTI_WORD_NAMES: readonly string[] = [
  'Program Files (x86)', 'Program Files', 'Common Files', 'Windows Defender Security Center', 'Windows Defender',
  'Windows NT', 'Windows Error Reporting', 'Windows Script Host', 'Internet Explorer', 'Internet Settings',
  'Microsoft Office', 'Start Menu', 'User Data', 'Login Data', 'Web Data', 'Local Settings', 'Application Data',
  'Telegram Desktop', 'Terminal Server', 'Image File Execution Options', 'User Shell Folders', 'Shell Folders',
  'App Paths', 'Group Policy', 'Scheduled Tasks', 'Startup Items',
].map((n) => n.toLowerCase()).sort((a, b) => b.length - a.length);

/** Extends `value` (found at `start`) when its last component continues as a known multi-word name. */
function withKnownName(text: string, start: number, value: string): string {
  const end = start + value.length;
  if (text[end] !== ' ') return value;
  const last = value.slice(value.lastIndexOf('\\') + 1).toLowerCase();
  if (last === '') return value;
  const candidate = last + text.slice(end, end + 40).toLowerCase();
  for (const name of MULTI_WORD_NAMES) {
    if (name.length <= last.length || !candidate.startsWith(name)) continue;
    const next = text.charCodeAt(end + name.length - last.length);
    if (isAsciiAlnum(next) || next === 95) continue;
    return text.slice(start, end + name.length - last.length);
  }
  return value;
}

/** Longest path or key the scanners follow (keeps every match shorter than the stream overlap). */
const MAX_PATH = 3072;
/** Characters that end a Windows path: control and quoting characters, wildcards, list separators. */
const WINDOWS_PATH_STOPS = '\r\n\t"<>|*?:[],;，。、；';
const REGISTRY_STOPS = '\r\n\t"<>|[],;，。、；';

/**
 * Finds where a path starting at `from` ends: the next stop character, at most MAX_PATH on. The
 * stop found is remembered, so paths starting in the same stretch (`C:\a C:\b C:\c …`) do not
 * rescan it: total work stays linear in the text.
 */
class PathEnd {
  private stop = -1;
  private scanned = 0;
  constructor(private readonly text: string, private readonly stops: string) {}

  from(from: number): number {
    if (this.stop < from) {
      let e = Math.max(from, this.scanned);
      const { text, stops } = this;
      while (e < text.length && !stops.includes(text[e] as string)) e++;
      this.stop = e;
      this.scanned = e;
    }
    return Math.min(this.stop, from + MAX_PATH);
  }
}

/** Unix path characters: word characters and . - + @ % ~ / */
function isUnixPathChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95 || c === 46 || c === 45 || c === 43 || c === 64 || c === 37 || c === 126 || c === 47;
}

const HIVES: Readonly<Record<string, string>> = {
  HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER', HKCR: 'HKEY_CLASSES_ROOT', HKU: 'HKEY_USERS', HKCC: 'HKEY_CURRENT_CONFIG',
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** Email local-part characters forum addresses use: word characters, `.`, `+`, `%`, `-`. */
function isLocalPartChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95 || c === 46 || c === 43 || c === 37 || c === 45;
}
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || isAsciiLetter(c);
}
/** Domain label characters (ASCII, Latin-1/Extended, Greek, Cyrillic), hyphen and dot. */
function isHostChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 45 || c === 46 || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff);
}
function isIPv6Char(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}
/** File-name stem characters: word characters, hyphen, dot, Cyrillic. */
function isFileChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95 || c === 45 || c === 46 || (c >= 0x400 && c <= 0x4ff);
}
const TLD_MEMO = new Map<string, boolean>();

/** Is this (raw, any case, maybe Unicode) last label an ICANN TLD, `onion` or `i2p`? Memoised. */
function plausibleTld(tld: string): boolean {
  let ok = TLD_MEMO.get(tld);
  if (ok === undefined) {
    const lower = tld.toLowerCase();
    const ascii = /^[a-z0-9-]*$/.test(lower) ? lower : domainToASCII(`a.${lower}`).slice(2);
    ok = ascii === 'onion' || ascii === 'i2p' || (ascii !== '' && parseDomain(`a.${ascii}`, { extractHostname: false }).isIcann === true);
    if (TLD_MEMO.size >= 10_000) TLD_MEMO.clear();
    TLD_MEMO.set(tld, ok);
  }
  return ok;
}

/** Labels of 1-63 characters not starting or ending with a hyphen, 2-11 of them, TLD starting with a letter. */
function hostShaped(labels: readonly string[]): boolean {
  if (labels.length < 2 || labels.length > 11) return false;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63 || l.startsWith('-') || (l.endsWith('-'))) return false;
  }
  const tld = labels[labels.length - 1] as string;
  if (tld.startsWith('xn--')) return true;
  return tld.length >= 2 && !/^[0-9]/.test(tld) && !tld.includes('-');
}

function nonEmptyGroups(s: string): number {
  let n = 0;
  for (const g of s.split(':')) if (g !== '') n++;
  return n;
}

/** Number of distinct hex digits in a hex string (a bit mask: hot path, no allocation). */
function distinct(hex: string): number {
  let mask = 0;
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i) | 32;
    mask |= 1 << (c <= 57 ? c - 48 : c - 87);
  }
  let n = 0;
  for (; mask !== 0; mask >>>= 1) n += mask & 1;
  return n;
}

function searchAny(s: string, chars: string): number {
  for (let i = 0; i < s.length; i++) if (chars.includes(s[i] as string)) return i;
  return s.length;
}

/** Strips sentence punctuation and unbalanced closing brackets / Markdown emphasis from a URL's end. */
export function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const last = u[u.length - 1];
    if (last === undefined) return u;
    if ('.,;:!?\'"*_~'.includes(last)) u = u.slice(0, -1);
    else if (last === ')' && count(u, '(') < count(u, ')')) u = u.slice(0, -1);
    else return u;
  }
}

/**
 * Paths may contain spaces ("Program Files"), so a match can run on into prose. Cut it where a
 * new path or hive starts after whitespace, or where a file name is followed by a space; then
 * drop a last component that contains spaces (prose after the path) and trailing punctuation.
 */
function trimPath(p: string, sep: '\\' | '/'): string {
  let u = p;
  const restart = K.pathRestart.exec(u);
  if (restart !== null) u = u.slice(0, restart.index);
  const file = K.fileThenSpace.exec(u);
  if (file !== null) u = u.slice(0, file.index + file[0].length);
  const lastSep = u.lastIndexOf(sep);
  const space = K.spaceInLast.exec(u.slice(lastSep + 1));
  if (space !== null) u = u.slice(0, lastSep + 1 + space.index);
  while (u.length > 0 && '.,;:!?\'")*\\'.includes(u[u.length - 1] as string)) u = u.slice(0, -1);
  return u;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function normaliseWord(type: IocType, w: string): string {
  switch (type) {
    case 'md5': case 'sha1': case 'sha256': case 'sha512': case 'eth': case 'session': case 'tox':
      return w.toLowerCase();
    case 'tlsh': case 'pgp-fingerprint':
      return w.toUpperCase();
    case 'bch':
      return `bitcoincash:${w.toLowerCase()}`;
    default:
      return type === 'btc' || type === 'ltc' ? (w.toLowerCase().startsWith('bc1') || w.toLowerCase().startsWith('ltc1') ? w.toLowerCase() : w) : w;
  }
}

/**
 * Drops candidates lying inside a container span (a URL, an email, a path) unless they are its
 * own part (a URL's host). Linear after sorting: containers nested in a larger container are
 * found with one running maximum, everything else with a binary search over merged intervals.
 */
function suppressContained(cands: Candidate[]): Candidate[] {
  const containers: Candidate[] = [];
  for (const c of cands) if (CONTAINERS.has(c.type)) containers.push(c);
  if (containers.length === 0) return cands;
  containers.sort((a, b) => a.start - b.start || b.end - a.end);
  const nested = new Set<Candidate>();
  const starts: number[] = [];
  const ends: number[] = [];
  let maxStart = -1;
  let maxEnd = -1;
  for (const c of containers) {
    if (c.end <= maxEnd && !(c.start === maxStart && c.end === maxEnd)) nested.add(c);
    if (c.start < maxEnd) {
      if (c.end > maxEnd) ends[ends.length - 1] = c.end;
    } else {
      starts.push(c.start);
      ends.push(c.end);
    }
    if (c.end > maxEnd) {
      maxEnd = c.end;
      maxStart = c.start;
    }
  }
  const out: Candidate[] = [];
  for (const c of cands) {
    if (c.own === true || !CONTAINED.has(c.type)) {
      out.push(c);
      continue;
    }
    if (CONTAINERS.has(c.type)) {
      if (!nested.has(c)) out.push(c);
      continue;
    }
    let lo = 0;
    let hi = starts.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) <= c.start) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (idx < 0 || c.end > (ends[idx] as number)) out.push(c);
  }
  return out;
}

export interface Extractor {
  extract(text: string): IocMatch[];
}

const ALL_SCANNERS = ['urls', 'domains', 'ats', 'handles', 'ipv4', 'ipv6', 'words', 'ssdeep', 'pgp', 'vulnsAndAttack', 'asnAndMac', 'files'] as const;

/** Builds an extractor with resolved options and allowlists (reuse it: building parses options). */
export function createExtractor(input: ExtractOptionsInput = {}): Extractor {
  const options: ExtractOptionsResolved = ExtractOptions.parse(input);
  const allow: Allowlist = buildAllowlist(options);
  const typeSet = options.types === undefined ? null : new Set<IocType>(options.types);
  // Every scanner runs even when `types` is narrower: containers must swallow what they contain.
  const dropFlags = new Set(options.dropFlags);
  return {
    extract(text: string): IocMatch[] {
      const r = refang(text);
      const scan = new Scan(r.text, r.defangedWithin);
      for (const name of ALL_SCANNERS) scan[name]();
      const kept = suppressContained(scan.out);
      kept.sort(byPosition);
      const result: IocMatch[] = [];
      let prev: Candidate | undefined;
      for (const c of kept) {
        if (typeSet !== null && !typeSet.has(c.type)) continue;
        // Sorted by start, end, type: a duplicate (same type and span) is adjacent.
        if (prev !== undefined && prev.start === c.start && prev.end === c.end && prev.type === c.type) continue;
        prev = c;
        const flags = addAllowFlags(c, allow);
        if (dropFlags.size > 0 && flags.some((f) => dropFlags.has(f))) continue;
        const start = r.toOriginalStart(c.start);
        const end = r.toOriginalEnd(c.end);
        const match: { -readonly [K in keyof IocMatch]: IocMatch[K] } = {
          type: c.type, value: c.value, start, end,
          defanged: r.rewrites > 0 && r.defangedWithin(c.start, c.end),
          context: contextOf(text, start, end, options.contextChars),
          flags,
        };
        if (c.port !== undefined) match.port = c.port;
        if (c.cidr !== undefined) match.cidr = c.cidr;
        result.push(match);
      }
      return result;
    },
  };
}

function byPosition(a: Candidate, b: Candidate): number {
  return a.start - b.start || b.end - a.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}

function addFlag(flags: IocFlag[], f: IocFlag): void {
  if (!flags.includes(f)) flags.push(f);
}

function addAllowFlags(c: Candidate, allow: Allowlist): IocFlag[] {
  const flags = c.flags;
  if (allow.isAllowedValue(c.value)) addFlag(flags, 'allowlisted');
  if (c.type === 'domain' || c.type === 'url' || c.type === 'email') {
    const host = c.host ?? hostOf(c);
    if (host === null) return flags;
    const hf = hostFlags(host, c.registrable, allow);
    if (c.type !== 'email' && hf.benign) addFlag(flags, 'benign');
    if (hf.reserved) addFlag(flags, 'reserved');
    if (hf.allowed) addFlag(flags, 'allowlisted');
  } else if (c.type === 'ipv4' || c.type === 'ipv6') {
    const ip = c.cidr === undefined ? c.value : c.value.slice(0, c.value.lastIndexOf('/'));
    if (allow.isAllowedIp(ip)) addFlag(flags, 'allowlisted');
  }
  return flags;
}

interface HostFlags { benign: boolean; reserved: boolean; allowed: boolean }

/** Per-host allowlist verdicts, memoised per allowlist (hosts repeat across a corpus). */
const HOST_FLAGS = new WeakMap<Allowlist, Map<string, HostFlags>>();
function hostFlags(host: string, registrableHint: string | undefined, allow: Allowlist): HostFlags {
  let memo = HOST_FLAGS.get(allow);
  if (memo === undefined) {
    memo = new Map();
    HOST_FLAGS.set(allow, memo);
  }
  let f = memo.get(host);
  if (f === undefined) {
    const registrable = registrableHint ?? classifyHost(host)?.registrable ?? host;
    f = { benign: allow.isBenignDomain(registrable, host), reserved: isReservedDomain(registrable, host), allowed: allow.isAllowedDomain(host) };
    if (memo.size >= 50_000) memo.clear();
    memo.set(host, f);
  }
  return f;
}

/** RFC 2606 / 6761 names: example.*, .test, .invalid, .localhost. */
function isReservedDomain(registrable: string, host: string): boolean {
  return registrable === 'example.com' || registrable === 'example.org' || registrable === 'example.net' ||
    host.endsWith('.test') || host.endsWith('.invalid') || host.endsWith('.localhost');
}

function hostOf(c: Candidate): string | null {
  if (c.type === 'domain') return c.value;
  if (c.type === 'email') return c.value.slice(c.value.lastIndexOf('@') + 1);
  const m = /^[a-z0-9+.\-]+:\/\/(?:[^@/?#]*@)?([^/:?#\[\]]+)/.exec(c.value);
  return m?.[1] ?? null;
}

/** The original text around a match, as written (line breaks kept), trimmed at both ends. */
function contextOf(text: string, start: number, end: number, chars: number): string {
  if (chars === 0) return '';
  const s = Math.max(0, start - chars);
  const e = Math.min(text.length, end + chars);
  const snippet = text.slice(s, e).trim();
  return snippet.length > 2000 ? snippet.slice(0, 2000) : snippet;
}

const defaultExtractor = createExtractor();

/** Extracts indicators from one text with default options. */
export function extractIocs(text: string, options?: ExtractOptionsInput): IocMatch[] {
  return (options === undefined ? defaultExtractor : createExtractor(options)).extract(text);
}
