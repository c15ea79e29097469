import type { Command } from 'commander';
import { crawlSite, loadSiteConfig, type CrawlProgress, type CrawlSummary } from '../../collect/crawler/index.js';
import { openStore } from '../../store/index.js';

/** `threatminer crawl --site site.yml`: crawl one forum into the store, politely and resumably. */
export function register(program: Command): void {
  program
    .command('crawl')
    .description('Crawl a forum described by a site config (YAML/JSON) into the store; resumable and incremental')
    .requiredOption('--site <file>', 'site config (see docs/crawling.md and examples/sites/)')
    .option('--db <url>', 'database: SQLite path, :memory: or postgres://… (default $THREATMINER_DB or .threatminer/threatminer.db)')
    .option('--max-pages <n>', 'stop after this many pages (overrides limits.maxPages)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { site: string; db?: string; maxPages?: string; json?: boolean }) => {
      const site = loadSiteConfig(opts.site);
      if (opts.maxPages !== undefined) {
        const n = Number(opts.maxPages);
        if (!Number.isInteger(n) || n < 1) throw new (await import('../../core/errors.js')).InputError('--max-pages', `expected a positive integer, got "${opts.maxPages}"`);
        site.config.limits.maxPages = n;
      }
      const store = await openStore({ url: opts.db });
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const tty = process.stderr.isTTY === true;
      let last = 0;
      const onProgress = (p: CrawlProgress): void => {
        const now = Date.now();
        if (now - last < (tty ? 200 : 5000)) return;
        last = now;
        const line = `${site.config.name}: ${p.pages} pages, ${p.notModified} unchanged, ${p.posts} posts, ${p.errors} errors — ${p.lastUrl.slice(0, 80)}`;
        process.stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
      };
      let summary: CrawlSummary;
      try {
        summary = await crawlSite(site, store, { onProgress, signal: abort.signal });
      } finally {
        if (tty) process.stderr.write('\r\u001b[2K');
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await store.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const errors = Object.entries(summary.errors).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
      process.stdout.write(
        [
          `crawl of ${summary.site} (${summary.profile}, ${summary.mode}) ${summary.stoppedBy === 'complete' ? 'complete' : `stopped: ${summary.stoppedBy}`} in ${(summary.durationMs / 1000).toFixed(1)} s`,
          `  pages        ${summary.pages} fetched, ${summary.notModified} unchanged (304), ${(summary.bytes / 1024).toFixed(0)} KiB`,
          `  posts        ${summary.posts} parsed: ${summary.postsInserted} new, ${summary.postsUpdated} changed, ${summary.postsUnchanged} unchanged`,
          `  authors      ${summary.newAuthors} new, ${summary.profiles} profiles read`,
          `  logins       ${summary.logins}`,
          `  errors       ${errors}`,
          `  frontier     ${summary.frontier.done} done, ${summary.frontier.pending} pending, ${summary.frontier.failed} failed, ${summary.frontier.rejected} rejected`,
        ].join('\n') + '\n',
      );
      if (summary.stoppedBy === 'signal') process.exitCode = 130;
    });
}
