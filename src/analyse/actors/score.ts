import type { ScoreWeights } from './config.js';
import type { AuthorFeatures } from './features.js';
import type { NodeMetrics } from './metrics.js';
import type { ActorAuthor } from './types.js';
import { ScoreInputs } from './score-inputs.js';

/**
 * The key-hacker score. Each raw feature is scaled per site to [0,1] with
 *   norm(x) = log(1 + x/s) / log(1 + max/s),  s = mean of the site's non-zero values,
 * which keeps heavy-tailed counts and centralities comparable and makes the site's top actor 1.
 * Reputation uses the percentile rank within the site (forums use incomparable scales, even
 * negative ones). A group is a weighted mean of its features; the score is a weighted mean of
 * the groups. Features (and groups) with no signal on a site — e.g. a forum that shows no
 * reputation, or content analysers not run yet — are left out and their weight renormalised,
 * so scores stay in [0,1] and comparable between sites.
 */
export type GroupName = 'network' | 'content' | 'seniority' | 'reputation';

export interface FeatureContribution {
  readonly raw: number;
  readonly normalised: number;
  readonly weight: number;
}

export interface GroupBreakdown {
  /** Effective group weight after renormalisation (0 when the group has no signal on the site). */
  readonly weight: number;
  readonly value: number;
  readonly contribution: number;
  readonly features: Readonly<Record<string, FeatureContribution>>;
}

export interface ScoreBreakdown {
  readonly groups: Readonly<Record<GroupName, GroupBreakdown>>;
  readonly community: number;
  readonly topTopics: readonly { topic: string; normalised: number }[];
}

export interface ActorScore {
  readonly authorId: string;
  readonly siteId: string;
  readonly handle: string;
  readonly score: number;
  /** 1-based rank within the site. */
  readonly rank: number;
  /** 1-based rank across all sites. */
  readonly globalRank: number;
  readonly breakdown: ScoreBreakdown;
}

interface Column {
  group: GroupName;
  name: string;
  weight: number;
  raw: Float64Array;
  kind: 'log' | 'percentile';
  /** Authors where the value is missing (reputation not shown), excluded from scaling. */
  missing?: Uint8Array;
}

export function scoreActors(
  nodeIds: readonly string[],
  metrics: NodeMetrics,
  features: ReadonlyMap<string, AuthorFeatures>,
  authors: ReadonlyMap<string, ActorAuthor>,
  weights: ScoreWeights,
  /** Site of each node (graph.siteOf); looked up in `authors` when absent. */
  sites: readonly string[] = [],
  /** Content/seniority/reputation columns when the caller keeps them between updates. */
  inputs: ScoreInputs = ScoreInputs.build(nodeIds, features, authors, sites),
): ActorScore[] {
  const n = nodeIds.length;
  if (inputs.n !== n) throw new RangeError(`scoreActors: inputs cover ${inputs.n} authors, the graph has ${n}`);
  const { exploitPosts, codePosts, indicators, malwareTools, tenureDays, activeMonths, consistency, reputation, repMissing } = inputs;
  const topicMax = topicPagerankNormalised(metrics);
  const coreness = Float64Array.from(metrics.coreness);
  const nf = weights.networkFeatures;
  const cf = weights.contentFeatures;
  const sf = weights.seniorityFeatures;
  const columns: Column[] = [
    { group: 'network', name: 'pagerank', weight: nf.pagerank, raw: metrics.pagerank, kind: 'log' },
    { group: 'network', name: 'topicPagerank', weight: nf.topicPagerank, raw: topicMax.best, kind: 'log' },
    { group: 'network', name: 'authority', weight: nf.authority, raw: metrics.authorities, kind: 'log' },
    { group: 'network', name: 'hub', weight: nf.hub, raw: metrics.hubs, kind: 'log' },
    { group: 'network', name: 'eigenvector', weight: nf.eigenvector, raw: metrics.eigenvector, kind: 'log' },
    { group: 'network', name: 'betweenness', weight: nf.betweenness, raw: metrics.betweenness, kind: 'log' },
    { group: 'network', name: 'coreness', weight: nf.coreness, raw: coreness, kind: 'log' },
    { group: 'content', name: 'exploitPosts', weight: cf.exploitPosts, raw: exploitPosts, kind: 'log' },
    { group: 'content', name: 'codePosts', weight: cf.codePosts, raw: codePosts, kind: 'log' },
    { group: 'content', name: 'indicators', weight: cf.indicators, raw: indicators, kind: 'log' },
    { group: 'content', name: 'malwareTools', weight: cf.malwareTools, raw: malwareTools, kind: 'log' },
    { group: 'seniority', name: 'tenureDays', weight: sf.tenureDays, raw: tenureDays, kind: 'log' },
    { group: 'seniority', name: 'activeMonths', weight: sf.activeMonths, raw: activeMonths, kind: 'log' },
    { group: 'seniority', name: 'consistency', weight: sf.consistency, raw: consistency, kind: 'log' },
    { group: 'reputation', name: 'reputation', weight: 1, raw: reputation, kind: 'percentile', missing: repMissing },
  ];
  const groupWeight: Record<GroupName, number> = {
    network: weights.network, content: weights.content, seniority: weights.seniority, reputation: weights.reputation,
  };

  // Sites partition the nodes: per site, a typed list of its members.
  const { siteOfNode, siteNames } = inputs;
  const siteSize = new Array<number>(siteNames.length).fill(0);
  for (let i = 0; i < n; i++) siteSize[siteOfNode[i]!]! += 1;
  const siteMembers = siteSize.map((size) => new Uint32Array(size));
  const fill = new Uint32Array(siteSize.length);
  for (let i = 0; i < n; i++) {
    const k = siteOfNode[i]!;
    siteMembers[k]![fill[k]!++] = i;
  }

  // Normalised columns are shared across sites; per site we keep only the effective weights.
  // Breakdowns are built lazily: at 100k actors, materialising ~20 objects per actor costs more
  // than all the scoring arithmetic.
  // Only the percentile column is materialised; log-scaled values are recomputed from the
  // per-site scale when a breakdown is asked for (saves a column-sized array per feature).
  // Reputation percentiles only change when a reputation (or the set of authors) does.
  const memo = inputs.percentile;
  const percentile = memo?.values ?? new Float64Array(n);
  const percentileSites: boolean[] = [];
  const siteWeights: { featureWeight: Float64Array; groupWeight: Record<GroupName, number>; scales: (Scale | null)[] }[] = [];
  const score = new Float64Array(n);
  siteMembers.forEach((members, site) => {
    const scales = columns.map((c) => {
      if (c.kind !== 'percentile') return scaleColumn(c, members, percentile);
      const known = memo?.perSite[site];
      const scale = known === undefined ? scaleColumn(c, members, percentile) : known ? PERCENTILE : null;
      percentileSites.push(scale === PERCENTILE);
      return scale;
    });
    const featureWeightSum: Record<GroupName, number> = { network: 0, content: 0, seniority: 0, reputation: 0 };
    columns.forEach((c, k) => { if (scales[k]) featureWeightSum[c.group] += c.weight; });
    let totalGroupWeight = 0;
    for (const g of Object.keys(groupWeight) as GroupName[]) if (featureWeightSum[g] > 0) totalGroupWeight += groupWeight[g];
    const effectiveGroup = {} as Record<GroupName, number>;
    for (const g of Object.keys(groupWeight) as GroupName[]) {
      effectiveGroup[g] = featureWeightSum[g] > 0 && totalGroupWeight > 0 ? groupWeight[g] / totalGroupWeight : 0;
    }
    const featureWeight = Float64Array.from(columns, (c, k) => (scales[k] && featureWeightSum[c.group] > 0 ? c.weight / featureWeightSum[c.group] : 0));
    siteWeights.push({ featureWeight, groupWeight: effectiveGroup, scales });
    columns.forEach((c, k) => {
      const scale = scales[k];
      const w = featureWeight[k]! * effectiveGroup[c.group];
      if (!scale || w === 0) return;
      if (scale === PERCENTILE) addPercentile(members, percentile, w, score);
      else addLogScaled(members, c.raw, scale.s, scale.denom, w, score);
    });
  });
  inputs.percentile ??= { values: percentile, perSite: percentileSites };
  const normalisedOf = (k: number, i: number, scale: Scale | null): number => {
    if (!scale) return 0;
    if (scale === PERCENTILE) return percentile[i]!;
    const c = columns[k]!;
    if (c.missing?.[i]) return 0;
    const v = c.raw[i]!;
    return scale.denom > 0 ? (v > 0 ? Math.log1p(v / scale.s) / scale.denom : 0) : 1;
  };

  const breakdownOf = (i: number): ScoreBreakdown => {
    const weights = siteWeights[siteOfNode[i]!]!;
    const groups = {} as Record<GroupName, { weight: number; value: number; contribution: number; features: Record<string, FeatureContribution> }>;
    for (const g of Object.keys(groupWeight) as GroupName[]) groups[g] = { weight: weights.groupWeight[g], value: 0, contribution: 0, features: {} };
    columns.forEach((c, k) => {
      const normalised = normalisedOf(k, i, weights.scales[k] ?? null);
      const fw = weights.featureWeight[k]!;
      groups[c.group].features[c.name] = { raw: c.missing?.[i] ? Number.NaN : c.raw[i]!, normalised, weight: fw };
      groups[c.group].value += fw * normalised;
    });
    for (const g of Object.values(groups)) g.contribution = g.weight * g.value;
    return { groups, community: metrics.community[i] ?? -1, topTopics: topicMax.top(i, 3) };
  };

  return scoredActors(sortByScore(score, nodeIds), score, nodeIds, siteOfNode, siteNames, inputs.handles, breakdownOf);
}

// Loops over every author live in small functions of typed arrays: V8 keeps their optimised code
// between updates (a loop in a long function entered once per update runs interpreted until it
// is OSR-compiled again, every time).

function addPercentile(members: Uint32Array, percentile: Float64Array, w: number, score: Float64Array): void {
  for (let m = 0; m < members.length; m++) score[members[m]!]! += w * percentile[members[m]!]!;
}

function addLogScaled(members: Uint32Array, raw: Float64Array, s: number, denom: number, w: number, score: Float64Array): void {
  for (let m = 0; m < members.length; m++) {
    const i = members[m]!;
    const v = raw[i]!;
    if (v > 0) score[i]! += w * (denom > 0 ? Math.log1p(v / s) / denom : 1);
    else if (!(denom > 0)) score[i]! += w;
  }
}

/** The ranked list: per-site and global ranks, breakdowns built on first access. */
function scoredActors(
  order: Uint32Array, score: Float64Array, nodeIds: readonly string[], siteOfNode: Uint32Array, siteNames: readonly string[],
  handles: readonly string[], breakdownOf: (i: number) => ScoreBreakdown,
): ActorScore[] {
  const n = order.length;
  const siteRank = new Uint32Array(siteNames.length);
  const result: ActorScore[] = new Array<ActorScore>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const site = siteOfNode[i]!;
    const rank = ++siteRank[site]!;
    result[k] = new ScoredActor(nodeIds[i] as string, siteNames[site] as string, handles[i] as string, score[i]!, rank, k + 1, i, breakdownOf);
  }
  return result;
}

/**
 * Node indices by score, best first, ids breaking ties (deterministic). A comparator sort of 100k
 * indices costs ~1.4M closure calls; instead each score's upper 32 bits (sign, exponent and the
 * top 20 mantissa bits: scores are ≥ 0, so the bit order is the numeric order) are packed with
 * the node index in the lower 32 bits and the packed doubles sorted natively. Only runs that
 * share the upper word (scores within ~1e-6 relative, ties included) need the exact comparator.
 */
export function sortByScore(score: Float64Array, nodeIds: readonly string[]): Uint32Array {
  const n = score.length;
  const packed = new Float64Array(n);
  const words = new Uint32Array(packed.buffer);
  const scoreWords = new Uint32Array(score.buffer, score.byteOffset, 2 * n);
  const hi = LITTLE_ENDIAN ? 1 : 0;
  const bad = packScores(score, scoreWords, words, hi);
  if (bad >= 0) throw new RangeError(`sortByScore: score ${score[bad]} of ${nodeIds[bad]} is not a non-negative number`);
  packed.sort();
  const order = new Uint32Array(n);
  unpackDescending(words, hi, order);
  const cmp = (a: number, b: number): number => score[b]! - score[a]! || ((nodeIds[a] as string) < (nodeIds[b] as string) ? -1 : 1);
  for (let k = 0; k < n;) {
    const end = runEnd(order, scoreWords, hi, k);
    if (end - k > 1) order.subarray(k, end).sort(cmp);
    k = end;
  }
  return order;
}

/** Upper word of each score and its index into `words`; the first bad (negative/NaN) index or −1. */
function packScores(score: Float64Array, scoreWords: Uint32Array, words: Uint32Array, hi: number): number {
  for (let i = 0; i < score.length; i++) {
    if (!(score[i]! >= 0)) return i;
    words[2 * i + hi] = scoreWords[2 * i + hi]!;
    words[2 * i + 1 - hi] = i;
  }
  return -1;
}

/** End of the run of `order` from k whose scores share the upper word. */
function runEnd(order: Uint32Array, scoreWords: Uint32Array, hi: number, k: number): number {
  const n = order.length;
  const top = scoreWords[2 * order[k]! + hi]!;
  let end = k + 1;
  while (end < n && scoreWords[2 * order[end]! + hi] === top) end++;
  return end;
}

function unpackDescending(words: Uint32Array, hi: number, order: Uint32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) order[k] = words[2 * (n - 1 - k) + 1 - hi]!;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * One actor's score. The breakdown is computed on first access (and included by JSON.stringify
 * through toJSON), because building ~20 objects for each of 100k actors costs more than scoring.
 */
class ScoredActor implements ActorScore {
  private cached: ScoreBreakdown | undefined;
  constructor(
    readonly authorId: string,
    readonly siteId: string,
    readonly handle: string,
    readonly score: number,
    readonly rank: number,
    readonly globalRank: number,
    private readonly index: number,
    private readonly build: (i: number) => ScoreBreakdown,
  ) {}

  get breakdown(): ScoreBreakdown {
    return (this.cached ??= this.build(this.index));
  }

  toJSON(): Omit<ActorScore, never> {
    return { authorId: this.authorId, siteId: this.siteId, handle: this.handle, score: this.score, rank: this.rank, globalRank: this.globalRank, breakdown: this.breakdown };
  }
}

/** First position in sorted `values` whose value is ≥ v. */
function lowerBound(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in sorted `values` whose value is > v. */
function upperBound(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Scale = { readonly s: number; readonly denom: number };
const PERCENTILE: Scale = { s: Number.NaN, denom: Number.NaN };

/**
 * The column's scale on one site: `{ s, denom }` for norm(x) = log1p(x/s)/denom, PERCENTILE when
 * the percentile ranks were written into `percentile`, or null when the column carries no signal
 * there.
 */
function scaleColumn(column: Column, members: Uint32Array, percentile: Float64Array): Scale | null {
  const raw = column.raw;
  const missing = column.missing;
  if (column.kind === 'percentile') {
    let count = 0;
    const present = new Uint32Array(members.length);
    for (let m = 0; m < members.length; m++) if (!missing?.[members[m]!]) present[count++] = members[m]!;
    if (count === 0) return null;
    // Native numeric sort of the values (no comparator calls), then each author's average rank
    // among ties from the first and last position of its value.
    const values = new Float64Array(count);
    for (let m = 0; m < count; m++) values[m] = raw[present[m]!]!;
    values.sort();
    if (values[0] === values[count - 1]) return null;
    for (let m = 0; m < count; m++) {
      const v = raw[present[m]!]!;
      const first = lowerBound(values, v);
      const last = upperBound(values, v) - 1;
      percentile[present[m]!] = (first + last) / 2 / (count - 1);
    }
    return PERCENTILE;
  }
  return logScale(members, raw, missing ?? null);
}

function logScale(members: Uint32Array, raw: Float64Array, missing: Uint8Array | null): Scale | null {
  let max = 0;
  let sum = 0;
  let nonZero = 0;
  for (let m = 0; m < members.length; m++) {
    const i = members[m]!;
    if (missing !== null && missing[i]) continue;
    const v = raw[i]!;
    if (v > 0) {
      if (v > max) max = v;
      sum += v;
      nonZero++;
    }
  }
  if (max === 0) return null;
  const s = sum / nonZero;
  return { s, denom: Math.log1p(max / s) };
}

/** Per topic, PageRank divided by the topic's max; `best` is each author's max over topics. */
function topicPagerankNormalised(metrics: NodeMetrics): { best: Float64Array; top: (i: number, k: number) => { topic: string; normalised: number }[] } {
  const n = metrics.n;
  const best = new Float64Array(n);
  const scaled: [string, Float64Array, number][] = [];
  for (const [topic, values] of metrics.topicPagerank) {
    const max = maxOf(values, n);
    if (max === 0) continue;
    scaled.push([topic, values, max]);
    raiseToScaled(values, max, best, n);
  }
  return {
    best,
    top: (i, k) => scaled
      .map(([topic, values, max]) => ({ topic, normalised: (values[i] ?? 0) / max }))
      .filter((t) => t.normalised > 0)
      .sort((a, b) => b.normalised - a.normalised)
      .slice(0, k),
  };
}

function maxOf(values: Float64Array, n: number): number {
  let max = 0;
  for (let i = 0; i < n; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

/** best[i] = max(best[i], values[i] / max). */
function raiseToScaled(values: Float64Array, max: number, best: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = values[i]! / max;
    if (v > best[i]!) best[i] = v;
  }
}
