import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { InputError, errorMessage } from '../../core/errors.js';
import { ForumRecord } from '../../core/records.js';
import { describeZodError } from '../../core/validate.js';
import { buildBatch, type Batch } from '../../store/ingest/index.js';
import { csvRowToRecord, missingRequiredColumns, parseMapping } from './csv-mapping.js';
import { readLines } from './lines.js';

export type ImportFormat = 'jsonl' | 'csv';

export interface RejectedRow {
  /** `file:line`, the place to look */
  readonly where: string;
  readonly reason: string;
}

/** What one source read yields: everything the writer needs, and nothing it must compute. */
export interface ParsedBatch {
  /** Normalised rows (ids, hashes, index text), or null when every row in the span was bad. */
  readonly batch: Batch | null;
  /** Rows read in this span, good and bad (blank lines are not rows). */
  readonly rows: number;
  readonly rejected: readonly RejectedRow[];
  /** Resume position of the last row in the span: a JSONL line, a CSV record number. */
  readonly lastPosition: number;
  readonly bytesRead: number;
}

export interface ReadOptions {
  readonly label: string;
  readonly format: ImportFormat;
  readonly map: string | undefined;
  readonly resumeAfter: number;
  readonly batchSize: number;
  readonly maxLineBytes: number;
}

/**
 * Reads, parses, validates and normalises a dump into batches of `batchSize` valid records.
 * Pure CPU and streaming: one line and one batch in memory. It runs in a worker thread for
 * files (parse-worker.ts) and inline for standard input.
 */
export async function* readBatches(input: Readable, options: ReadOptions, bytesRead: () => number): AsyncGenerator<ParsedBatch> {
  const mapping = parseMapping(options.map);
  let records: ForumRecord[] = [];
  let rejected: RejectedRow[] = [];
  let rows = 0;
  let lastPosition = options.resumeAfter;

  const take = (): ParsedBatch => {
    const item: ParsedBatch = {
      batch: records.length > 0 ? buildBatch(records, new Date().toISOString()) : null,
      rows, rejected, lastPosition, bytesRead: bytesRead(),
    };
    records = [];
    rejected = [];
    rows = 0;
    return item;
  };
  // A batch is full at batchSize valid records; a run of bad rows is handed on at the same size,
  // so a file of nothing but bad rows still streams its reports in constant memory.
  const full = () => records.length >= options.batchSize || rejected.length >= options.batchSize;
  const reject = (line: number, reason: string) => {
    rows++;
    rejected.push({ where: `${options.label}:${line}`, reason });
  };
  /** `line` is reported to the user; `position` (CSV: record number) is what resume counts. */
  const accept = (line: number, candidate: unknown, position: number) => {
    const parsed = ForumRecord.safeParse(candidate);
    if (!parsed.success) reject(line, describeZodError(parsed.error));
    else {
      rows++;
      records.push(parsed.data);
    }
    lastPosition = position;
  };

  if (options.format === 'jsonl') {
    for await (const item of readLines(input, options.maxLineBytes)) {
      if (item.line <= options.resumeAfter) continue;
      if ('error' in item) reject(item.line, item.error);
      else if (item.text.trim() !== '') {
        let value: unknown;
        let parsed = true;
        try {
          value = JSON.parse(item.text);
        } catch (err) {
          parsed = false;
          reject(item.line, `invalid JSON: ${errorMessage(err)}`);
        }
        if (parsed) accept(item.line, value, item.line);
      }
      if (full()) yield take();
    }
  } else {
    const parser = input.pipe(
      parseCsv({
        columns: (header: string[]) => {
          const problems = missingRequiredColumns(header, mapping);
          if (problems.length > 0) throw new InputError(options.label, `CSV header: ${problems.join('; ')}`);
          return header;
        },
        bom: true,
        info: true,
        skip_records_with_error: true,
        max_record_size: options.maxLineBytes,
      }),
    );
    parser.on('skip', (err: Error & { lines?: number }) => reject(err.lines ?? 0, `malformed CSV: ${err.message}`));
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; records: number } }>) {
      if (item.info.records <= options.resumeAfter) continue;
      accept(item.info.lines, csvRowToRecord(item.record, mapping), item.info.records);
      if (full()) yield take();
    }
  }
  if (rows > 0 || records.length > 0) yield take();
}
