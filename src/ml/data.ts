import { seededRandom } from '../core/random.js';
/**
 * Datasets: streaming JSONL (one validated record per line, errors name file and line), shuffled
 * mini-batches with a seeded PRNG, and text encoding into the typed arrays the engine trains on.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { EncodeOptions, Tokenizer } from './text/tokenizer.js';

/** Streams records from a JSONL file, validating each against `schema`. Blank lines are skipped. */
export async function* readJsonl<S extends z.ZodType>(path: string, schema: S): AsyncGenerator<z.output<S>> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError(`${path}:${n}`, 'not valid JSON');
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new InputError(`${path}:${n}`, `${issue?.path.join('.') || 'record'}: ${issue?.message}`);
    }
    yield r.data;
  }
}

/** Groups any (async) iterable into arrays of `size` (the last may be shorter). */
export async function* chunks<T>(items: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}


export { seededRandom };

export function shuffled(n: number, random: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

/**
 * An in-memory training set: inputs are `width` values per row (token ids or features), labels are
 * one int per row (classification), `seqLen` ints per row (tagging) or K floats per row (multilabel).
 */
export interface TensorDataset {
  x: Int32Array | Float32Array;
  y: Int32Array | Float32Array;
  rows: number;
  /** Values per row in x. */
  width: number;
  /** Values per row in y. */
  labelWidth: number;
}

export function makeDataset(x: Int32Array | Float32Array, y: Int32Array | Float32Array, width: number): TensorDataset {
  const rows = x.length / width;
  if (!Number.isInteger(rows)) throw new InputError('dataset', `input length ${x.length} is not a multiple of ${width}`);
  const labelWidth = y.length / rows;
  if (!Number.isInteger(labelWidth) || labelWidth < 1) throw new InputError('dataset', `${y.length} labels do not fit ${rows} rows`);
  return { x, y, rows, width, labelWidth };
}

/** Rows `idx` of a dataset, copied into contiguous arrays. */
export function gather(ds: TensorDataset, idx: ArrayLike<number>): { x: Int32Array | Float32Array; y: Int32Array | Float32Array } {
  const x = ds.x instanceof Int32Array ? new Int32Array(idx.length * ds.width) : new Float32Array(idx.length * ds.width);
  const y = ds.y instanceof Int32Array ? new Int32Array(idx.length * ds.labelWidth) : new Float32Array(idx.length * ds.labelWidth);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    x.set(ds.x.subarray(r * ds.width, (r + 1) * ds.width), i * ds.width);
    y.set(ds.y.subarray(r * ds.labelWidth, (r + 1) * ds.labelWidth), i * ds.labelWidth);
  }
  return { x, y };
}

/** Splits off a deterministic fraction of rows (e.g. a validation set). */
export function split(ds: TensorDataset, fraction: number, seed = 1): [TensorDataset, TensorDataset] {
  const order = shuffled(ds.rows, seededRandom(seed));
  const cut = Math.round(ds.rows * (1 - fraction));
  const a = gather(ds, order.subarray(0, cut));
  const b = gather(ds, order.subarray(cut));
  return [makeDataset(a.x, a.y, ds.width), makeDataset(b.x, b.y, ds.width)];
}

/** Encodes texts and class indices into a classification dataset. */
export function textClassificationDataset(tokenizer: Tokenizer, texts: readonly string[], labels: readonly number[], options: EncodeOptions): TensorDataset {
  if (texts.length !== labels.length) throw new InputError('dataset', `${texts.length} texts but ${labels.length} labels`);
  const enc = tokenizer.encodeBatch(texts, options);
  return makeDataset(enc.ids, Int32Array.from(labels), options.maxLength);
}
