/**
 * STIX 2.1 output for extracted indicators: one Cyber-observable object (SCO) per distinct value,
 * plus an `indicator` with a STIX pattern wherever STIX has a pattern for the type. SCO ids are
 * deterministic UUIDv5s over the id-contributing properties (STIX 2.1 §2.9), so the same value
 * always gets the same id; SDO and indicator ids are UUIDv5s too, for stable, diffable output.
 */
import { createHash } from 'node:crypto';
import type { IocMatch, IocType } from './types.js';

const STIX_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

function uuidv5(name: string, namespace = STIX_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** JSON with sorted keys, as STIX's id-contributing-properties canonicalisation needs. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const SDO_TYPES: ReadonlySet<string> = new Set(['vulnerability', 'intrusion-set', 'malware', 'attack-pattern', 'x-mitre-tactic']);

type StixObject = Record<string, unknown> & { type: string; id: string };

const HASH_NAMES: Partial<Record<IocType, string>> = {
  md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', ssdeep: 'SSDEEP', tlsh: 'TLSH',
};
const ACCOUNT_TYPES: Partial<Record<IocType, string>> = {
  telegram: 'telegram', xmpp: 'jabber', tox: 'tox', session: 'session', discord: 'discord',
};
const WALLETS: ReadonlySet<IocType> = new Set<IocType>(['btc', 'eth', 'xmr', 'ltc', 'bch', 'doge', 'trx', 'dash', 'zec']);

function sco(type: string, props: Record<string, unknown>, idProps: Record<string, unknown>): StixObject {
  return { type, spec_version: '2.1', id: `${type}--${uuidv5(canonicalJson(idProps))}`, ...props };
}

function quote(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The observable (and pattern, when STIX has one) for one indicator value. */
function observableFor(type: IocType, value: string): { object: StixObject; pattern: string | null } {
  const hash = HASH_NAMES[type];
  if (hash !== undefined) {
    return { object: sco('file', { hashes: { [hash]: value } }, { hashes: { [hash]: value } }), pattern: `[file:hashes.${quote(hash)} = ${quote(value)}]` };
  }
  const account = ACCOUNT_TYPES[type];
  if (account !== undefined) {
    const props = { account_type: account, account_login: value };
    return { object: sco('user-account', props, props), pattern: `[user-account:account_type = ${quote(account)} AND user-account:account_login = ${quote(value)}]` };
  }
  if (WALLETS.has(type)) {
    const props = { value, currency: type };
    return { object: sco('x-threatminer-crypto-wallet', props, props), pattern: null };
  }
  switch (type) {
    case 'ipv4': case 'ipv6': {
      const t = type === 'ipv4' ? 'ipv4-addr' : 'ipv6-addr';
      return { object: sco(t, { value }, { value }), pattern: `[${t}:value = ${quote(value)}]` };
    }
    case 'domain': case 'onion': case 'i2p':
      return { object: sco('domain-name', { value }, { value }), pattern: `[domain-name:value = ${quote(value)}]` };
    case 'url':
      return { object: sco('url', { value }, { value }), pattern: `[url:value = ${quote(value)}]` };
    case 'email':
      return { object: sco('email-addr', { value }, { value }), pattern: `[email-addr:value = ${quote(value)}]` };
    case 'mac':
      return { object: sco('mac-addr', { value }, { value }), pattern: `[mac-addr:value = ${quote(value)}]` };
    case 'asn': {
      const number = Number(value.slice(2));
      return { object: sco('autonomous-system', { number }, { number }), pattern: `[autonomous-system:number = ${number}]` };
    }
    case 'registry-key':
      return { object: sco('windows-registry-key', { key: value }, { key: value }), pattern: `[windows-registry-key:key = ${quote(value)}]` };
    case 'filename':
      return { object: sco('file', { name: value }, { name: value }), pattern: `[file:name = ${quote(value)}]` };
    case 'filepath': {
      const sep = Math.max(value.lastIndexOf('\\'), value.lastIndexOf('/'));
      const name = value.slice(sep + 1);
      const dir = sep <= 0 ? value.slice(0, 1) : value.slice(0, sep);
      const props = { name: name === '' ? value : name, x_threatminer_path: value };
      return { object: sco('file', props, { name: props.name, x_threatminer_path: value }), pattern: `[file:name = ${quote(props.name)} AND file:parent_directory_ref.path = ${quote(dir)}]` };
    }
    case 'cve':
      return {
        object: { type: 'vulnerability', spec_version: '2.1', id: `vulnerability--${uuidv5(`vulnerability:${value}`)}`, name: value, external_references: [{ source_name: 'cve', external_id: value }] },
        pattern: null,
      };
    case 'attack-technique': case 'attack-subtechnique': case 'attack-tactic': case 'attack-group': case 'attack-software': {
      const sdo = type === 'attack-group' ? 'intrusion-set' : type === 'attack-software' ? 'malware' : type === 'attack-tactic' ? 'x-mitre-tactic' : 'attack-pattern';
      const extra = sdo === 'malware' ? { is_family: true } : {};
      return {
        object: { type: sdo, spec_version: '2.1', id: `${sdo}--${uuidv5(`mitre-attack:${value}`)}`, name: value, ...extra, external_references: [{ source_name: 'mitre-attack', external_id: value }] },
        pattern: null,
      };
    }
    default: {
      const props = { value, entity_type: type };
      return { object: sco('x-threatminer-entity', props, props), pattern: null };
    }
  }
}

/** A STIX 2.1 bundle with one object per distinct (type, value) and indicators for patternable types. */
export function toStixBundle(matches: readonly IocMatch[], now: Date = new Date()): { type: 'bundle'; id: string; objects: StixObject[] } {
  const ts = now.toISOString();
  const objects = new Map<string, StixObject>();
  for (const m of matches) {
    const { object, pattern } = observableFor(m.type, m.value);
    // SDOs carry created/modified; SCOs do not (STIX 2.1 §3.2, §6).
    const full: StixObject = SDO_TYPES.has(object.type) ? { ...object, created: ts, modified: ts } : object;
    if (!objects.has(full.id)) objects.set(full.id, full);
    if (pattern !== null) {
      const id = `indicator--${uuidv5(`indicator:${pattern}`)}`;
      if (!objects.has(id)) {
        objects.set(id, {
          type: 'indicator', spec_version: '2.1', id, created: ts, modified: ts, valid_from: ts,
          name: `${m.type}: ${m.value}`, pattern, pattern_type: 'stix',
          ...(m.flags.length === 0 ? {} : { labels: [...m.flags] }),
          x_threatminer_defanged: m.defanged,
        });
      }
    }
  }
  const list = [...objects.values()];
  return { type: 'bundle', id: `bundle--${uuidv5(list.map((o) => o.id).join(','))}`, objects: list };
}
