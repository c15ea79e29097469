/**
 * Valid-by-construction indicator values for the case corpus (checksummed wallets, Tor v3 names,
 * Tox ids, hashes of known strings), derived deterministically from a seed so the corpus is
 * reproducible. Used only by build-cases.ts.
 */
import { createHash } from 'node:crypto';
import { base32, base58xmr, bech32, bech32m, createBase58check } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256, sha3_256 } from '@noble/hashes/sha3.js';

const b58c = createBase58check(sha256);

export function seededBytes(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let block = 0;
  for (let off = 0; off < n; block++) {
    const h = createHash('sha256').update(`${label}#${block}`).digest();
    out.set(h.subarray(0, Math.min(32, n - off)), off);
    off += 32;
  }
  return out;
}

export function base58Address(version: number[], label: string): string {
  const payload = new Uint8Array(version.length + 20);
  payload.set(version);
  payload.set(seededBytes(label, 20), version.length);
  return b58c.encode(payload);
}

export function segwit(hrp: string, version: number, label: string, len = 20): string {
  const words = [version, ...bech32.toWords(seededBytes(label, len))];
  return (version === 0 ? bech32 : bech32m).encode(hrp, words, 90);
}

export function moneroAddress(label: string): string {
  const body = new Uint8Array(65);
  body[0] = 18;
  body.set(seededBytes(label, 64), 1);
  const check = keccak_256(body).subarray(0, 4);
  const all = new Uint8Array(69);
  all.set(body);
  all.set(check, 65);
  return base58xmr.encode(all);
}

export function ethAddress(label: string): string {
  const hex = Buffer.from(seededBytes(label, 20)).toString('hex');
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const ch = hex[i] as string;
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

const CASH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x98f2bc8e61n, 0x79b76d99e2n, 0xf33e5fb3c4n, 0xae2eabe2a8n, 0x1e4f43e470n];
function polymod(values: number[]): bigint {
  let c = 1n;
  for (const d of values) {
    const c0 = c >> 35n;
    c = ((c & 0x07ffffffffn) << 5n) ^ BigInt(d);
    for (let i = 0; i < 5; i++) if ((c0 >> BigInt(i)) & 1n) c ^= GEN[i] as bigint;
  }
  return c ^ 1n;
}
export function cashAddress(label: string): string {
  const payload = [0, ...seededBytes(label, 20)]; // version byte 0: P2PKH, 160-bit hash
  const words = bech32.toWords(Uint8Array.from(payload));
  const prefix = [...'bitcoincash'].map((c) => c.charCodeAt(0) & 0x1f);
  const mod = polymod([...prefix, 0, ...words, 0, 0, 0, 0, 0, 0, 0, 0]);
  const checksum: number[] = [];
  for (let i = 0; i < 8; i++) checksum.push(Number((mod >> BigInt(5 * (7 - i))) & 31n));
  return [...words, ...checksum].map((w) => CASH[w]).join('');
}

export function onionV3(label: string): string {
  const pub = seededBytes(label, 32);
  const prefix = new TextEncoder().encode('.onion checksum');
  const input = new Uint8Array(prefix.length + 33);
  input.set(prefix);
  input.set(pub, prefix.length);
  input[prefix.length + 32] = 3;
  const sum = sha3_256(input);
  const all = new Uint8Array(35);
  all.set(pub);
  all[32] = sum[0] as number;
  all[33] = sum[1] as number;
  all[34] = 3;
  return `${base32.encode(all).toLowerCase()}.onion`;
}

export function toxId(label: string): string {
  const body = seededBytes(label, 36);
  let c0 = 0;
  let c1 = 0;
  for (let i = 0; i < 36; i += 2) {
    c0 ^= body[i] as number;
    c1 ^= body[i + 1] as number;
  }
  return (Buffer.from(body).toString('hex') + Buffer.from([c0, c1]).toString('hex')).toUpperCase();
}

export function hash(alg: 'md5' | 'sha1' | 'sha256' | 'sha512', label: string): string {
  return createHash(alg).update(label).digest('hex');
}
