/**
 * Worker thread of the importer: reads one file and sends normalised batches to the writer
 * (parsed-batches.ts), at most `ahead` batches beyond what the writer has acknowledged, so
 * memory stays bounded however far the reader could run ahead.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { InputError, errorMessage } from '../../core/errors.js';
import { packBatch, type PackedBatch } from '../../store/ingest/packed.js';
import { readBatches, type ParsedBatch, type ReadOptions } from './read-batches.js';

export interface WorkerInput {
  readonly path: string;
  readonly options: ReadOptions;
  readonly ahead: number;
}

export type WorkerMessage =
  | { type: 'batch'; item: Omit<ParsedBatch, 'batch'> & { batch: PackedBatch | null } }
  | { type: 'done' }
  | { type: 'error'; input: string | null; message: string };

const port = parentPort;
if (port === null) throw new Error('parse-worker must run in a worker thread');
const { path, options, ahead } = workerData as WorkerInput;

let credits = ahead;
let wake: (() => void) | null = null;
port.on('message', (message: { ack: number }) => {
  credits += message.ack;
  wake?.();
  wake = null;
});

const send = (message: WorkerMessage) => port.postMessage(message);

try {
  let bytes = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (chunk) => { bytes += chunk.length; });
  const input: Readable = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  input.on('error', () => undefined); // surfaced by the iterator
  for await (const item of readBatches(input, options, () => bytes)) {
    while (credits <= 0) await new Promise<void>((resolve) => { wake = resolve; });
    credits--;
    send({ type: 'batch', item: { ...item, batch: item.batch === null ? null : packBatch(item.batch) } });
  }
  send({ type: 'done' });
} catch (err) {
  send({ type: 'error', input: err instanceof InputError ? err.input : null, message: err instanceof InputError ? err.message.slice(err.input.length + 2) : errorMessage(err) });
}
port.close();
