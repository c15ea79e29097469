import type { Command } from 'commander';
import { parseInteger, withStore, withStoreOptions, type StoreOptions } from '../context.js';
import { renderSnippet } from '../render.js';

interface SearchCommandOptions extends StoreOptions {
  site?: string;
  board?: string;
  author?: string;
  since?: string;
  until?: string;
  hasIndicator?: boolean;
  label?: string;
  limit: number;
  offset: number;
  json?: boolean;
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('search')
      .description('Full-text search over posts: words, "phrases", a OR b, -exclude')
      .argument('[query]', 'search words; omit to list the newest posts matching the filters')
      .option('--site <name>', 'only this site')
      .option('--board <name>', 'only this board')
      .option('--author <handle>', 'only this author (case-insensitive)')
      .option('--since <date>', 'posted at or after (ISO date)')
      .option('--until <date>', 'posted at or before (ISO date)')
      .option('--has-indicator', 'only posts with extracted indicators')
      .option('--label <label>', 'only posts with this exploit label')
      .option('--limit <n>', 'results per page', parseInteger('--limit', 1, 100), 20)
      .option('--offset <n>', 'skip this many results', parseInteger('--offset', 0, 10_000), 0)
      .option('--json', 'print JSON instead of text'),
  ).action(async (query: string | undefined, options: SearchCommandOptions) => {
    await withStore(options, async (store) => {
      const result = await store.search({
        q: query, site: options.site, board: options.board, author: options.author, since: options.since, until: options.until,
        hasIndicator: options.hasIndicator, label: options.label, limit: options.limit, offset: options.offset,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${result.total}${result.totalCapped ? '+' : ''} posts\n`);
      for (const hit of result.hits) {
        process.stdout.write(`\n${hit.postedAt ?? '(no date)'}  ${hit.site} / ${hit.board} / ${hit.threadTitle ?? '(untitled)'}  — ${hit.author}  [${hit.id}]\n`);
        process.stdout.write(`  ${renderSnippet(hit.snippet, process.stdout.isTTY === true)}\n`);
      }
    });
  });
}
