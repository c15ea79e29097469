/**
 * Key-hacker identification and portraits (issue 7). Public API for the CLI, the REST API and
 * the dashboard; see docs/actors.md.
 *
 *   rankActors(input, config?)        → RankResult (scores with breakdown, metrics, graph)
 *   updateRanking(previous, delta)    → RankResult after new posts (incremental)
 *   aliasCandidates(input, options?)  → AliasCandidate[] with evidence
 *   portrait(store, authorId)         → Portrait | null (reads the last `actors rank` run)
 *   loadActorInput(store, options?)   → ActorInput from the store
 *   runActorsJob(store, options?)     → rank + aliases, written to actor_scores / alias_candidates
 */
export { rankActors, updateRanking, rescore, type RankResult } from './rank.js';
export { aliasCandidates, AliasOptions, type AliasCandidate, type AliasInput } from './alias.js';
export { portrait, buildPortrait, type Portrait, type PortraitData } from './portrait.js';
export { loadActorInput, writeActorScores, writeAliasCandidates, resolveActor, ACTORS_ANALYSER, ACTORS_ANALYSER_VERSION } from './store.js';
export { ActorsConfig, DEFAULT_ACTORS_CONFIG, parseActorsConfig, ablation } from './config.js';
export { estimateTimezone, type TimezoneEstimate } from './timezone.js';
export { toGexf, toGraphml } from './export.js';
export { runActorsJob, type ActorsJobResult } from './job.js';
export type { ActorScore, ScoreBreakdown } from './score.js';
export type { ActorInput } from './types.js';
