import type { Command } from 'commander';
import { storeStats } from '../../intel/stats.js';
import { withStore, withStoreOptions, type StoreOptions } from '../context.js';
import { terminalSafe } from '../render.js';

export function register(program: Command): void {
  withStoreOptions(
    program.command('stats').description('Volumes per site and analysis coverage').option('--json', 'print JSON'),
  ).action(async (options: StoreOptions & { json?: boolean }) => {
    await withStore(options, async (store) => {
      const stats = await storeStats(store);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
        return;
      }
      process.stdout.write(`store: ${store.location} (${store.dialect})\n`);
      const t = stats.totals;
      process.stdout.write(`${t.posts} posts, ${t.threads} threads, ${t.authors} authors, ${t.entities} entities, ${t.exploitLabels} exploit labels\n`);
      for (const [analyser, n] of Object.entries(t.analysed)) process.stdout.write(`  analysed by ${analyser}: ${n} posts\n`);
      if (stats.sites.length > 0) {
        process.stdout.write('\nsite                      posts  authors  first post                last post\n');
        for (const s of stats.sites) {
          process.stdout.write(`${terminalSafe(s.name).padEnd(24).slice(0, 24)} ${String(s.posts).padStart(7)} ${String(s.authors).padStart(8)}  ${(s.firstPost ?? '-').padEnd(24)}  ${s.lastPost ?? '-'}\n`);
        }
      }
    });
  });
}
