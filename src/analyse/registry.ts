import { UserError } from '../core/errors.js';
import type { Analyser } from './analyser.js';
import { languageAnalyser } from './plugins/lang.js';

/**
 * The analysers `threatminer analyze` knows. Loading is lazy so a server that only searches never
 * loads a model, and an analyser whose model is missing fails only when it is asked for.
 */
type AnalyserLoader = () => Promise<Analyser>;

const loaders = new Map<string, AnalyserLoader>([
  ['lang', async () => languageAnalyser],
]);

export function availableAnalysers(): string[] {
  return [...loaders.keys()];
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
