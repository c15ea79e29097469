import { z } from 'zod';
import { InputError } from '../../core/errors.js';

/**
 * Everything tunable in actor ranking, validated once. Defaults are the documented weights in
 * docs/actors.md; a YAML/JSON file passed to `actors rank --config` overrides any subset.
 */
const weight = z.number().min(0).max(100);

export const GraphConfig = z.object({
  /** Edge weights per interaction kind, before time decay. */
  replyWeight: weight.default(1),
  quoteWeight: weight.default(1.5),
  mentionWeight: weight.default(1),
  /** Implicit reply to the thread starter when a post has no explicit reply/quote link. */
  threadStarterWeight: weight.default(0.5),
  /** Co-participation: each post links (both ways) to the authors of the previous `window` posts. */
  coParticipationWeight: weight.default(0.2),
  coParticipationWindow: z.number().int().min(0).max(50).default(3),
  /** Interactions lose half their weight every `halfLifeDays` before the newest post. 0 disables. */
  halfLifeDays: z.number().min(0).max(36500).default(365),
}).strict();
export type GraphConfig = z.infer<typeof GraphConfig>;

export const MetricsConfig = z.object({
  damping: z.number().gt(0).lt(1).default(0.85),
  tolerance: z.number().positive().default(1e-9),
  maxIterations: z.number().int().positive().max(10_000).default(200),
  /**
   * Incremental PageRank: warm-started power iteration, or residual push (pushes residuals above
   * pushEpsilon / n). Measured on the 1M-edge bench, push was not faster after a 1% batch of
   * Zipf-distributed posts (the busiest authors' rows change, so the residual spreads widely).
   */
  incrementalPagerank: z.enum(['warm-power', 'push']).default('warm-power'),
  pushEpsilon: z.number().positive().max(1).default(1e-2),
  /**
   * Convergence tolerance (mean |Δx| per node) of the warm-started PageRank / HITS / eigenvector
   * iterations of an incremental update. Looser than `tolerance`: the warm start is already within
   * ~1e-9 per node of the new fixed point, and rank agreement with a full recompute is measured
   * by the bench (docs/actors.md).
   */
  incrementalTolerance: z.number().positive().default(1e-8),
  /**
   * Staleness policy: an incremental update carries communities, betweenness, k-core and clustering
   * over from the last full run; once the posts folded in since then exceed this fraction of the
   * posts at that run, the update recomputes every metric (a full run on the accumulated graph).
   */
  maxStaleFraction: z.number().min(0).default(0.1),
  /** Exact betweenness up to this many nodes; above it, Brandes from `betweennessSamples` sources. */
  exactBetweennessMaxNodes: z.number().int().nonnegative().default(5_000),
  betweennessSamples: z.number().int().positive().max(100_000).default(48),
  /** Topic-specific PageRank is run for at most this many topics (most frequent first). */
  maxTopics: z.number().int().nonnegative().max(64).default(12),
  louvainResolution: z.number().positive().default(1),
  /** Up to this many undirected edges Louvain runs in graphology-communities-louvain; above, on CSR. */
  louvainLibraryMaxEdges: z.number().int().nonnegative().default(150_000),
  seed: z.number().int().default(7),
}).strict();
export type MetricsConfig = z.infer<typeof MetricsConfig>;

export const ScoreWeights = z.object({
  /** Top-level mix. Each group is a weighted mean of its features in [0,1]. */
  network: weight.default(0.4),
  content: weight.default(0.35),
  seniority: weight.default(0.15),
  reputation: weight.default(0.1),
  networkFeatures: z.object({
    pagerank: weight.default(1),
    topicPagerank: weight.default(2),
    authority: weight.default(1),
    hub: weight.default(0.5),
    eigenvector: weight.default(0.5),
    betweenness: weight.default(1),
    coreness: weight.default(0.5),
  }).strict().default({ pagerank: 1, topicPagerank: 2, authority: 1, hub: 0.5, eigenvector: 0.5, betweenness: 1, coreness: 0.5 }),
  contentFeatures: z.object({
    exploitPosts: weight.default(2),
    codePosts: weight.default(1),
    indicators: weight.default(1),
    malwareTools: weight.default(1),
  }).strict().default({ exploitPosts: 2, codePosts: 1, indicators: 1, malwareTools: 1 }),
  seniorityFeatures: z.object({
    tenureDays: weight.default(1),
    activeMonths: weight.default(1),
    consistency: weight.default(1),
  }).strict().default({ tenureDays: 1, activeMonths: 1, consistency: 1 }),
}).strict();
export type ScoreWeights = z.infer<typeof ScoreWeights>;

export const ActorsConfig = z.object({
  graph: GraphConfig.default(GraphConfig.parse({})),
  metrics: MetricsConfig.default(MetricsConfig.parse({})),
  weights: ScoreWeights.default(ScoreWeights.parse({})),
  /** Exploit labels below this confidence are ignored. */
  minLabelConfidence: z.number().min(0).max(1).default(0.5),
}).strict();
export type ActorsConfig = z.infer<typeof ActorsConfig>;

export function parseActorsConfig(raw: unknown, source = 'actors config'): ActorsConfig {
  const parsed = ActorsConfig.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(source, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export const DEFAULT_ACTORS_CONFIG: ActorsConfig = parseActorsConfig({});

/** Named ablations of the top-level mix, used by `eval actors`. */
export function ablation(config: ActorsConfig, mode: 'network' | 'content' | 'combined' | 'combined-no-reputation'): ActorsConfig {
  const w = config.weights;
  const mix = {
    network: { network: 1, content: 0, seniority: 0, reputation: 0 },
    content: { network: 0, content: 1, seniority: 0, reputation: 0 },
    combined: { network: w.network, content: w.content, seniority: w.seniority, reputation: w.reputation },
    'combined-no-reputation': { network: w.network, content: w.content, seniority: w.seniority, reputation: 0 },
  }[mode];
  return { ...config, weights: { ...w, ...mix } };
}
