import { bech32, base32 } from '@scure/base';
import { keccak_256, sha3_256 } from '@noble/hashes/sha3';
import { createHash } from 'node:crypto';
import type { Rng } from './rng.js';

/**
 * Planted indicators. Every value is format-valid (bech32 checksums, EIP-55 casing, v3 onion
 * checksums) so an extractor that validates them can be measured against the ground truth.
 */
export type IndicatorType =
  | 'ipv4'
  | 'domain'
  | 'url'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'cve'
  | 'btc'
  | 'eth'
  | 'jabber'
  | 'telegram'
  | 'onion';

export interface Indicator {
  readonly type: IndicatorType;
  /** Canonical value (lower-case where the format is case-insensitive, refanged). */
  readonly value: string;
  /** How it appears in the post text (may be defanged, e.g. 45.13.2[.]7 or hxxp://). */
  readonly asWritten: string;
}

const WORDS = ['shadow', 'dark', 'cyber', 'ghost', 'zero', 'black', 'nova', 'crypt', 'hex', 'void', 'iron', 'night', 'proxy', 'storm', 'byte', 'root', 'phantom', 'venom'];
const TLDS = ['ru', 'su', 'xyz', 'top', 'cc', 'io', 'net', 'biz', 'to', 'cn'];
const JABBER = ['jabber.ru', 'exploit.im', 'xmpp.jp', 'thesecure.biz', 'jabb.im'];
/** Public-looking first octets (no RFC1918/loopback/TEST-NET), as seen in bulletproof hosting. */
const OCTETS = [45, 77, 91, 94, 103, 146, 176, 185, 193, 194, 212];

function defang(rng: Rng, value: string): string {
  return rng.chance(0.25) ? value.replace(/\.(?=[^.]*$)/, '[.]') : value;
}

export function ipv4(rng: Rng): Indicator {
  const value = `${rng.pick(OCTETS)}.${rng.int(1, 254)}.${rng.int(0, 254)}.${rng.int(1, 254)}`;
  return { type: 'ipv4', value, asWritten: defang(rng, value) };
}

export function domain(rng: Rng): Indicator {
  const value = `${rng.pick(WORDS)}${rng.pick(WORDS)}${rng.int(1, 99)}.${rng.pick(TLDS)}`;
  return { type: 'domain', value, asWritten: defang(rng, value) };
}

export function url(rng: Rng): Indicator {
  const host = domain(rng).value;
  const value = `http://${host}/${rng.pick(['gate.php', 'panel/login', 'dl/loader.bin', 'api/v2/task'])}`;
  const asWritten = rng.chance(0.3) ? value.replace(/^http/, 'hxxp') : value;
  return { type: 'url', value, asWritten };
}

export function hash(rng: Rng, type: 'md5' | 'sha1' | 'sha256'): Indicator {
  const value = createHash(type).update(rng.bytes(32)).digest('hex');
  return { type, value, asWritten: rng.chance(0.2) ? value.toUpperCase() : value };
}

export function cve(rng: Rng): Indicator {
  const value = `CVE-${rng.int(2019, 2026)}-${rng.int(1000, 49999)}`;
  return { type: 'cve', value, asWritten: value };
}

export function btc(rng: Rng): Indicator {
  const program = rng.bytes(20);
  const value = bech32.encode('bc', [0, ...bech32.toWords(program)]);
  return { type: 'btc', value, asWritten: value };
}

export function eth(rng: Rng): Indicator {
  const lower = Buffer.from(rng.bytes(20)).toString('hex');
  const digest = Buffer.from(keccak_256(new TextEncoder().encode(lower))).toString('hex');
  let checksummed = '0x';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] as string;
    checksummed += parseInt(digest[i] as string, 16) >= 8 ? ch.toUpperCase() : ch;
  }
  return { type: 'eth', value: checksummed.toLowerCase(), asWritten: checksummed };
}

export function jabber(rng: Rng, handle: string): Indicator {
  const value = `${handle.toLowerCase().replace(/[^a-z0-9_.-]/g, '')}${rng.int(1, 99)}@${rng.pick(JABBER)}`;
  return { type: 'jabber', value, asWritten: value };
}

/**
 * A person's own contact accounts. Jabber and Telegram names are unique per account, so two
 * people who happen to use the same forum handle never share one; a person who reuses them on
 * several forums does (the evidence alias linking looks for).
 */
export interface PersonContacts {
  readonly jabber: string;
  /** Telegram username without the @. */
  readonly telegram: string;
}

export function personContacts(rng: Rng, handle: string): PersonContacts {
  const cleaned = handle.replace(/[^A-Za-z0-9_]/g, '');
  const name = cleaned.length >= 3 ? cleaned : `u${rng.int(1000, 99999)}`;
  return {
    jabber: `${name.toLowerCase()}${rng.int(1, 999)}@${rng.pick(JABBER)}`,
    telegram: `${name}_${rng.pick(['shop', 'sup', 'bot', 'channel', 'news'])}${rng.int(1, 999)}`.slice(0, 32),
  };
}

/** The person's Jabber / Telegram written in a post; `generated` keeps the rng stream and the written style. */
export function ownContact(contacts: PersonContacts | undefined, generated: Indicator): Indicator {
  if (!contacts) return generated;
  if (generated.type === 'jabber') return { type: 'jabber', value: contacts.jabber, asWritten: contacts.jabber };
  const name = contacts.telegram;
  return { type: 'telegram', value: `@${name.toLowerCase()}`, asWritten: generated.asWritten.startsWith('t.me/') ? `t.me/${name}` : `@${name}` };
}

export function telegram(rng: Rng, handle: string): Indicator {
  const name = `${handle.replace(/[^A-Za-z0-9_]/g, '')}_${rng.pick(['shop', 'sup', 'bot', 'channel', 'news'])}`.slice(0, 32);
  const value = `@${name.toLowerCase()}`;
  return { type: 'telegram', value, asWritten: rng.chance(0.5) ? `t.me/${name}` : `@${name}` };
}

/** A valid Tor v3 address: base32(pubkey || checksum || version). */
export function onionHost(rng: Rng): string {
  const pubkey = rng.bytes(32);
  const version = new Uint8Array([3]);
  const prefix = new TextEncoder().encode('.onion checksum');
  const check = sha3_256(new Uint8Array([...prefix, ...pubkey, ...version])).slice(0, 2);
  return `${base32.encode(new Uint8Array([...pubkey, ...check, ...version])).toLowerCase()}.onion`;
}

export function onion(rng: Rng): Indicator {
  const value = `http://${onionHost(rng)}/`;
  return { type: 'onion', value, asWritten: value };
}
