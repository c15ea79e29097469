import type { Store } from '../../store/index.js';
import { aliasCandidates, type AliasCandidate, type AliasOptions } from './alias.js';
import { DEFAULT_ACTORS_CONFIG, type ActorsConfig } from './config.js';
import { rankActors, type RankResult } from './rank.js';
import { loadActorInput, writeActorScores, writeAliasCandidates } from './store.js';

/**
 * The batch job behind `threatminer actors rank`: load → rank → alias candidates → write
 * actor_scores, actor_communities and alias_candidates. A full recompute (the store keeps no
 * graph state between runs; `updateRanking` is the in-process incremental path).
 */
export interface ActorsJobResult {
  readonly result: RankResult;
  readonly aliases: readonly AliasCandidate[];
  readonly written: { scores: number; aliases: number };
  readonly timingsMs: Readonly<Record<string, number>>;
}

export async function runActorsJob(
  store: Store,
  options: { config?: ActorsConfig; sites?: readonly string[]; alias?: Partial<AliasOptions> | false } = {},
): Promise<ActorsJobResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const input = await loadActorInput(store, { ...(options.sites ? { sites: options.sites } : {}) });
  timings.load = performance.now() - t;
  const result = rankActors(input, options.config ?? DEFAULT_ACTORS_CONFIG);
  timings.rank = result.timingsMs.total ?? 0;
  t = performance.now();
  const aliases = options.alias === false ? [] : aliasCandidates(input, options.alias ?? {});
  timings.aliases = performance.now() - t;
  t = performance.now();
  const scores = await writeActorScores(store, result);
  const aliasCount = options.alias === false ? 0 : await writeAliasCandidates(store, aliases);
  timings.write = performance.now() - t;
  return { result, aliases, written: { scores, aliases: aliasCount }, timingsMs: timings };
}
