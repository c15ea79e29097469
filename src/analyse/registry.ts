import { UserError } from '../core/errors.js';
import type { Analyser } from './analyser.js';
import { ExploitAnalyser } from './plugins/exploits.js';
import { createIocAnalyser } from './plugins/iocs.js';
import { languageAnalyser } from './plugins/lang.js';

/**
 * The analysers `threatminer analyze` knows. Loading is lazy so a server that only searches never
 * loads a model, and an analyser whose model is missing fails only when it is asked for.
 */
type AnalyserLoader = () => Promise<Analyser>;

const loaders = new Map<string, AnalyserLoader>([
  ['lang', async () => languageAnalyser],
  ['iocs', async () => createIocAnalyser()],
  ['exploits', async () => ExploitAnalyser.create()],
]);

/**
 * Corpus-level jobs run after the per-post analysers, over the whole store (they need every
 * post at once, e.g. the interaction graph). `analyze` runs them unless `--only` leaves them out.
 */
export const CORPUS_JOBS = ['actors'] as const;
export type CorpusJob = (typeof CORPUS_JOBS)[number];

export function availableAnalysers(): string[] {
  return [...loaders.keys()];
}

/** Splits a user's analyser list into per-post analysers and corpus jobs; unknown names fail. */
export function splitSelection(names: readonly string[] | undefined): { posts: string[] | undefined; jobs: CorpusJob[] } {
  if (names === undefined || names.length === 0) return { posts: undefined, jobs: [...CORPUS_JOBS] };
  const jobs = names.filter((n): n is CorpusJob => (CORPUS_JOBS as readonly string[]).includes(n));
  const posts = names.filter((n) => !(CORPUS_JOBS as readonly string[]).includes(n));
  for (const name of posts) {
    if (!loaders.has(name)) throw new UserError(`unknown analyser "${name}"; available: ${[...availableAnalysers(), ...CORPUS_JOBS].join(', ')}`);
  }
  return { posts, jobs };
}

export async function loadAnalysers(names?: readonly string[]): Promise<Analyser[]> {
  const wanted = names === undefined || names.length === 0 ? availableAnalysers() : names;
  const analysers: Analyser[] = [];
  for (const name of wanted) {
    const load = loaders.get(name);
    if (load === undefined) throw new UserError(`unknown analyser "${name}"; available: ${availableAnalysers().join(', ')}`);
    analysers.push(await load());
  }
  return analysers;
}
