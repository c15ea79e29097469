/**
 * Cryptocurrency address validation by checksum. Base58check, bech32/bech32m and Monero base58
 * come from @scure/base; SHA-256 and Keccak from @noble/hashes. Only the CashAddr polymod (a BCH
 * error-detecting code from the Bitcoin Cash spec, not cryptography) is written here, because no
 * well-kept small library exposes it.
 */
import { base58xmr, bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { IocType } from './types.js';

const base58check = createBase58check(sha256);

/** Version bytes of base58check addresses, by coin. BTC wins the shared P2SH byte 0x05. */
const BASE58_VERSIONS: ReadonlyMap<number, IocType> = new Map<number, IocType>([
  [0x00, 'btc'], [0x05, 'btc'],
  [0x30, 'ltc'], [0x32, 'ltc'],
  [0x1e, 'doge'], [0x16, 'doge'],
  [0x41, 'trx'],
  [0x4c, 'dash'], [0x10, 'dash'],
]);

function decodeBase58check(s: string): Uint8Array | null {
  try {
    return base58check.decode(s);
  } catch {
    return null;
  }
}

/** Classifies a base58 word as a coin address, or null when no checksum matches. */
export function classifyBase58(word: string): IocType | null {
  const first = word[0];
  if (word.length >= 95 && (first === '4' || first === '8')) return isMonero(word) ? 'xmr' : null;
  if (word.length < 26 || word.length > 36) return null;
  const payload = decodeBase58check(word);
  if (payload === null) return null;
  // Zcash transparent addresses carry a two-byte version (t1…: 1cb8, t3…: 1cbd).
  if (payload.length === 22 && payload[0] === 0x1c && (payload[1] === 0xb8 || payload[1] === 0xbd)) return 'zec';
  if (payload.length !== 21) return null;
  return BASE58_VERSIONS.get(payload[0] as number) ?? null;
}

/** Monero: standard (95 chars) and integrated (106) addresses; Keccak-256 checksum. */
export function isMonero(word: string): boolean {
  if (word.length !== 95 && word.length !== 106) return false;
  let bytes: Uint8Array;
  try {
    bytes = base58xmr.decode(word);
  } catch {
    return false;
  }
  if (bytes.length < 5) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const check = keccak_256(body);
  for (let i = 0; i < 4; i++) if (bytes[bytes.length - 4 + i] !== check[i]) return false;
  const netByte = bytes[0];
  // Mainnet standard 18, integrated 19, subaddress 42.
  return netByte === 18 || netByte === 19 || netByte === 42;
}

const SEGWIT_HRP: ReadonlyMap<string, IocType> = new Map<string, IocType>([['bc', 'btc'], ['ltc', 'ltc']]);

/** Segwit addresses: witness v0 must use bech32, v1+ bech32m (BIP-173 / BIP-350). */
export function classifyBech32(word: string): IocType | null {
  const lower = word.toLowerCase();
  if (lower !== word && word.toUpperCase() !== word) return null; // mixed case is invalid bech32
  const sep = lower.lastIndexOf('1');
  const coin = SEGWIT_HRP.get(lower.slice(0, sep));
  if (coin === undefined) return null;
  for (const codec of [bech32, bech32m]) {
    let decoded: { prefix: string; words: number[] };
    try {
      decoded = codec.decode(lower as `${string}1${string}`, 90);
    } catch {
      continue;
    }
    const version = decoded.words[0];
    if (version === undefined || version > 16) return null;
    if ((version === 0) !== (codec === bech32)) return null;
    let program: Uint8Array;
    try {
      program = codec.fromWords(decoded.words.slice(1));
    } catch {
      return null;
    }
    if (program.length < 2 || program.length > 40) return null;
    if (version === 0 && program.length !== 20 && program.length !== 32) return null;
    return coin;
  }
  return null;
}

const CASHADDR_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CASHADDR_GEN = [0x98f2bc8e61n, 0x79b76d99e2n, 0xf33e5fb3c4n, 0xae2eabe2a8n, 0x1e4f43e470n];

/** Bitcoin Cash CashAddr (`bitcoincash:q…` or bare `q…`/`p…`), checked with the spec's polymod. */
export function isCashAddr(word: string): boolean {
  const lower = word.toLowerCase();
  const body = lower.startsWith('bitcoincash:') ? lower.slice('bitcoincash:'.length) : lower;
  if (body.length !== 42 || (body[0] !== 'q' && body[0] !== 'p')) return false;
  const values: number[] = [];
  for (const ch of 'bitcoincash') values.push(ch.charCodeAt(0) & 0x1f);
  values.push(0);
  for (const ch of body) {
    const v = CASHADDR_CHARSET.indexOf(ch);
    if (v < 0) return false;
    values.push(v);
  }
  let c = 1n;
  for (const d of values) {
    const c0 = c >> 35n;
    c = ((c & 0x07ffffffffn) << 5n) ^ BigInt(d);
    for (let i = 0; i < 5; i++) if ((c0 >> BigInt(i)) & 1n) c ^= CASHADDR_GEN[i] as bigint;
  }
  return (c ^ 1n) === 0n;
}

/** EIP-55: an all-lower or all-upper address carries no checksum; a mixed-case one must match. */
export function isEthAddress(word: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(word)) return false;
  const hex = word.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const ch = hex[i] as string;
    if (ch >= '0' && ch <= '9') continue;
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if ((nibble >= 8) !== (ch >= 'A' && ch <= 'F')) return false;
  }
  return true;
}

/** Tox ID: 32-byte key, 4-byte nospam, 2-byte checksum = XOR of the preceding 2-byte words. */
export function isToxId(hex: string): boolean {
  if (hex.length !== 76) return false;
  let c0 = 0;
  let c1 = 0;
  for (let i = 0; i < 72; i += 4) {
    c0 ^= parseInt(hex.slice(i, i + 2), 16);
    c1 ^= parseInt(hex.slice(i + 2, i + 4), 16);
  }
  return c0 === parseInt(hex.slice(72, 74), 16) && c1 === parseInt(hex.slice(74, 76), 16);
}
