import type { Command } from 'commander';
import { runPipeline } from '../../analyse/pipeline.js';
import { availableAnalysers, loadAnalysers } from '../../analyse/registry.js';
import { parseInteger, parseList, withStore, withStoreOptions, type StoreOptions } from '../context.js';

interface AnalyzeOptions extends StoreOptions {
  only?: string[];
  rerun?: string[];
  batch: number;
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('analyze')
      .description(`Run analysers over new and changed posts (available: ${availableAnalysers().join(', ')})`)
      .option('--only <names>', 'comma-separated analysers to run (default: all)', parseList)
      .option('--rerun <names>', 'comma-separated analysers to re-run on every post', parseList)
      .option('--batch <n>', 'posts per batch', parseInteger('--batch', 1, 10_000), 256),
  ).action(async (options: AnalyzeOptions) => {
    await withStore(options, async (store, config) => {
      const analysers = await loadAnalysers(options.only ?? config.analysers);
      const summaries = await runPipeline(store, {
        analysers, rerun: options.rerun ?? [], batchSize: options.batch,
        onBatch: (p) => { if (process.stderr.isTTY) process.stderr.write(`\r${p.analyser}: ${p.posts} posts, ${p.rows} rows`); },
      });
      if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
      for (const s of summaries) {
        process.stdout.write(`${s.analyser}@${s.version}: ${s.posts} posts analysed, ${s.rows} rows written (${s.seconds.toFixed(1)} s)\n`);
      }
    });
  });
}
