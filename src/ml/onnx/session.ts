/**
 * onnxruntime-node sessions: loaded once per (path, threads) and cached, run in batches.
 * This module never touches the libtorch addon, so serving works without the native build.
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';

export interface SessionOptions {
  /** Intra-op threads for this session (default: all cores). */
  threads?: number;
  /**
   * Let idle intra-op threads busy-wait for the next op (ORT's default, and ours). Folded token
   * models run as a Loop over small chunks (see export), i.e. thousands of sub-millisecond ops per
   * batch, and waking sleeping threads for each cost the char-CNN 30% (`npm run bench:ml`: 25.6k vs
   * 18.2k samples/s on 2 cores). Turn it off on a machine whose cores are shared with other busy
   * work: there the spinning threads take cores from everything else (0.88× measured under load).
   */
  spin?: boolean;
}

export type OutputMap = Record<string, { data: Float32Array; dims: number[] }>;

export class OnnxModel {
  private constructor(
    readonly path: string,
    private readonly session: ort.InferenceSession,
    readonly metadata: Record<string, string>,
  ) {}

  static async load(path: string, options: SessionOptions = {}): Promise<OnnxModel> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        intraOpNumThreads: options.threads ?? availableParallelism(),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: options.spin === false ? '0' : '1' } } },
      });
    } catch (err) {
      throw new InputError(path, `cannot load ONNX model: ${(err as Error).message}`, { cause: err });
    }
    return new OnnxModel(path, session, {});
  }

  get inputName(): string {
    return this.session.inputNames[0]!;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs `rows` samples of width `width` (token ids or features) in one call. */
  async run(input: Int32Array | Float32Array, rows: number, width: number): Promise<OutputMap> {
    const tensor = new ort.Tensor(input instanceof Int32Array ? 'int32' : 'float32', input, [rows, width]);
    const out = await this.session.run({ [this.inputName]: tensor });
    const result: OutputMap = {};
    for (const [name, t] of Object.entries(out)) {
      result[name] = { data: t.data as Float32Array, dims: t.dims.map(Number) };
      t.dispose?.();
    }
    return result;
  }

  /** Runs in batches of `batchSize` and concatenates per-sample outputs; constant outputs are kept once. */
  async runBatched(input: Int32Array | Float32Array, width: number, batchSize = 256): Promise<OutputMap> {
    const rows = input.length / width;
    if (!Number.isInteger(rows)) throw new InputError('inputs', `length ${input.length} is not a multiple of ${width}`);
    if (rows <= batchSize) return this.run(input, rows, width);
    const parts: OutputMap[] = [];
    for (let i = 0; i < rows; i += batchSize) {
      const n = Math.min(batchSize, rows - i);
      parts.push(await this.run(input.subarray(i * width, (i + n) * width), n, width));
    }
    return concatOutputs(parts, rows);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Concatenates batch outputs along axis 0; outputs whose first dim is not the batch (CRF tables) are taken once. */
export function concatOutputs(parts: OutputMap[], rows: number): OutputMap {
  const first = parts[0]!;
  const result: OutputMap = {};
  for (const name of Object.keys(first)) {
    const perBatch = parts.every((p) => p[name]!.dims.length > 0) && parts.reduce((a, p) => a + (p[name]!.dims[0] ?? 0), 0) === rows;
    if (!perBatch || parts.length === 1) {
      result[name] = first[name]!;
      continue;
    }
    const data = new Float32Array(parts.reduce((a, p) => a + p[name]!.data.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p[name]!.data, at);
      at += p[name]!.data.length;
    }
    result[name] = { data, dims: [rows, ...first[name]!.dims.slice(1)] };
  }
  return result;
}

const cache = new Map<string, Promise<OnnxModel>>();

/** A cached session for `path` (one per path and thread count). */
export function loadSession(path: string, options: SessionOptions = {}): Promise<OnnxModel> {
  const key = `${resolve(path)}#${options.threads ?? 'all'}#${options.spin === false ? 'nospin' : 'spin'}`;
  let s = cache.get(key);
  if (!s) {
    s = OnnxModel.load(path, options);
    s.catch(() => cache.delete(key));
    cache.set(key, s);
  }
  return s;
}

export async function clearSessionCache(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const s of all) await (await s.catch(() => undefined))?.release();
}
