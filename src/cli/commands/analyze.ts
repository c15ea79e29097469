import type { Command } from 'commander';
import { runActorsJob } from '../../analyse/actors/index.js';
import { runPipeline } from '../../analyse/pipeline.js';
import { CORPUS_JOBS, availableAnalysers, loadAnalysers, splitSelection } from '../../analyse/registry.js';
import type { Store } from '../../store/index.js';
import { parseInteger, parseList, withStore, withStoreOptions, type StoreOptions } from '../context.js';

interface AnalyzeOptions extends StoreOptions {
  only?: string[];
  rerun?: string[];
  batch: number;
}

export interface AnalysisRunOptions {
  readonly only?: readonly string[] | undefined;
  readonly rerun?: readonly string[] | undefined;
  readonly batch?: number | undefined;
  readonly log?: (line: string) => void;
}

/** Per-post analysers over new and changed posts, then the corpus jobs (actor ranking). */
export async function runAnalysis(store: Store, options: AnalysisRunOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const selection = splitSelection(options.only);
  if (selection.posts === undefined || selection.posts.length > 0) {
    const analysers = await loadAnalysers(selection.posts);
    const summaries = await runPipeline(store, {
      analysers, rerun: options.rerun ?? [], batchSize: options.batch ?? 256,
      onBatch: (p) => { if (process.stderr.isTTY) process.stderr.write(`\r${p.analyser}: ${p.posts} posts, ${p.rows} rows`); },
    });
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
    for (const s of summaries) log(`${s.analyser}@${s.version}: ${s.posts} posts analysed, ${s.rows} rows written (${s.seconds.toFixed(1)} s)`);
  }
  if (selection.jobs.includes('actors')) {
    const job = await runActorsJob(store);
    log(`actors: ${job.written.scores} actors ranked, ${job.written.aliases} alias candidates (${((job.timingsMs.rank ?? 0) / 1000).toFixed(1)} s)`);
  }
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('analyze')
      .description(`Run analysers over new and changed posts, then rank actors (available: ${[...availableAnalysers(), ...CORPUS_JOBS].join(', ')})`)
      .option('--only <names>', 'comma-separated analysers to run (default: all)', parseList)
      .option('--rerun <names>', 'comma-separated analysers to re-run on every post', parseList)
      .option('--batch <n>', 'posts per batch', parseInteger('--batch', 1, 10_000), 256),
  ).action(async (options: AnalyzeOptions) => {
    await withStore(options, async (store, config) => runAnalysis(store, { only: options.only ?? config.analysers, rerun: options.rerun, batch: options.batch }));
  });
}
