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
  simPort: number;
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
      .option('--port <port>', 'API port (default 8080)', parseInteger('--port', 0, 65535))
      // A fixed port keeps the forums' URLs stable, so a re-run recrawls incrementally.
      .option('--sim-port <port>', 'port of the simulated forums', parseInteger('--sim-port', 0, 65535), 18930),
  ).action(async (options: DemoOptions) => {
    const db = options.db ?? join(DEMO_DIR, 'demo.db');
    const config = configFrom({ ...options, db });
    const truthFile = join(DEMO_DIR, 'demo-ground-truth.json');
    // The simulated present is the start of today (UTC), so re-running the demo on the same day
    // serves the same posts and the crawl is incremental instead of seeing every date shift.
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const simulator = await startSimulator({ seed: options.seed, size: options.size, out: truthFile, now: today.getTime(), port: options.simPort });
    process.stdout.write(`simulated ${simulator.forums.length} forums on ${simulator.url} (ground truth: ${truthFile})\n`);
    const store = await openStore({ url: config.db });
    try {
      for (const site of simulator.siteConfigs({ concurrency: 4 })) {
        const summary = await crawlSite(site, store);
        const errors = Object.entries(summary.errors).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'no errors';
        const forum = simulator.forums.find((f) => f.slug === site.name);
        process.stdout.write(`crawled ${site.name} (${forum?.engine ?? '?'}, ${site.language}): ${summary.pages} pages (${summary.notModified} unchanged), ${summary.posts} posts (${summary.postsInserted} new), ${summary.newAuthors} new authors, ${errors}\n`);
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
