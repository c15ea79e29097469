import type { InteractionGraph } from './graph.js';
import type { MetricsConfig } from './config.js';
import type { AuthorFeatures } from './features.js';
import { betweenness, clustering, coreNumbers, eigenvector, hits, pagerankPushMulti, sampleNodes } from './centrality.js';
import { PagerankState } from './pagerank-state.js';
import { louvainCommunities, louvainCsr } from './communities.js';

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
  readonly cpuMs: Readonly<Record<string, number>>;
  readonly iterations: Readonly<Record<string, number>>;
}

export interface ComputeOptions {
  readonly config: MetricsConfig;
  /** Topics to run topic-specific PageRank for (most frequent first), from author features. */
  readonly features: ReadonlyMap<string, AuthorFeatures>;
  /** Warm start and carry-over of the expensive global metrics (incremental update). */
  readonly previous?: NodeMetrics;
  /** Authors whose features changed since `previous` (their teleport counts are patched). */
  readonly touched?: readonly string[];
  /** Topic → posts over all authors, when the caller keeps it (else summed from `features`). */
  readonly topicTotals?: ReadonlyMap<string, number>;
}

export function computeMetrics(graph: InteractionGraph, options: ComputeOptions): NodeMetrics {
  const { config, previous } = options;
  const timings: Record<string, number> = {};
  const iterations: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    const c0 = cpuNow();
    const result = fn();
    timings[name] = (timings[name] ?? 0) + performance.now() - t0;
    cpu[name] = (cpu[name] ?? 0) + cpuNow() - c0;
    return result;
  };
  const n = graph.order;
  const out = time('csr', () => graph.outCsr());
  // One transpose serves the gather kernels of PageRank, HITS and eigenvector; the graph merges
  // it incrementally like the out-CSR.
  const scratch = scratchOf(graph);
  const inEdges = time('csr', () => graph.inCsr());
  const iter = { tolerance: previous ? config.incrementalTolerance : config.tolerance, maxIterations: config.maxIterations };

  let topicPagerank = new Map<string, Float64Array>();
  let pr: { values: Float64Array } = { values: new Float64Array(n) };
  time('pagerank', () => {
    const topics = options.topicTotals ? topTopicsOf(options.topicTotals, config.maxTopics) : topTopics(options.features, config.maxTopics);
    if (previous && config.incrementalPagerank === 'push') {
      scratch.pagerankState.owner = null;
      const { teleports, starts } = pushInputs(topics, options.features, graph, previous);
      const results = pagerankPushMulti(out, { damping: config.damping, teleports, starts, epsilon: config.pushEpsilon / Math.max(1, n) });
      iterations.pushes = results.reduce((a, r) => a + r.pushes, 0);
      topics.forEach((topic, k) => {
        iterations[`topic:${topic}`] = results[k]!.iterations;
        topicPagerank.set(topic, results[k]!.values);
      });
      const plain = results[topics.length]!;
      pr = plain;
      iterations.pagerank = plain.iterations;
      return;
    }
    // Plain PageRank rides along as one more vector with a uniform teleport.
    const run = scratch.pagerankState.run(out, inEdges, {
      ...iter, damping: config.damping, topics, nodeIds: graph.nodeIds, nodeIndex: graph.nodeIndex, features: options.features,
      ...(previous ? { previous: { owner: previous, pagerank: previous.pagerank, topicPagerank: previous.topicPagerank, ...(options.touched ? { touched: options.touched } : {}) } } : {}),
    });
    topicPagerank = run.topicPagerank;
    pr = { values: run.pagerank };
    Object.assign(iterations, run.iterations);
    iterations.pagerankPatched = run.patched ? 1 : 0;
  });

  // HITS and eigenvector centrality are global fixed points like PageRank: an incremental batch
  // warm-starts them from the previous vectors (new authors start at 0), which takes a few passes.
  const h = time('hits', () => hits(out, { ...iter, inEdges, ...(previous ? { start: { hubs: previous.hubs } } : {}) }));
  iterations.hits = h.iterations;
  const ev = time('eigenvector', () => eigenvector(out, { ...iter, inEdges, ...(previous ? { start: previous.eigenvector } : {}) }));
  iterations.eigenvector = ev.iterations;

  const stale: string[] = [];
  let coreness: Uint32Array;
  let degree: Uint32Array;
  let bc: Float64Array;
  let betweennessMode: NodeMetrics['betweennessMode'];
  let clusteringValues: Float64Array;
  let community: Int32Array;
  let communityCount: number;
  let modularity: number;
  if (previous) {
    // Metrics on the undirected graph are reused by an incremental batch (building the undirected
    // copy alone costs more than the update); new authors get neutral values until a full run.
    // Same length (no new authors): share the previous arrays, which nothing mutates.
    coreness = carry(previous.coreness, n, (k) => new Uint32Array(k));
    degree = carry(previous.degree, n, (k) => new Uint32Array(k));
    bc = carry(previous.betweenness, n, (k) => new Float64Array(k));
    betweennessMode = 'carried-over';
    clusteringValues = carry(previous.clustering, n, (k) => new Float64Array(k));
    community = carry(previous.community, n, (k) => new Int32Array(k));
    communityCount = previous.communityCount;
    for (let i = previous.n; i < n; i++) community[i] = communityCount++; // only when not shared (n > previous.n)
    modularity = previous.modularity;
    stale.push('coreness', 'betweenness', 'clustering', 'communities');
  } else {
    const und = time('csr', () => graph.undirectedCsr());
    coreness = time('kcore', () => coreNumbers(und));
    degree = new Uint32Array(n);
    for (let u = 0; u < n; u++) degree[u] = und.start[u + 1]! - und.start[u]!;
    const exact = n <= config.exactBetweennessMaxNodes;
    bc = time('betweenness', () => betweenness(und, exact ? null : sampleNodes(n, config.betweennessSamples, config.seed)));
    betweennessMode = exact ? 'exact' : 'sampled';
    clusteringValues = time('clustering', () => clustering(und));
    const lvOptions = { resolution: config.louvainResolution, seed: config.seed };
    const lv = time('louvain', () => (und.target.length / 2 <= config.louvainLibraryMaxEdges ? louvainCommunities(und, lvOptions) : louvainCsr(und, lvOptions)));
    community = lv.community;
    communityCount = lv.count;
    modularity = lv.modularity;
  }

  // Row sums of the transpose: sequential reads instead of a scatter over every edge.
  const inStrength = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let sum = 0;
    for (let j = inEdges.start[v]!, end = inEdges.start[v + 1]!; j < end; j++) sum += inEdges.weight[j]!;
    inStrength[v] = sum;
  }
  const result: NodeMetrics = {
    n, pagerank: pr.values, topicPagerank, hubs: h.hubs, authorities: h.authorities, eigenvector: ev.values,
    betweenness: bc, betweennessMode, coreness, clustering: clusteringValues, community, communityCount, modularity,
    inStrength, outStrength: out.weightSum, degree, stale, timingsMs: timings, cpuMs: cpu, iterations,
  };
  // The kept PageRank iterate now belongs to this result: the next update may patch it.
  if (!(previous && config.incrementalPagerank === 'push')) scratch.pagerankState.owner = result;
  return result;
}

// PageRank's teleport counts and iterate (see PagerankState) and the transposed CSR, kept per
// graph so repeated incremental updates patch and reuse them.
interface Scratch { readonly pagerankState: PagerankState }
const scratchByGraph = new WeakMap<InteractionGraph, Scratch>();
function scratchOf(graph: InteractionGraph): Scratch {
  let scratch = scratchByGraph.get(graph);
  if (!scratch) {
    scratch = { pagerankState: new PagerankState() };
    scratchByGraph.set(graph, scratch);
  }
  return scratch;
}

function carry<T extends Uint32Array | Int32Array | Float64Array>(values: T, n: number, make: (n: number) => T): T {
  if (values.length === n) return values;
  const next = make(n);
  next.set(values.subarray(0, Math.min(n, values.length)) as never);
  return next;
}

export function topTopics(features: ReadonlyMap<string, AuthorFeatures>, max: number): string[] {
  const counts = new Map<string, number>();
  for (const f of features.values()) for (const [t, c] of f.topics) counts.set(t, (counts.get(t) ?? 0) + c);
  return topTopicsOf(counts, max);
}

/** The `max` most frequent topics of a topic → posts map, ties by name. */
export function topTopicsOf(counts: ReadonlyMap<string, number>, max: number): string[] {
  return [...counts.entries()].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max).map(([t]) => t);
}

/** Normalised teleport vectors and warm starts for the residual-push variant. */
function pushInputs(topics: readonly string[], features: ReadonlyMap<string, AuthorFeatures>, graph: InteractionGraph, previous: NodeMetrics): { teleports: Float64Array[]; starts: Float64Array[] } {
  const n = graph.order;
  const teleports = topics.map(() => new Float64Array(n));
  const column = new Map(topics.map((t, k) => [t, k]));
  for (const [authorId, f] of features) {
    const i = graph.nodeIndex.get(authorId);
    if (i === undefined) continue;
    for (const [topic, count] of f.topics) {
      const k = column.get(topic);
      if (k !== undefined) teleports[k]![i] = count;
    }
  }
  teleports.push(new Float64Array(n).fill(1));
  for (const tele of teleports) {
    let total = 0;
    for (const v of tele) total += v;
    if (total > 0) for (let i = 0; i < n; i++) tele[i]! /= total;
    else tele.fill(n === 0 ? 0 : 1 / n);
  }
  const starts = [...topics.map((t, k) => previous.topicPagerank.get(t) ?? teleports[k]!), previous.pagerank].map((x) => extend(x, n));
  return { teleports, starts };
}

function extend(values: Float64Array, n: number): Float64Array {
  if (values.length === n) return Float64Array.from(values);
  const next = new Float64Array(n);
  next.set(values.subarray(0, Math.min(n, values.length)));
  return next;
}
