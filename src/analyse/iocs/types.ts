import { z } from 'zod';

/**
 * Indicator types, named as in docs/iocs.md and in eval case files. One flat list so a case file,
 * the CLI and the analyser all speak the same names.
 */
export const IocType = z.enum([
  'ipv4', 'ipv6', 'domain', 'onion', 'i2p', 'url', 'email',
  'md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'tlsh',
  'cve', 'cwe',
  'attack-technique', 'attack-subtechnique', 'attack-tactic', 'attack-group', 'attack-software',
  'btc', 'eth', 'xmr', 'ltc', 'bch', 'doge', 'trx', 'dash', 'zec',
  'telegram', 'xmpp', 'tox', 'session', 'discord', 'pgp-fingerprint',
  'filename', 'filepath', 'registry-key', 'mac', 'asn',
]);
export type IocType = z.infer<typeof IocType>;
export const IOC_TYPES: readonly IocType[] = IocType.options;

/** Flags attached to a match; they annotate, they never drop. */
export const IocFlag = z.enum(['private', 'reserved', 'loopback', 'multicast', 'benign', 'allowlisted', 'unknown-attack-id', 'retired-attack-id']);
export type IocFlag = z.infer<typeof IocFlag>;

export interface IocMatch {
  readonly type: IocType;
  /** Normalised, refanged value (see docs/iocs.md for the per-type rules). */
  readonly value: string;
  /** [start, end) in UTF-16 code units of the ORIGINAL text handed to the extractor. */
  readonly start: number;
  readonly end: number;
  /** The original text of the span contained a defanging marker (hxxp, [.], (at), …). */
  readonly defanged: boolean;
  readonly context: string;
  readonly flags: readonly IocFlag[];
  /** Port or CIDR prefix attached to an IP, when present. */
  readonly port?: number;
  readonly cidr?: number;
}

export const ExtractOptions = z.object({
  /** Types to report; default all. */
  types: z.array(IocType).optional(),
  /** Characters of context on each side of a match. */
  contextChars: z.number().int().min(0).max(1000).default(60),
  /** Extra domains treated as benign (flag `allowlisted`); subdomains match too. */
  allowDomains: z.array(z.string().min(1)).default([]),
  /** Extra IPs / CIDRs treated as benign (flag `allowlisted`). */
  allowIps: z.array(z.string().min(1)).default([]),
  /** Exact values (any type) flagged `allowlisted`. */
  allowValues: z.array(z.string().min(1)).default([]),
  /** Replace the built-in list of well-known benign domains instead of extending it. */
  replaceBenignDomains: z.array(z.string().min(1)).optional(),
  /** Drop matches carrying any of these flags (default: keep everything, flagged). */
  dropFlags: z.array(IocFlag).default([]),
});
export type ExtractOptionsInput = z.input<typeof ExtractOptions>;
export type ExtractOptionsResolved = z.output<typeof ExtractOptions>;
