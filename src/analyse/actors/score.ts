import type { ScoreWeights } from './config.js';
import type { AuthorFeatures } from './features.js';
import type { NodeMetrics } from './metrics.js';
import type { ActorAuthor } from './types.js';

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
): ActorScore[] {
  const n = nodeIds.length;
  // One pass over the authors' features fills every content/seniority column.
  const FEATURE_NAMES = ['exploitPosts', 'codePosts', 'indicators', 'malwareTools', 'tenureDays', 'activeMonths', 'consistency'] as const;
  const featureColumns = Object.fromEntries(FEATURE_NAMES.map((k) => [k, new Float64Array(n)])) as Record<(typeof FEATURE_NAMES)[number], Float64Array>;
  for (let i = 0; i < n; i++) {
    const f = features.get(nodeIds[i] as string);
    if (!f) continue;
    for (const k of FEATURE_NAMES) featureColumns[k][i] = f[k];
  }
  const feature = (name: (typeof FEATURE_NAMES)[number]): Float64Array => featureColumns[name];
  const topicMax = topicPagerankNormalised(metrics);
  const reputation = new Float64Array(n);
  const repMissing = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = authors.get(nodeIds[i] as string)?.reputation ?? features.get(nodeIds[i] as string)?.reputation ?? null;
    if (r === null) repMissing[i] = 1;
    else reputation[i] = r;
  }
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
    { group: 'network', name: 'coreness', weight: nf.coreness, raw: Float64Array.from(metrics.coreness), kind: 'log' },
    { group: 'content', name: 'exploitPosts', weight: cf.exploitPosts, raw: feature('exploitPosts'), kind: 'log' },
    { group: 'content', name: 'codePosts', weight: cf.codePosts, raw: feature('codePosts'), kind: 'log' },
    { group: 'content', name: 'indicators', weight: cf.indicators, raw: feature('indicators'), kind: 'log' },
    { group: 'content', name: 'malwareTools', weight: cf.malwareTools, raw: feature('malwareTools'), kind: 'log' },
    { group: 'seniority', name: 'tenureDays', weight: sf.tenureDays, raw: feature('tenureDays'), kind: 'log' },
    { group: 'seniority', name: 'activeMonths', weight: sf.activeMonths, raw: feature('activeMonths'), kind: 'log' },
    { group: 'seniority', name: 'consistency', weight: sf.consistency, raw: feature('consistency'), kind: 'log' },
    { group: 'reputation', name: 'reputation', weight: 1, raw: reputation, kind: 'percentile', missing: repMissing },
  ];
  const groupWeight: Record<GroupName, number> = {
    network: weights.network, content: weights.content, seniority: weights.seniority, reputation: weights.reputation,
  };

  const bySite = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const site = sites[i] ?? authors.get(nodeIds[i] as string)?.siteId ?? '';
    const list = bySite.get(site);
    if (list) list.push(i);
    else bySite.set(site, [i]);
  }

  // Normalised columns are shared across sites (sites partition the nodes); per site we keep
  // only the effective weights. Breakdowns are built lazily: at 100k actors, materialising
  // ~20 objects per actor costs more than all the scoring arithmetic.
  const norm = columns.map(() => new Float64Array(n));
  const siteWeights = new Map<string, { featureWeight: Float64Array; groupWeight: Record<GroupName, number> }>();
  const siteOf: string[] = new Array<string>(n);
  const score = new Float64Array(n);
  for (const [site, members] of bySite) {
    const scaled = columns.map((c) => scaleColumn(c, members, n));
    const featureWeightSum: Record<GroupName, number> = { network: 0, content: 0, seniority: 0, reputation: 0 };
    columns.forEach((c, k) => { if (scaled[k]) featureWeightSum[c.group] += c.weight; });
    let totalGroupWeight = 0;
    for (const g of Object.keys(groupWeight) as GroupName[]) if (featureWeightSum[g] > 0) totalGroupWeight += groupWeight[g];
    const effectiveGroup = {} as Record<GroupName, number>;
    for (const g of Object.keys(groupWeight) as GroupName[]) {
      effectiveGroup[g] = featureWeightSum[g] > 0 && totalGroupWeight > 0 ? groupWeight[g] / totalGroupWeight : 0;
    }
    const featureWeight = Float64Array.from(columns, (c, k) => (scaled[k] && featureWeightSum[c.group] > 0 ? c.weight / featureWeightSum[c.group] : 0));
    siteWeights.set(site, { featureWeight, groupWeight: effectiveGroup });
    columns.forEach((c, k) => {
      const values = scaled[k];
      if (!values) return;
      const target = norm[k]!;
      const w = featureWeight[k]! * effectiveGroup[c.group];
      for (const i of members) {
        target[i] = values[i]!;
        score[i]! += w * values[i]!;
      }
    });
    for (const i of members) siteOf[i] = site;
  }

  const breakdownOf = (i: number): ScoreBreakdown => {
    const weights = siteWeights.get(siteOf[i] as string)!;
    const groups = {} as Record<GroupName, { weight: number; value: number; contribution: number; features: Record<string, FeatureContribution> }>;
    for (const g of Object.keys(groupWeight) as GroupName[]) groups[g] = { weight: weights.groupWeight[g], value: 0, contribution: 0, features: {} };
    columns.forEach((c, k) => {
      const normalised = norm[k]![i]!;
      const fw = weights.featureWeight[k]!;
      groups[c.group].features[c.name] = { raw: c.missing?.[i] ? Number.NaN : c.raw[i]!, normalised, weight: fw };
      groups[c.group].value += fw * normalised;
    });
    for (const g of Object.values(groups)) g.contribution = g.weight * g.value;
    return { groups, community: metrics.community[i] ?? -1, topTopics: topicMax.top(i, 3) };
  };

  // Sort by score (ids break ties, for a deterministic order) on a typed index array.
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => score[b]! - score[a]! || ((nodeIds[a] as string) < (nodeIds[b] as string) ? -1 : 1));
  const siteRank = new Map<string, number>();
  const result: ActorScore[] = new Array<ActorScore>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const site = siteOf[i] ?? '';
    const rank = (siteRank.get(site) ?? 0) + 1;
    siteRank.set(site, rank);
    const id = nodeIds[i] as string;
    result[k] = new ScoredActor(id, site, authors.get(id)?.handle ?? id, score[i]!, rank, k + 1, i, breakdownOf);
  }
  return result;
}

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

/** Scaled values for the site's members, or null when the column carries no signal there. */
function scaleColumn(column: Column, members: readonly number[], n: number): Float64Array | null {
  const present = column.missing ? members.filter((i) => !column.missing![i]) : members;
  if (present.length === 0) return null;
  const out = new Float64Array(n);
  if (column.kind === 'percentile') {
    const sorted = [...present].sort((a, b) => column.raw[a]! - column.raw[b]!);
    if (column.raw[sorted[0]!] === column.raw[sorted[sorted.length - 1]!]) return null;
    // Average rank for ties, scaled to [0,1].
    let k = 0;
    while (k < sorted.length) {
      let j = k;
      while (j + 1 < sorted.length && column.raw[sorted[j + 1]!] === column.raw[sorted[k]!]) j++;
      const pct = sorted.length === 1 ? 1 : (k + j) / 2 / (sorted.length - 1);
      for (let t = k; t <= j; t++) out[sorted[t]!] = pct;
      k = j + 1;
    }
    return out;
  }
  let max = 0;
  let sum = 0;
  let nonZero = 0;
  for (const i of present) {
    const v = Math.max(0, column.raw[i]!);
    if (v > max) max = v;
    if (v > 0) { sum += v; nonZero++; }
  }
  if (max === 0) return null;
  const s = sum / nonZero;
  const denom = Math.log1p(max / s);
  for (const i of present) out[i] = denom > 0 ? Math.log1p(Math.max(0, column.raw[i]!) / s) / denom : 1;
  return out;
}

/** Per topic, PageRank divided by the topic's max; `best` is each author's max over topics. */
function topicPagerankNormalised(metrics: NodeMetrics): { best: Float64Array; top: (i: number, k: number) => { topic: string; normalised: number }[] } {
  const best = new Float64Array(metrics.n);
  const scaled: [string, Float64Array][] = [];
  for (const [topic, values] of metrics.topicPagerank) {
    let max = 0;
    for (const v of values) if (v > max) max = v;
    if (max === 0) continue;
    const s = values.map((v) => v / max);
    scaled.push([topic, s]);
    for (let i = 0; i < metrics.n; i++) if (s[i]! > best[i]!) best[i] = s[i]!;
  }
  return {
    best,
    top: (i, k) => scaled
      .map(([topic, s]) => ({ topic, normalised: s[i] ?? 0 }))
      .filter((t) => t.normalised > 0)
      .sort((a, b) => b.normalised - a.normalised)
      .slice(0, k),
  };
}
