import { stableId } from '../../core/ids.js';
import type { GroundTruth } from '../../collect/simulator/ground-truth.js';
import type { AliasCandidate } from './alias.js';
import type { ActorScore } from './score.js';
import type { ActorInput, ActorLabel, ActorLink } from './types.js';

/**
 * Evaluation against the simulator's ground truth (docs/simulator.md): key-actor precision@k,
 * alias-linking precision/recall, and Spearman ρ between our score and forum reputation.
 * Ids follow the store's rules, so a crawled store and the ground truth line up.
 */
export const authorIdOf = (forum: string, handle: string): string => stableId('a', forum, handle.toLowerCase());

/** Topics that count as technical (exploit-labeller-like) labels in `oracle` label mode. */
const TECHNICAL_TOPICS: ReadonlySet<string> = new Set(['exploit', 'malware']);

/**
 * ActorInput straight from the ground-truth posts — what a perfect crawl would store. Indicators
 * become entities (a perfect extractor). Exploit labels: none (`labels: 'none'`, nothing from the
 * labeller) or the thread topic for exploit/malware threads (`'oracle'`, an upper bound).
 */
export function inputFromGroundTruth(gt: GroundTruth, options: { labels: 'none' | 'oracle' }): ActorInput {
  const sites = gt.forums.map((f) => ({ id: stableId('s', f.slug), name: f.slug }));
  const authors = gt.authors.map((a) => ({
    id: authorIdOf(a.forum, a.handle), siteId: stableId('s', a.forum), handle: a.handle,
    reputation: a.reputation, postCount: a.post_count, joinedAt: a.joined_at,
  }));
  const topicOf = new Map(gt.threads.map((t) => [`${t.forum}\u0000${t.thread_id}`, t.topic]));
  const postId = (forum: string, id: string): string => stableId('p', forum, id);
  const links: ActorLink[] = [];
  const labels: ActorLabel[] = [];
  const entities: { postId: string; type: string; value: string }[] = [];
  const posts = gt.posts.map((p) => {
    const id = postId(p.forum, p.post_id);
    for (const q of p.quotes) links.push({ postId: id, targetPostId: postId(p.forum, q), kind: 'quote' });
    if (p.reply_to !== null && !p.quotes.includes(p.reply_to)) links.push({ postId: id, targetPostId: postId(p.forum, p.reply_to), kind: 'reply' });
    for (const ind of p.indicators) entities.push({ postId: id, type: ind.type, value: ind.value });
    const topic = topicOf.get(`${p.forum}\u0000${p.thread_id}`);
    if (options.labels === 'oracle' && topic !== undefined && TECHNICAL_TOPICS.has(topic)) labels.push({ postId: id, label: topic, confidence: 1 });
    return {
      id, siteId: stableId('s', p.forum), threadId: stableId('t', p.forum, p.thread_id), boardId: null, authorId: authorIdOf(p.forum, p.author),
      postedAt: p.posted_at, bodyText: p.body_text, codeBlockCount: p.code ? 1 : 0,
    };
  });
  return { sites, authors, posts, links, entities, labels, languages: [], boards: [] };
}

export function keyActorIds(gt: GroundTruth): Set<string> {
  return new Set(gt.authors.filter((a) => a.key_actor).map((a) => authorIdOf(a.forum, a.handle)));
}

/** Unordered pairs (as "a\0b", a < b) of accounts of the same person on different forums. */
export function aliasPairs(gt: GroundTruth): Set<string> {
  const byPerson = new Map<string, string[]>();
  for (const a of gt.authors) {
    const list = byPerson.get(a.person) ?? [];
    list.push(authorIdOf(a.forum, a.handle));
    byPerson.set(a.person, list);
  }
  const pairs = new Set<string>();
  for (const ids of byPerson.values()) {
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i]!, ids[j]!));
  }
  return pairs;
}

export const pairKey = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);

export function precisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const top = ranked.slice(0, k);
  if (top.length === 0) return 0;
  return top.filter((id) => relevant.has(id)).length / k;
}

/** Mean of precision at each relevant hit (average precision). */
export function averagePrecision(ranked: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, k) => {
    if (relevant.has(id)) {
      hits++;
      sum += hits / (k + 1);
    }
  });
  return sum / relevant.size;
}

export function aliasPrecisionRecall(candidates: readonly AliasCandidate[], truth: ReadonlySet<string>, threshold: number): { precision: number; recall: number; f1: number; predicted: number; truePositives: number } {
  const predicted = candidates.filter((c) => c.score >= threshold);
  const tp = predicted.filter((c) => truth.has(pairKey(c.a, c.b))).length;
  const precision = predicted.length === 0 ? 0 : tp / predicted.length;
  const recall = truth.size === 0 ? 0 : tp / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, predicted: predicted.length, truePositives: tp };
}

/** Spearman's ρ with average ranks for ties (Pearson on ranks). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 3) return Number.NaN;
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  let k = 0;
  while (k < order.length) {
    let j = k;
    while (j + 1 < order.length && order[j + 1]![0] === order[k]![0]) j++;
    for (let t = k; t <= j; t++) out[order[t]![1]] = (k + j) / 2 + 1;
    k = j + 1;
  }
  return out;
}

export interface KeyActorMetrics {
  readonly precisionAt10: number;
  readonly precisionAt50: number;
  /** Precision at R = number of key-actor accounts (R-precision). */
  readonly rPrecision: number;
  readonly averagePrecision: number;
  readonly keyAccounts: number;
  /** Spearman ρ(score, reputation) pooled over authors, and the mean of per-site ρ. */
  readonly spearmanPooled: number;
  readonly spearmanPerSiteMean: number;
}

export function keyActorMetrics(scores: readonly ActorScore[], truth: ReadonlySet<string>, reputation: ReadonlyMap<string, number>): KeyActorMetrics {
  const ranked = scores.map((s) => s.authorId);
  const pooledX: number[] = [];
  const pooledY: number[] = [];
  const bySite = new Map<string, { x: number[]; y: number[] }>();
  for (const s of scores) {
    const r = reputation.get(s.authorId);
    if (r === undefined) continue;
    pooledX.push(s.score);
    pooledY.push(r);
    const site = bySite.get(s.siteId) ?? { x: [], y: [] };
    site.x.push(s.score);
    site.y.push(r);
    bySite.set(s.siteId, site);
  }
  const perSite = [...bySite.values()].map((v) => spearman(v.x, v.y)).filter((v) => Number.isFinite(v));
  return {
    precisionAt10: precisionAtK(ranked, truth, 10),
    precisionAt50: precisionAtK(ranked, truth, 50),
    rPrecision: precisionAtK(ranked, truth, truth.size),
    averagePrecision: averagePrecision(ranked, truth),
    keyAccounts: truth.size,
    spearmanPooled: spearman(pooledX, pooledY),
    spearmanPerSiteMean: perSite.length === 0 ? Number.NaN : perSite.reduce((a, b) => a + b, 0) / perSite.length,
  };
}
