import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, errorMessage } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Store } from '../../store/index.js';
import { parseMapping } from './csv-mapping.js';
import { parsedInWorker } from './parsed-batches.js';
import { readBatches, type ImportFormat, type ParsedBatch, type ReadOptions, type RejectedRow } from './read-batches.js';

export type { ImportFormat, RejectedRow } from './read-batches.js';

export interface ImportOptions {
  readonly format?: ImportFormat | undefined;
  /** CSV column mapping, `field=column,…` */
  readonly map?: string | undefined;
  readonly batchSize?: number | undefined;
  /** Resume from the last committed batch of an earlier run on the same file (default true). */
  readonly resume?: boolean | undefined;
  readonly maxLineBytes?: number | undefined;
  /** Parse in a worker thread: default for files of at least WORKER_MIN_BYTES. */
  readonly worker?: boolean | undefined;
  /** SQLite: defer secondary indexes (store.beginBulkImport); default when the file is large. */
  readonly bulk?: boolean | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly onRejected?: ((rejected: RejectedRow) => void) | undefined;
}

export interface ImportProgress {
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  readonly rows: number;
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
/** Starting a worker costs tens of milliseconds (more under tsx); small files parse inline. */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/** Rows per byte for the bulk decision: generated forum posts run ~500 bytes a line, real ones more. */
const BYTES_PER_ROW_ESTIMATE = 400;
/**
 * At most this many posts per transaction when batches queue up behind the writer. Every
 * transaction rewrites (in the WAL) each page of the random-key indexes it touches: the post id,
 * thread and author keys. At 1M posts those indexes span ~80 MB and a 20,000-post transaction
 * dirties most of their pages, so larger transactions write fewer bytes per post. The queue of
 * parsed batches this needs is bounded (~100 MB for generated posts).
 */
const MAX_POSTS_PER_TRANSACTION = 50_000;

export function detectFormat(path: string): ImportFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  throw new InputError(path, 'cannot tell the format from the file name; pass --format jsonl or --format csv');
}

/**
 * Streams a JSONL or CSV dump into the store in transactional batches. Memory stays constant:
 * a few batches and one line at a time. Every bad row is reported with file:line and the reason;
 * nothing is dropped silently. A crash loses at most the batches in flight, and the next run on
 * the same file resumes after the last committed batch (ingest is idempotent, so an overlap is
 * safe). Files are parsed and normalised by a worker thread while this thread writes.
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
  const readOptions: ReadOptions = {
    label, format, map: options.map, resumeAfter, batchSize, maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
  };
  const useWorker = !fromStdin && (options.worker ?? (totalBytes ?? 0) >= WORKER_MIN_BYTES);
  const source = useWorker ? parsedInWorker(path, readOptions, MAX_POSTS_PER_TRANSACTION) : inline(path, readOptions);

  const compressed = path.toLowerCase().endsWith('.gz');
  const expectedRows = totalBytes === null ? 0 : (totalBytes * (compressed ? 4 : 1)) / BYTES_PER_ROW_ESTIMATE;
  const bulk = options.bulk === false ? false : store.beginBulkImport(options.bulk === true ? Infinity : expectedRows);
  // The full-text index follows the posts on a thread of its own (SQLite file stores); smaller
  // imports leave it to the next search, which indexes what is new first.
  const indexer = useWorker ? store.startSearchIndexing(bulk) : null;

  let lastPosition = 0;
  let failed = true;
  try {
    for await (const group of source) {
      for (const item of group) {
        summary.rowsRead += item.rows;
        summary.rejected += item.rejected.length;
        for (const r of item.rejected) options.onRejected?.(r);
      }
      const batches = group.flatMap((item) => (item.batch === null ? [] : [item.batch]));
      if (batches.length > 0) {
        const counts = await store.ingestNormalised(batches);
        summary.inserted += counts.inserted;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
      }
      const last = group[group.length - 1]!;
      if (last.lastPosition > resumeAfter) lastPosition = last.lastPosition;
      if (sourceKey !== null && lastPosition > 0) await saveCheckpoint(store, sourceKey, label, lastPosition, summary, false);
      options.onProgress?.({ bytesRead: last.bytesRead, totalBytes, rows: summary.rowsRead });
    }
    failed = false;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(label, `read failed after ${summary.rowsRead} rows: ${errorMessage(err)}`, { cause: err });
  } finally {
    // The index thread finishes (its last posts, its merge) while this one rebuilds the store's
    // deferred indexes: different files, so both run at once.
    const indexing = indexer?.finish();
    indexing?.catch(() => undefined); // handled below, even if endBulkImport throws first
    // Even after a failure: the store should not be left without its indexes.
    if (bulk) store.endBulkImport();
    // After a failure the import's own error is the one to report; the index catches up at the
    // next search.
    if (indexing !== undefined) await (failed ? indexing.catch(() => 0) : indexing);
  }
  if (sourceKey !== null) await saveCheckpoint(store, sourceKey, label, lastPosition || resumeAfter, summary, true);
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return summary;
}

/** Parsing on this thread: standard input, small files, or when asked. */
async function* inline(path: string, options: ReadOptions): AsyncGenerator<ParsedBatch[]> {
  let bytes = 0;
  const raw: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (chunk: Buffer) => { bytes += chunk.length; });
  const input: Readable = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  input.on('error', () => undefined); // surfaced by the iterator
  for await (const item of readBatches(input, options, () => bytes)) yield [item];
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
