import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { crawlSite } from '../../collect/crawler/index.js';
import { startSimulator } from '../../collect/simulator/index.js';
import { openStore } from '../../store/index.js';
import { configFrom, parseInteger, withStoreOptions, type StoreOptions } from '../context.js';
import { runAnalysis } from './analyze.js';
import { serve } from './serve.js';

interface DemoOptions extends StoreOptions {
  seed: number;
  size: 'tiny' | 'small' | 'medium';
  serve: boolean;
  port?: number;
}

const DEMO_DIR = '.threatminer';

/**
 * The main job end to end on the embedded default: simulate several hacker forums locally (five
 * engines, English, Russian and Chinese), crawl them like real sites, analyse what was collected,
 * and serve the API. Re-running is incremental: the crawl fetches only what changed.
 */
export function register(program: Command): void {
  withStoreOptions(
    program
      .command('demo')
      .description('Simulate forums, crawl them, analyse the posts and serve the API (the whole pipeline on local data)')
      .option('--seed <n>', 'seed of the simulated community', parseInteger('--seed', 0, 2 ** 31 - 1), 1)
      .addOption(new Option('--size <size>', 'simulated community size').choices(['tiny', 'small', 'medium']).default('small'))
      .option('--no-serve', 'stop after the analysis instead of serving the API')
      .option('--port <port>', 'API port (default 8080)', parseInteger('--port', 0, 65535)),
  ).action(async (options: DemoOptions) => {
    const db = options.db ?? join(DEMO_DIR, 'demo.db');
    const config = configFrom({ ...options, db });
    const truthFile = join(DEMO_DIR, 'demo-ground-truth.json');
    const simulator = await startSimulator({ seed: options.seed, size: options.size, out: truthFile });
    process.stdout.write(`simulated ${simulator.forums.length} forums on ${simulator.url} (ground truth: ${truthFile})\n`);
    const store = await openStore({ url: config.db });
    try {
      for (const forum of simulator.forums) {
        const summary = await crawlSite({
          name: forum.slug,
          url: forum.url,
          language: forum.language,
          auth: forum.login,
          network: { allowPrivateAddresses: true },
          politeness: { concurrency: 4, delayMs: 0, jitterMs: 0, maxRetries: 2, backoffBaseMs: 50, backoffMaxMs: 1000, respectRobots: true },
        }, store);
        const errors = Object.values(summary.errors).reduce((a, b) => a + (b ?? 0), 0);
        process.stdout.write(`crawled ${forum.slug} (${forum.engine}, ${forum.language}): ${summary.pages} pages, ${summary.posts} posts (${summary.postsInserted} new), ${summary.newAuthors} new authors, ${errors} errors\n`);
      }
    } finally {
      await simulator.close();
    }
    try {
      await runAnalysis(store, { only: config.analysers });
    } finally {
      await store.close();
    }
    if (options.serve) await serve({ ...options, db });
  });
}
