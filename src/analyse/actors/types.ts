import { z } from 'zod';

/**
 * Plain input the actor analysis works on. The store adapter (store.ts) fills it from the
 * database; tests and the benchmark build it directly, so every algorithm here runs without a DB.
 */
export const ActorAuthor = z.object({
  id: z.string().min(1),
  siteId: z.string().min(1),
  handle: z.string().min(1),
  reputation: z.number().finite().nullable(),
  postCount: z.number().int().nonnegative().nullable(),
  joinedAt: z.string().nullable(),
});
export type ActorAuthor = z.infer<typeof ActorAuthor>;

export const ActorPost = z.object({
  id: z.string().min(1),
  siteId: z.string().min(1),
  threadId: z.string().min(1),
  boardId: z.string().nullable(),
  authorId: z.string().min(1),
  /** ISO-8601 UTC, or null when the forum date could not be parsed. */
  postedAt: z.string().nullable(),
  bodyText: z.string(),
  codeBlockCount: z.number().int().nonnegative(),
});
export type ActorPost = z.infer<typeof ActorPost>;

export const ActorLink = z.object({
  postId: z.string().min(1),
  targetPostId: z.string().min(1),
  kind: z.enum(['reply', 'quote']),
});
export type ActorLink = z.infer<typeof ActorLink>;

export const ActorEntity = z.object({
  postId: z.string().min(1),
  type: z.string().min(1),
  value: z.string().min(1),
});
export type ActorEntity = z.infer<typeof ActorEntity>;

export const ActorLabel = z.object({
  postId: z.string().min(1),
  label: z.string().min(1),
  confidence: z.number().min(0).max(1),
});
export type ActorLabel = z.infer<typeof ActorLabel>;

export const ActorLanguage = z.object({
  postId: z.string().min(1),
  language: z.string().min(1),
});
export type ActorLanguage = z.infer<typeof ActorLanguage>;

export const ActorBoard = z.object({ id: z.string().min(1), name: z.string() });
export type ActorBoard = z.infer<typeof ActorBoard>;

export const ActorSite = z.object({ id: z.string().min(1), name: z.string() });
export type ActorSite = z.infer<typeof ActorSite>;

export interface ActorInput {
  readonly sites: readonly ActorSite[];
  readonly authors: readonly ActorAuthor[];
  readonly posts: readonly ActorPost[];
  readonly links: readonly ActorLink[];
  readonly entities: readonly ActorEntity[];
  readonly labels: readonly ActorLabel[];
  readonly languages: readonly ActorLanguage[];
  readonly boards: readonly ActorBoard[];
}

export function emptyInput(): ActorInput {
  return { sites: [], authors: [], posts: [], links: [], entities: [], labels: [], languages: [], boards: [] };
}

/** Exploit-label values that mean "not technical"; everything else counts as a technical topic. */
export const NON_TECHNICAL_LABELS: ReadonlySet<string> = new Set(['none', 'other', 'benign', 'not_exploit', 'non_exploit', 'unrelated']);

/**
 * Entity type names as the indicator extractor writes them (src/analyse/iocs/types.ts:
 * `pgp-fingerprint`, `attack-software` …), folded to lower snake case for the sets below.
 */
export function normaliseType(type: string): string {
  return type.toLowerCase().replaceAll('-', '_');
}

/** Entity types that identify a person's contact or wallet: shared values link aliases. */
export const CONTACT_TYPES: ReadonlySet<string> = new Set([
  'pgp_fingerprint', 'jabber', 'xmpp', 'telegram', 'tox', 'email', 'icq', 'session', 'wickr', 'discord',
  'btc', 'eth', 'xmr', 'ltc', 'bch', 'doge', 'trx', 'dash', 'zec', 'wallet',
]);

/** Entity types that name malware or tools (ATT&CK software ids included). */
export const MALWARE_TOOL_TYPES: ReadonlySet<string> = new Set(['malware', 'tool', 'malware_family', 'software', 'attack_software']);

/** ATT&CK technique/tactic ids: the expertise profile shows them; they also count as indicators. */
export const ATTACK_TYPES: ReadonlySet<string> = new Set(['attack_technique', 'attack_subtechnique', 'attack_tactic']);

/** Entity types that are technical indicators (shared IoCs, vulnerabilities). */
export const INDICATOR_TYPES: ReadonlySet<string> = new Set([
  'cve', 'cwe', 'ipv4', 'ipv6', 'domain', 'onion', 'i2p', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'tlsh',
  'filename', 'filepath', 'registry_key', 'mac', 'asn', 'attack_technique', 'attack_subtechnique', 'attack_tactic',
]);
