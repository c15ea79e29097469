import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import { InputError, errorMessage } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import { ForumRecord } from '../../core/records.js';
import { describeZodError } from '../../core/validate.js';
import type { Store } from '../../store/index.js';
import { csvRowToRecord, missingRequiredColumns, parseMapping } from './csv-mapping.js';
import { readLines } from './lines.js';

export type ImportFormat = 'jsonl' | 'csv';

export interface ImportOptions {
  readonly format?: ImportFormat | undefined;
  /** CSV column mapping, `field=column,…` */
  readonly map?: string | undefined;
  readonly batchSize?: number | undefined;
  /** Resume from the last committed batch of an earlier run on the same file (default true). */
  readonly resume?: boolean | undefined;
  readonly maxLineBytes?: number | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly onRejected?: ((rejected: RejectedRow) => void) | undefined;
}

export interface ImportProgress {
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  readonly rows: number;
}

export interface RejectedRow {
  /** `file:line`, the place to look */
  readonly where: string;
  readonly reason: string;
}

export interface ImportSummary {
  path: string;
  format: ImportFormat;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows skipped because an earlier run already committed them. */
  resumedAfterLine: number;
  seconds: number;
}

const DEFAULT_BATCH = 1000;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export function detectFormat(path: string): ImportFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  throw new InputError(path, 'cannot tell the format from the file name; pass --format jsonl or --format csv');
}

/**
 * Streams a JSONL or CSV dump into the store in transactional batches. Memory stays constant:
 * one batch and one line at a time. Every bad row is reported with file:line and the reason;
 * nothing is dropped silently. A crash loses at most the batch in flight, and the next run on the
 * same file resumes after the last committed batch (ingest is idempotent, so an overlap is safe).
 */
export async function importFile(store: Store, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = process.hrtime.bigint();
  const fromStdin = path === '-';
  const format = options.format ?? (fromStdin ? 'jsonl' : detectFormat(path));
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) throw new InputError('--batch', 'must be a whole number from 1 to 50000');
  const mapping = parseMapping(options.map);
  if (format === 'jsonl' && mapping.size > 0) throw new InputError('--map', 'column mapping applies to CSV only');

  let totalBytes: number | null = null;
  let sourceKey: string | null = null;
  let label = 'stdin';
  if (!fromStdin) {
    let stat;
    try {
      stat = statSync(path);
    } catch (err) {
      throw new InputError(path, `cannot read: ${errorMessage(err)}`);
    }
    if (!stat.isFile()) throw new InputError(path, 'is not a regular file');
    totalBytes = stat.size;
    label = path;
    sourceKey = contentHash(realpathSync(path), String(stat.size), String(stat.mtimeMs));
  }

  let resumeAfter = 0;
  if (sourceKey !== null && options.resume !== false) {
    const checkpoint = await store.db.selectFrom('import_checkpoints').selectAll().where('source_key', '=', sourceKey).executeTakeFirst();
    if (checkpoint !== undefined && checkpoint.completed_at === null) resumeAfter = checkpoint.line;
  }

  const summary: ImportSummary = {
    path: label, format, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, resumedAfterLine: resumeAfter, seconds: 0,
  };
  let bytesRead = 0;
  const raw: Readable = fromStdin ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (chunk: Buffer) => { bytesRead += chunk.length; });
  const input: Readable = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  input.on('error', () => undefined); // surfaced by the iterator below

  const reject = (line: number, reason: string) => {
    summary.rejected++;
    options.onRejected?.({ where: `${label}:${line}`, reason });
  };

  let batch: ForumRecord[] = [];
  let batchLastLine = 0;
  const flush = async () => {
    if (batch.length > 0) {
      const result = await store.ingest(batch);
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      batch = [];
    }
    if (sourceKey !== null && batchLastLine > 0) await saveCheckpoint(store, sourceKey, label, batchLastLine, summary, false);
    options.onProgress?.({ bytesRead, totalBytes, rows: summary.rowsRead });
  };

  /** `line` is reported to the user; `position` (CSV: record number) is what resume counts. */
  const accept = async (line: number, candidate: unknown, position: number = line) => {
    summary.rowsRead++;
    const parsed = ForumRecord.safeParse(candidate);
    if (!parsed.success) reject(line, describeZodError(parsed.error));
    else batch.push(parsed.data);
    batchLastLine = position;
    if (batch.length >= batchSize) await flush();
  };

  try {
    if (format === 'jsonl') {
      for await (const item of readLines(input, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES)) {
        if (item.line <= resumeAfter) continue;
        if ('error' in item) { summary.rowsRead++; reject(item.line, item.error); continue; }
        if (item.text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(item.text);
        } catch (err) {
          summary.rowsRead++;
          reject(item.line, `invalid JSON: ${errorMessage(err)}`);
          continue;
        }
        await accept(item.line, value);
      }
    } else {
      await importCsv(input, label, mapping, resumeAfter, accept, reject, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(label, `read failed after ${summary.rowsRead} rows: ${errorMessage(err)}`, { cause: err });
  }
  await flush();
  if (sourceKey !== null) await saveCheckpoint(store, sourceKey, label, batchLastLine || resumeAfter, summary, true);
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

async function importCsv(
  input: Readable,
  label: string,
  mapping: ReadonlyMap<string, string>,
  resumeAfter: number,
  accept: (line: number, candidate: unknown, position: number) => Promise<void>,
  reject: (line: number, reason: string) => void,
  maxRecordBytes: number,
): Promise<void> {
  const parser = input.pipe(
    parseCsv({
      columns: (header: string[]) => {
        const problems = missingRequiredColumns(header, mapping);
        if (problems.length > 0) throw new InputError(label, `CSV header: ${problems.join('; ')}`);
        return header;
      },
      bom: true,
      info: true,
      skip_records_with_error: true,
      max_record_size: maxRecordBytes,
    }),
  );
  parser.on('skip', (err: Error & { lines?: number }) => reject(err.lines ?? 0, `malformed CSV: ${err.message}`));
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; records: number } }>) {
    if (item.info.records <= resumeAfter) continue;
    await accept(item.info.lines, csvRowToRecord(item.record, mapping), item.info.records);
  }
}

async function saveCheckpoint(store: Store, sourceKey: string, path: string, line: number, summary: ImportSummary, completed: boolean): Promise<void> {
  const now = new Date().toISOString();
  const row = {
    source_key: sourceKey, path, line, rows_ok: summary.inserted + summary.updated + summary.unchanged,
    rows_bad: summary.rejected, updated_at: now, completed_at: completed ? now : null,
  };
  await store.db
    .insertInto('import_checkpoints')
    .values(row)
    .onConflict((oc) => oc.column('source_key').doUpdateSet({ line: row.line, rows_ok: row.rows_ok, rows_bad: row.rows_bad, updated_at: now, completed_at: row.completed_at }))
    .execute();
}
