import type { InteractionGraph } from './graph.js';
import type { MetricsConfig } from './config.js';
import type { AuthorFeatures } from './features.js';
import { betweenness, clustering, coreNumbers, eigenvector, hits, pagerank, sampleNodes } from './centrality.js';
import { louvainCommunities } from './communities.js';

/** Every network metric, indexed like `graph.nodeIds`. */
export interface NodeMetrics {
  readonly n: number;
  readonly pagerank: Float64Array;
  /** Topic-specific PageRank (HackerRank): teleport restricted to authors posting on the topic. */
  readonly topicPagerank: ReadonlyMap<string, Float64Array>;
  readonly hubs: Float64Array;
  readonly authorities: Float64Array;
  readonly eigenvector: Float64Array;
  readonly betweenness: Float64Array;
  readonly betweennessMode: 'exact' | 'sampled' | 'carried-over';
  readonly coreness: Uint32Array;
  readonly clustering: Float64Array;
  readonly community: Int32Array;
  readonly communityCount: number;
  readonly modularity: number;
  readonly inStrength: Float64Array;
  readonly outStrength: Float64Array;
  readonly degree: Uint32Array;
  /** Metrics reused from the previous full run instead of recomputed (incremental updates). */
  readonly stale: readonly string[];
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly iterations: Readonly<Record<string, number>>;
}

export interface ComputeOptions {
  readonly config: MetricsConfig;
  /** Topics to run topic-specific PageRank for (most frequent first), from author features. */
  readonly features: ReadonlyMap<string, AuthorFeatures>;
  /** Warm start and carry-over of the expensive global metrics (incremental update). */
  readonly previous?: NodeMetrics;
}

export function computeMetrics(graph: InteractionGraph, options: ComputeOptions): NodeMetrics {
  const { config, previous } = options;
  const timings: Record<string, number> = {};
  const iterations: Record<string, number> = {};
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    const result = fn();
    timings[name] = (timings[name] ?? 0) + performance.now() - t0;
    return result;
  };
  const n = graph.order;
  const out = time('csr', () => graph.outCsr());
  const und = time('csr', () => graph.undirectedCsr(out));
  const iter = { tolerance: config.tolerance, maxIterations: config.maxIterations };

  const pr = time('pagerank', () =>
    pagerank(out, { ...iter, damping: config.damping, ...(previous ? { start: extend(previous.pagerank, n) } : {}) }));
  iterations.pagerank = pr.iterations;

  const topicPagerank = new Map<string, Float64Array>();
  time('topicPagerank', () => {
    for (const topic of topTopics(options.features, config.maxTopics)) {
      const teleport = new Float64Array(n);
      for (let i = 0; i < n; i++) teleport[i] = options.features.get(graph.nodeIds[i] as string)?.topics.get(topic) ?? 0;
      let total = 0;
      for (const v of teleport) total += v;
      if (total === 0) continue;
      for (let i = 0; i < n; i++) teleport[i]! /= total;
      const prior = previous?.topicPagerank.get(topic);
      const result = pagerank(out, { ...iter, damping: config.damping, teleport, ...(prior ? { start: extend(prior, n) } : {}) });
      iterations[`topic:${topic}`] = result.iterations;
      topicPagerank.set(topic, result.values);
    }
  });

  const h = time('hits', () => hits(out, { ...iter, ...(previous ? { start: { hubs: extend(previous.hubs, n) } } : {}) }));
  iterations.hits = h.iterations;
  const ev = time('eigenvector', () => eigenvector(und, { ...iter, ...(previous ? { start: extend(previous.eigenvector, n) } : {}) }));
  iterations.eigenvector = ev.iterations;
  const coreness = time('kcore', () => coreNumbers(und));

  const stale: string[] = [];
  let bc: Float64Array;
  let betweennessMode: NodeMetrics['betweennessMode'];
  let clusteringValues: Float64Array;
  let community: Int32Array;
  let communityCount: number;
  let modularity: number;
  if (previous) {
    // Global, non-local metrics: an incremental batch reuses them; new authors get neutral values.
    bc = extend(previous.betweenness, n);
    betweennessMode = 'carried-over';
    clusteringValues = extend(previous.clustering, n);
    community = new Int32Array(n);
    community.set(previous.community.subarray(0, Math.min(n, previous.n)));
    communityCount = previous.communityCount;
    for (let i = previous.n; i < n; i++) community[i] = communityCount++;
    modularity = previous.modularity;
    stale.push('betweenness', 'clustering', 'communities');
  } else {
    const exact = n <= config.exactBetweennessMaxNodes;
    bc = time('betweenness', () => betweenness(und, exact ? null : sampleNodes(n, config.betweennessSamples, config.seed)));
    betweennessMode = exact ? 'exact' : 'sampled';
    clusteringValues = time('clustering', () => clustering(und));
    const lv = time('louvain', () => louvainCommunities(und, { resolution: config.louvainResolution, seed: config.seed }));
    community = lv.community;
    communityCount = lv.count;
    modularity = lv.modularity;
  }

  const inStrength = new Float64Array(n);
  const degree = new Uint32Array(n);
  for (let u = 0; u < n; u++) {
    for (let j = out.start[u]!; j < out.start[u + 1]!; j++) inStrength[out.target[j]!]! += out.weight[j]!;
    degree[u] = und.start[u + 1]! - und.start[u]!;
  }
  return {
    n, pagerank: pr.values, topicPagerank, hubs: h.hubs, authorities: h.authorities, eigenvector: ev.values,
    betweenness: bc, betweennessMode, coreness, clustering: clusteringValues, community, communityCount, modularity,
    inStrength, outStrength: out.weightSum, degree, stale, timingsMs: timings, iterations,
  };
}

export function topTopics(features: ReadonlyMap<string, AuthorFeatures>, max: number): string[] {
  const counts = new Map<string, number>();
  for (const f of features.values()) for (const [t, c] of f.topics) counts.set(t, (counts.get(t) ?? 0) + c);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max).map(([t]) => t);
}

function extend(values: Float64Array, n: number): Float64Array {
  if (values.length === n) return Float64Array.from(values);
  const next = new Float64Array(n);
  next.set(values.subarray(0, Math.min(n, values.length)));
  return next;
}
