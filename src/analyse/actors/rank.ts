import { DEFAULT_ACTORS_CONFIG, type ActorsConfig } from './config.js';
import { FeatureAccumulator, indexByPost, type AuthorFeatures } from './features.js';
import { InteractionGraph } from './graph.js';
import { computeMetrics, type NodeMetrics } from './metrics.js';
import { scoreActors, type ActorScore } from './score.js';
import { ScoreInputs } from './score-inputs.js';
import type { ActorAuthor, ActorInput } from './types.js';

/**
 * Entry points: `rankActors` computes everything from scratch; `updateRanking` folds a batch of
 * new posts into a previous result (warm-started PageRank / topic PageRank / HITS / eigenvector;
 * k-core, betweenness, clustering and communities carried over — see docs/actors.md).
 */
export interface RankResult {
  readonly config: ActorsConfig;
  readonly graph: InteractionGraph;
  readonly metrics: NodeMetrics;
  /** Live: an `updateRanking` on this result updates these objects in place. */
  readonly features: ReadonlyMap<string, AuthorFeatures>;
  readonly authors: ReadonlyMap<string, ActorAuthor>;
  /** Sorted by score, best first. */
  readonly scores: readonly ActorScore[];
  readonly timingsMs: Readonly<Record<string, number>>;
  /** CPU time per stage (all threads, GC helpers included): on a loaded machine the fairer figure. */
  readonly cpuMs: Readonly<Record<string, number>>;
  /** Posts folded in since the last full recompute. */
  readonly postsSinceFull: number;
  readonly postsAtFull: number;
  /** Authors whose content/seniority features this run recomputed (all of them on a full run). */
  readonly touchedAuthors: number;
  /** Internal incremental state. */
  readonly accumulator: FeatureAccumulator;
  readonly scoreInputs: ScoreInputs;
}

export function rankActors(input: ActorInput, config: ActorsConfig = DEFAULT_ACTORS_CONFIG): RankResult {
  const t0 = performance.now();
  const graph = new InteractionGraph(config.graph);
  const authors = new Map<string, ActorAuthor>();
  for (const a of input.authors) authors.set(a.id, a);
  const accumulator = new FeatureAccumulator(config.minLabelConfidence);
  return finish(graph, authors, accumulator, input, config, undefined, undefined, t0, 0, input.posts.length);
}

/**
 * Folds new posts into a previous result. Staleness policy: communities, betweenness, k-core and
 * clustering are carried over from the last full run until the posts added since then exceed
 * `metrics.maxStaleFraction` of the posts at that run (or `full` is set); then every metric is
 * recomputed on the accumulated graph and that becomes the new full run.
 */
export function updateRanking(previous: RankResult, delta: ActorInput, options: { readonly full?: boolean } = {}): RankResult {
  const t0 = performance.now();
  let authors = previous.authors as Map<string, ActorAuthor>;
  if (delta.authors.length > 0) {
    authors = new Map(previous.authors);
    for (const a of delta.authors) authors.set(a.id, a);
  }
  const sinceFull = previous.postsSinceFull + delta.posts.length;
  const recompute = options.full === true || sinceFull > previous.config.metrics.maxStaleFraction * previous.postsAtFull;
  return finish(
    previous.graph, authors, previous.accumulator, delta, previous.config, recompute ? undefined : previous.metrics, previous.scoreInputs, t0,
    recompute ? 0 : sinceFull, recompute ? previous.postsAtFull + sinceFull : previous.postsAtFull,
  );
}

/** Re-scores an existing result with other weights (ablations) without recomputing metrics. */
export function rescore(result: RankResult, weights: ActorsConfig['weights']): readonly ActorScore[] {
  return scoreActors(result.graph.nodeIds, result.metrics, result.features, result.authors, weights, result.graph.siteOf, result.scoreInputs);
}

function finish(
  graph: InteractionGraph,
  authors: Map<string, ActorAuthor>,
  accumulator: FeatureAccumulator,
  batch: ActorInput,
  config: ActorsConfig,
  previous: NodeMetrics | undefined,
  previousInputs: ScoreInputs | undefined,
  t0: number,
  postsSinceFull: number,
  postsAtFull: number,
): RankResult {
  const timings: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const time = <T>(name: string, fn: () => T): T => {
    const t = performance.now();
    const c = cpuNow();
    const result = fn();
    timings[name] = performance.now() - t;
    cpu[name] = cpuNow() - c;
    return result;
  };
  time('graph', () => {
    graph.addAuthors(batch.authors);
    graph.addPosts(batch.posts, batch.links);
  });
  let touched = 0;
  const features = time('features', () => {
    accumulator.add(batch, indexByPost(batch));
    touched = accumulator.touched;
    return accumulator.snapshot();
  });
  const metrics = computeMetrics(graph, {
    config: config.metrics, features, topicTotals: accumulator.topicTotals,
    ...(previous ? { previous, touched: accumulator.lastTouched } : {}),
  });
  for (const [k, v] of Object.entries(metrics.timingsMs)) timings[`metrics.${k}`] = v;
  for (const [k, v] of Object.entries(metrics.cpuMs)) cpu[`metrics.${k}`] = v;
  let scoreInputs: ScoreInputs | undefined;
  const scores = time('score', () => {
    // Only the authors this batch touched (and new ones) have new content/seniority inputs.
    scoreInputs = previousInputs
      ? previousInputs.update(graph.nodeIds, graph.nodeIndex, features, authors, graph.siteOf, accumulator.lastTouched)
      : ScoreInputs.build(graph.nodeIds, features, authors, graph.siteOf);
    return scoreActors(graph.nodeIds, metrics, features, authors, config.weights, graph.siteOf, scoreInputs);
  });
  timings.total = performance.now() - t0;
  return { config, graph, metrics, features, authors, scores, timingsMs: timings, cpuMs: cpu, postsSinceFull, postsAtFull, touchedAuthors: touched, accumulator, scoreInputs: scoreInputs! };
}
