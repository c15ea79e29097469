/**
 * Network indicator validation and normalisation: IPv4/IPv6 classification (private, reserved,
 * loopback, multicast — flagged, never dropped), domains against the public-suffix list (tldts),
 * IDN to punycode, Tor v2/v3 and I2P names.
 */
import { BlockList, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { base32 } from '@scure/base';
import { sha3_256 } from '@noble/hashes/sha3.js';
import type { IocFlag, IocType } from './types.js';

function blockList(entries: readonly [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of entries) list.addSubnet(net, prefix, family);
  return list;
}

const PRIVATE = blockList([
  ['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);
const LOOPBACK = blockList([['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]);
const MULTICAST = blockList([['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']]);
const RESERVED = blockList([
  ['0.0.0.0', 8, 'ipv4'], ['169.254.0.0', 16, 'ipv4'], ['192.0.0.0', 24, 'ipv4'], ['192.0.2.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], ['198.51.100.0', 24, 'ipv4'], ['203.0.113.0', 24, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'], ['fe80::', 10, 'ipv6'], ['2001:db8::', 32, 'ipv6'], ['100::', 64, 'ipv6'],
]);

/** IPv4 special ranges as [network, prefix, flag]; checked numerically (BlockList is slow per call). */
const V4_RANGES: readonly [number, number, IocFlag][] = [
  ['10.0.0.0', 8, 'private'], ['172.16.0.0', 12, 'private'], ['192.168.0.0', 16, 'private'], ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'], ['224.0.0.0', 4, 'multicast'],
  ['0.0.0.0', 8, 'reserved'], ['169.254.0.0', 16, 'reserved'], ['192.0.0.0', 24, 'reserved'], ['192.0.2.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'], ['198.51.100.0', 24, 'reserved'], ['203.0.113.0', 24, 'reserved'], ['240.0.0.0', 4, 'reserved'],
].map(([net, prefix, flag]) => [ipv4ToInt(net as string), prefix as number, flag as IocFlag]);

const SPECIAL_FIRST_OCTETS: ReadonlySet<number> = new Set(V4_RANGES.flatMap(([net, prefix]) => {
  const first = Math.floor(net / 2 ** 24);
  const count = prefix >= 8 ? 1 : 2 ** (8 - prefix);
  return Array.from({ length: count }, (_, i) => first + i);
}));

function ipv4ToInt(ip: string): number {
  let n = 0;
  for (const part of ip.split('.')) n = n * 256 + Number(part);
  return n;
}

export function ipFlags(ip: string, family: 'ipv4' | 'ipv6'): IocFlag[] {
  const flags: IocFlag[] = [];
  if (family === 'ipv4') {
    const n = ipv4ToInt(ip);
    const first = n >>> 24;
    // Fast path: most addresses are public; every special range starts with one of these octets.
    if (!SPECIAL_FIRST_OCTETS.has(first)) return flags;
    for (const [net, prefix, flag] of V4_RANGES) {
      const shift = 32 - prefix;
      if (Math.floor(n / 2 ** shift) === Math.floor(net / 2 ** shift) && !flags.includes(flag)) flags.push(flag);
    }
    return flags;
  }
  if (PRIVATE.check(ip, family)) flags.push('private');
  if (LOOPBACK.check(ip, family)) flags.push('loopback');
  if (MULTICAST.check(ip, family)) flags.push('multicast');
  if (RESERVED.check(ip, family)) flags.push('reserved');
  return flags;
}

/** Dotted quad with octets 0-255 (leading zeros tolerated and stripped), else null. */
export function normaliseIPv4(a: string, b: string, c: string, d: string): string | null {
  const p0 = Number(a);
  const p1 = Number(b);
  const p2 = Number(c);
  const p3 = Number(d);
  if (p0 > 255 || p1 > 255 || p2 > 255 || p3 > 255) return null;
  // Leading zeros are stripped; an unchanged text needs no new string.
  if (a[0] !== '0' && b[0] !== '0' && c[0] !== '0' && d[0] !== '0') return `${a}.${b}.${c}.${d}`;
  return `${p0}.${p1}.${p2}.${p3}`;
}

/** RFC 5952 canonical text form (lower case, longest zero run compressed), or null. */
export function normaliseIPv6(candidate: string): string | null {
  if (!isIPv6(candidate)) return null;
  let head = candidate.toLowerCase();
  let v4Tail: number[] = [];
  const lastColon = head.lastIndexOf(':');
  if (head.includes('.', lastColon)) {
    v4Tail = head.slice(lastColon + 1).split('.').map(Number);
    head = head.slice(0, lastColon + 1) + '0:0';
  }
  const [left, right] = head.includes('::') ? head.split('::') as [string, string] : [head, undefined];
  const l = left === '' ? [] : left.split(':');
  const r = right === undefined || right === '' ? [] : right.split(':');
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  const words = groups.map((g) => parseInt(g, 16));
  if (v4Tail.length === 4) {
    words[6] = ((v4Tail[0] as number) << 8) | (v4Tail[1] as number);
    words[7] = ((v4Tail[2] as number) << 8) | (v4Tail[3] as number);
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const ONION_V3 = /^[a-z2-7]{56}$/;
const ONION_V2 = /^[a-z2-7]{16}$/;

/** Tor v3: base32(pubkey 32 | checksum 2 | version 1), checksum = SHA3-256(".onion checksum" | pubkey | version)[0..2]. */
export function isOnionLabel(label: string): boolean {
  if (ONION_V2.test(label)) return true;
  if (!ONION_V3.test(label)) return false;
  const bytes = base32.decode(label.toUpperCase());
  if (bytes[34] !== 3) return false;
  const prefix = new TextEncoder().encode('.onion checksum');
  const input = new Uint8Array(prefix.length + 33);
  input.set(prefix);
  input.set(bytes.subarray(0, 32), prefix.length);
  input[prefix.length + 32] = 3;
  const sum = sha3_256(input);
  return sum[0] === bytes[32] && sum[1] === bytes[33];
}

export interface HostVerdict {
  readonly type: Extract<IocType, 'domain' | 'onion' | 'i2p'>;
  readonly value: string;
  /** Registrable domain (eTLD+1) for allowlist matching. */
  readonly registrable: string;
  readonly tld: string;
}

/** Validates a host name: PSL-listed (ICANN section) domains, onion and i2p names; else null. */
export function classifyHost(raw: string): HostVerdict | null {
  let host = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (host.length > 253) return null;
  // Pure ASCII: lower-case only. Otherwise IDNA to punycode (null on invalid labels).
  // eslint-disable-next-line no-control-regex
  host = /^[\x00-\x7f]*$/.test(host) ? host.toLowerCase() : domainToASCII(host);
  if (host === '') return null;
  const lastDot = host.lastIndexOf('.');
  if (lastDot < 0) return null;
  const tld = host.slice(lastDot + 1);
  if (tld === 'onion') {
    const labels = host.split('.');
    const name = labels[labels.length - 2] ?? '';
    return isOnionLabel(name) ? { type: 'onion', value: host, registrable: `${name}.onion`, tld } : null;
  }
  if (tld === 'i2p') {
    const labels = host.split('.');
    if (labels.some((l) => l.length === 0 || l.length > 63)) return null;
    return { type: 'i2p', value: host, registrable: labels.slice(-2).join('.'), tld };
  }
  const parsed = parseDomain(host, { allowPrivateDomains: false, extractHostname: false, validateHostname: true });
  if (parsed.isIcann !== true || parsed.domain === null || parsed.isIp === true) return null;
  return { type: 'domain', value: host, registrable: parsed.domain, tld };
}
