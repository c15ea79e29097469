import { DEFAULT_ACTORS_CONFIG, type ActorsConfig } from './config.js';
import { FeatureAccumulator, indexByPost, type AuthorFeatures } from './features.js';
import { InteractionGraph } from './graph.js';
import { computeMetrics, type NodeMetrics } from './metrics.js';
import { scoreActors, type ActorScore } from './score.js';
import type { ActorAuthor, ActorInput } from './types.js';

/**
 * Entry points: `rankActors` computes everything from scratch; `updateRanking` folds a batch of
 * new posts into a previous result (warm-started PageRank / topic PageRank / HITS / eigenvector,
 * exact k-core, carried-over betweenness, clustering and communities — see docs/actors.md).
 */
export interface RankResult {
  readonly config: ActorsConfig;
  readonly graph: InteractionGraph;
  readonly metrics: NodeMetrics;
  readonly features: ReadonlyMap<string, AuthorFeatures>;
  readonly authors: ReadonlyMap<string, ActorAuthor>;
  /** Sorted by score, best first. */
  readonly scores: readonly ActorScore[];
  readonly timingsMs: Readonly<Record<string, number>>;
  /** Posts folded in since the last full recompute. */
  readonly postsSinceFull: number;
  readonly postsAtFull: number;
  /** Internal incremental state. */
  readonly accumulator: FeatureAccumulator;
}

export function rankActors(input: ActorInput, config: ActorsConfig = DEFAULT_ACTORS_CONFIG): RankResult {
  const t0 = performance.now();
  const graph = new InteractionGraph(config.graph);
  const authors = new Map<string, ActorAuthor>();
  for (const a of input.authors) authors.set(a.id, a);
  const accumulator = new FeatureAccumulator(config.minLabelConfidence);
  return finish(graph, authors, accumulator, input, config, undefined, t0, 0, input.posts.length);
}

export function updateRanking(previous: RankResult, delta: ActorInput): RankResult {
  const t0 = performance.now();
  const authors = new Map(previous.authors);
  for (const a of delta.authors) authors.set(a.id, a);
  return finish(
    previous.graph, authors, previous.accumulator, delta, previous.config, previous.metrics, t0,
    previous.postsSinceFull + delta.posts.length, previous.postsAtFull,
  );
}

/** Re-scores an existing result with other weights (ablations) without recomputing metrics. */
export function rescore(result: RankResult, weights: ActorsConfig['weights']): readonly ActorScore[] {
  return scoreActors(result.graph.nodeIds, result.metrics, result.features, result.authors, weights, result.graph.siteOf);
}

function finish(
  graph: InteractionGraph,
  authors: Map<string, ActorAuthor>,
  accumulator: FeatureAccumulator,
  batch: ActorInput,
  config: ActorsConfig,
  previous: NodeMetrics | undefined,
  t0: number,
  postsSinceFull: number,
  postsAtFull: number,
): RankResult {
  const timings: Record<string, number> = {};
  let t = performance.now();
  graph.addAuthors(batch.authors);
  graph.addPosts(batch.posts, batch.links);
  timings.graph = performance.now() - t;
  t = performance.now();
  accumulator.add(batch, indexByPost(batch));
  const features = accumulator.snapshot();
  timings.features = performance.now() - t;
  const metrics = computeMetrics(graph, { config: config.metrics, features, ...(previous ? { previous } : {}) });
  for (const [k, v] of Object.entries(metrics.timingsMs)) timings[`metrics.${k}`] = v;
  t = performance.now();
  const scores = scoreActors(graph.nodeIds, metrics, features, authors, config.weights, graph.siteOf);
  timings.score = performance.now() - t;
  timings.total = performance.now() - t0;
  return { config, graph, metrics, features, authors, scores, timingsMs: timings, postsSinceFull, postsAtFull, accumulator };
}
