import { createWriteStream } from 'node:fs';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { importFile, type ImportFormat } from '../../collect/import/import-file.js';
import { UserError } from '../../core/errors.js';
import { isTty, parseInteger, withStore, withStoreOptions, type StoreOptions } from '../context.js';

interface ImportCommandOptions extends StoreOptions {
  format?: ImportFormat;
  map?: string;
  batch?: number;
  resume: boolean;
  bulk: boolean;
  rejects?: string;
}

const SHOWN_REJECTIONS = 20;

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('import')
      .description('Import forum dumps (JSONL or CSV, optionally .gz) into the store; idempotent and resumable')
      .argument('<files...>', 'files to import, or - for JSONL on standard input')
      .addOption(new Option('--format <format>', 'input format (default: from the file name)').choices(['jsonl', 'csv']))
      .option('--map <field=column,...>', 'CSV column mapping onto record fields, e.g. site=forum,author=user')
      .option('--batch <n>', 'records per transaction', parseInteger('--batch', 1, 50_000))
      .option('--no-resume', 'start from the first line even if an earlier run on this file was interrupted')
      .option('--no-bulk', 'SQLite: keep the secondary indexes during a large import instead of rebuilding them at the end')
      .option('--rejects <file>', 'also write every rejected row (file:line<TAB>reason) to this file'),
  ).action(async (files: string[], options: ImportCommandOptions) => {
    await withStore(options, async (store) => {
      const rejectsOut = options.rejects ? createWriteStream(options.rejects, { flags: 'a' }) : null;
      let totalRejected = 0;
      try {
        for (const file of files) {
          let shown = 0;
          const bar = isTty() ? new cliProgress.SingleBar({ format: `${file} [{bar}] {percentage}% | {rows} rows`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
          bar?.start(100, 0, { rows: 0 });
          const summary = await importFile(store, file, {
            format: options.format, map: options.map, batchSize: options.batch, resume: options.resume, ...(options.bulk ? {} : { bulk: false }),
            onProgress: (p) => bar?.update(p.totalBytes ? Math.min(100, Math.round((100 * p.bytesRead) / p.totalBytes)) : 0, { rows: p.rows }),
            onRejected: (r) => {
              rejectsOut?.write(`${r.where}\t${r.reason}\n`);
              if (shown++ < SHOWN_REJECTIONS) {
                bar?.stop();
                process.stderr.write(`rejected ${r.where}: ${r.reason}\n`);
              }
            },
          });
          bar?.stop();
          if (summary.rejected > SHOWN_REJECTIONS) process.stderr.write(`… and ${summary.rejected - SHOWN_REJECTIONS} more rejected rows${options.rejects ? ` (all in ${options.rejects})` : ' (use --rejects FILE to keep them all)'}\n`);
          totalRejected += summary.rejected;
          const resumed = summary.resumedAfterLine > 0 ? `, resumed after line ${summary.resumedAfterLine}` : '';
          const rate = summary.seconds > 0 ? Math.round(summary.rowsRead / summary.seconds) : summary.rowsRead;
          process.stdout.write(
            `${summary.path}: ${summary.rowsRead} rows read, ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
            `${summary.rejected} rejected${resumed} (${summary.seconds.toFixed(1)} s, ${rate} rows/s)\n`,
          );
        }
      } finally {
        rejectsOut?.end();
      }
      if (totalRejected > 0) throw new UserError(`${totalRejected} rows were rejected (see above); the valid rows were imported`, { exitCode: 3 });
    });
  });
}
