import { z } from 'zod';
import { CONTACT_TYPES, normaliseType, type ActorAuthor, type ActorEntity, type ActorPost } from './types.js';
import { foldHandle, handleBlockingKeys, handleSimilarity, type HandleSimilarity } from './handles.js';
import { cosine, rawProfile, weightProfiles } from './stylometry.js';

/**
 * Cross-forum alias candidates. Three independent kinds of evidence, each turned into a
 * probability-like strength in [0,1) and combined by noisy-OR, score = 1 − Π(1 − eᵢ):
 *  - shared contacts (PGP fingerprint, Jabber, Telegram, e-mail, wallets) from the entities table,
 *    discounted when many authors post the same value (a quoted or scam-listed contact);
 *  - handle similarity (Jaro–Winkler on the handle as typed and leet/suffix-folded);
 *  - stylometry (char 3-gram tf-idf cosine, as a z-score against unrelated pairs).
 * Candidate pairs come from blocking (shared contact, same handle prefix or suffix) plus an all-pairs
 * stylometry pass over the most active authors, so the work stays far below n².
 */
export const AliasOptions = z.object({
  minScore: z.number().min(0).max(1).default(0.3),
  /** Include pairs on the same site (sock puppets); default cross-site only. */
  sameSite: z.boolean().default(false),
  minHandleSimilarity: z.number().min(0).max(1).default(0.85),
  /** Authors need this much text for a stylometric profile. */
  minStyleChars: z.number().int().nonnegative().default(400),
  maxStyleChars: z.number().int().positive().default(60_000),
  /** All-pairs stylometry over this many most active authors per site. */
  styleAllPairsPerSite: z.number().int().nonnegative().default(300),
  /** Blocking keys shared by more handles than this are too common to block on. */
  maxTrigramPosting: z.number().int().positive().default(400),
  weights: z.object({
    contact: z.record(z.string(), z.number().min(0).lt(1)).default({}),
    /** Kept below the default threshold: a matching handle alone is a lead, not a link. */
    handle: z.number().min(0).lt(1).default(0.45),
    stylometry: z.number().min(0).lt(1).default(0.6),
  }).strict().default({ contact: {}, handle: 0.45, stylometry: 0.6 }),
  /** A contact value posted by more authors than this is discounted proportionally. */
  maxContactOwners: z.number().int().min(2).default(5),
}).strict();
export type AliasOptions = z.infer<typeof AliasOptions>;

const CONTACT_STRENGTH: Readonly<Record<string, number>> = {
  pgp_fingerprint: 0.95, jabber: 0.85, xmpp: 0.85, telegram: 0.8, tox: 0.85, email: 0.8,
  session: 0.8, wickr: 0.8, discord: 0.6, icq: 0.7,
};
const WALLET_STRENGTH = 0.7;

export interface ContactEvidence {
  readonly type: string;
  readonly value: string;
  /** How many authors (on any site) posted this value. */
  readonly authorsSharing: number;
  readonly strength: number;
}

export interface AliasCandidate {
  readonly a: string;
  readonly b: string;
  readonly siteA: string;
  readonly siteB: string;
  readonly handleA: string;
  readonly handleB: string;
  readonly score: number;
  readonly evidence: {
    readonly contacts: readonly ContactEvidence[];
    readonly handle: (HandleSimilarity & { readonly strength: number }) | null;
    readonly stylometry: { readonly cosine: number; readonly z: number; readonly strength: number } | null;
  };
}

export interface AliasInput {
  readonly authors: readonly ActorAuthor[];
  readonly posts: readonly Pick<ActorPost, 'id' | 'authorId' | 'bodyText'>[];
  readonly entities: readonly ActorEntity[];
}

export function aliasCandidates(input: AliasInput, rawOptions: Partial<AliasOptions> = {}): AliasCandidate[] {
  const options = AliasOptions.parse(rawOptions);
  const authors = new Map(input.authors.map((a) => [a.id, a]));
  const pairKey = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);
  const allowed = (x: ActorAuthor, y: ActorAuthor): boolean => x.id !== y.id && (options.sameSite || x.siteId !== y.siteId);
  const pairs = new Map<string, { a: ActorAuthor; b: ActorAuthor; contacts: ContactEvidence[] }>();
  const candidate = (x: ActorAuthor, y: ActorAuthor) => {
    const [a, b] = x.id < y.id ? [x, y] : [y, x];
    const key = pairKey(a.id, b.id);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { a, b, contacts: [] };
      pairs.set(key, pair);
    }
    return pair;
  };

  // 1. Shared contacts.
  const postAuthor = new Map(input.posts.map((p) => [p.id, p.authorId]));
  const contactOwners = new Map<string, { type: string; value: string; owners: Set<string> }>();
  for (const e of input.entities) {
    const type = normaliseType(e.type);
    if (!CONTACT_TYPES.has(type)) continue;
    const owner = postAuthor.get(e.postId);
    if (owner === undefined) continue;
    const value = normaliseContact(type, e.value);
    const key = `${type}\u0000${value}`;
    let entry = contactOwners.get(key);
    if (!entry) {
      entry = { type, value, owners: new Set() };
      contactOwners.set(key, entry);
    }
    entry.owners.add(owner);
  }
  for (const { type, value, owners } of contactOwners.values()) {
    if (owners.size < 2 || owners.size > 10 * options.maxContactOwners) continue;
    const base = options.weights.contact[type] ?? CONTACT_STRENGTH[type] ?? WALLET_STRENGTH;
    // One person reuses a contact on a handful of forums; a value posted by many authors is a
    // shared service, a scam list or a quote, so its evidence is spread over the owners.
    const strength = base * Math.min(1, options.maxContactOwners / owners.size);
    const list = [...owners].map((id) => authors.get(id)).filter((a): a is ActorAuthor => a !== undefined);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (allowed(list[i]!, list[j]!)) candidate(list[i]!, list[j]!).contacts.push({ type, value, authorsSharing: owners.size, strength });
      }
    }
  }

  // 2. Handle blocking on the ends of the folded handle.
  const posting = new Map<string, ActorAuthor[]>();
  for (const a of input.authors) {
    for (const g of handleBlockingKeys(foldHandle(a.handle))) {
      const list = posting.get(g);
      if (list) list.push(a);
      else posting.set(g, [a]);
    }
  }
  const handleChecked = new Set<string>();
  for (const list of posting.values()) {
    if (list.length < 2 || list.length > options.maxTrigramPosting) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const x = list[i]!;
        const y = list[j]!;
        if (!allowed(x, y)) continue;
        const key = pairKey(x.id, y.id);
        if (handleChecked.has(key)) continue;
        handleChecked.add(key);
        if (handleSimilarity(x.handle, y.handle).similarity >= options.minHandleSimilarity) candidate(x, y);
      }
    }
  }

  // 3. Stylometric profiles; all-pairs over the most active authors adds pairs with unrelated handles.
  const texts = new Map<string, string[]>();
  for (const p of input.posts) {
    const list = texts.get(p.authorId);
    if (list) list.push(p.bodyText);
    else texts.set(p.authorId, [p.bodyText]);
  }
  const profiles = new Map<string, Float32Array>();
  for (const [id, list] of texts) {
    const { counts, chars } = rawProfile(list, options.maxStyleChars);
    if (chars >= options.minStyleChars) profiles.set(id, counts);
  }
  weightProfiles([...profiles.values()]);
  const bySite = new Map<string, ActorAuthor[]>();
  for (const a of input.authors) {
    if (!profiles.has(a.id)) continue;
    const list = bySite.get(a.siteId);
    if (list) list.push(a);
    else bySite.set(a.siteId, [a]);
  }
  const active: ActorAuthor[] = [];
  for (const list of bySite.values()) {
    list.sort((x, y) => (texts.get(y.id)?.length ?? 0) - (texts.get(x.id)?.length ?? 0));
    active.push(...list.slice(0, options.styleAllPairsPerSite));
  }
  const styleCos = new Map<string, number>();
  const background: number[] = [];
  for (let i = 0; i < active.length; i++) {
    for (let j = i + 1; j < active.length; j++) {
      const x = active[i]!;
      const y = active[j]!;
      if (!allowed(x, y)) continue;
      const c = cosine(profiles.get(x.id)!, profiles.get(y.id)!);
      styleCos.set(pairKey(x.id, y.id), c);
      background.push(c);
    }
  }
  // Background distribution: robust (median / MAD) so the few true aliases do not inflate it.
  const { centre, spread } = robustStats(background);
  if (background.length >= 20) {
    for (let i = 0; i < active.length; i++) {
      for (let j = i + 1; j < active.length; j++) {
        const x = active[i]!;
        const y = active[j]!;
        const c = styleCos.get(pairKey(x.id, y.id));
        if (c !== undefined && (c - centre) / spread >= 4) candidate(x, y);
      }
    }
  }

  const results: AliasCandidate[] = [];
  for (const { a, b, contacts } of pairs.values()) {
    const hs = handleSimilarity(a.handle, b.handle);
    // Short handles collide by chance ("Zozo" on two forums): full weight from 6 folded characters.
    const lengthFactor = Math.min(1, Math.min(hs.foldedA.length, hs.foldedB.length) / 6);
    const handleStrength = hs.generic || hs.similarity < options.minHandleSimilarity
      ? 0
      : options.weights.handle * lengthFactor * ((hs.similarity - options.minHandleSimilarity) / (1 - options.minHandleSimilarity || 1));
    let stylometry: AliasCandidate['evidence']['stylometry'] = null;
    const pa = profiles.get(a.id);
    const pb = profiles.get(b.id);
    if (pa && pb && background.length >= 20) {
      const c = styleCos.get(pairKey(a.id, b.id)) ?? cosine(pa, pb);
      const z = (c - centre) / spread;
      // z ≤ 2 is within the unrelated-pair noise; saturate at z = 8.
      const strength = options.weights.stylometry * Math.min(1, Math.max(0, (z - 2) / 6));
      stylometry = { cosine: c, z, strength };
    }
    const factors = [...contacts.map((c) => c.strength), handleStrength, stylometry?.strength ?? 0];
    const score = 1 - factors.reduce((p, e) => p * (1 - e), 1);
    if (score < options.minScore) continue;
    results.push({
      a: a.id, b: b.id, siteA: a.siteId, siteB: b.siteId, handleA: a.handle, handleB: b.handle, score,
      evidence: { contacts, handle: { ...hs, strength: handleStrength }, stylometry },
    });
  }
  results.sort((x, y) => y.score - x.score || (x.a + x.b < y.a + y.b ? -1 : 1));
  return results;
}

function normaliseContact(type: string, value: string): string {
  const v = value.trim();
  if (type.startsWith('pgp')) return v.replace(/\s/g, '').toUpperCase();
  if (type === 'btc' || type === 'xmr' || type === 'ltc' || type === 'bch' || type === 'doge' || type === 'trx' || type === 'dash' || type === 'zec') return v; // case-sensitive encodings
  if (type === 'telegram') return v.toLowerCase().replace(/^@/, '').replace(/^(?:https?:\/\/)?t\.me\//, '');
  return v.toLowerCase();
}

function robustStats(values: number[]): { centre: number; spread: number } {
  if (values.length === 0) return { centre: 0, spread: 1 };
  const sorted = Float64Array.from(values).sort();
  const median = sorted[sorted.length >> 1]!;
  const dev = sorted.map((v) => Math.abs(v - median)).sort();
  const mad = dev[dev.length >> 1]! * 1.4826;
  return { centre: median, spread: Math.max(mad, 1e-6) };
}
