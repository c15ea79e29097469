/**
 * transformers.js-style inference over registry models, served by onnxruntime-node only:
 *
 *   const classify = await pipeline('text-classification', 'exploit-labeler');
 *   const [r] = await classify(['selling 0day for ...']);   // { label, score, scores, attention? }
 *
 * Tasks: 'text-classification' (softmax, or sigmoid for multilabel models), 'token-classification'
 * (CRF Viterbi or argmax per token) and 'feature-classification' (numeric feature vectors).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { argmaxTags, viterbi, type CrfTables } from './crf.js';
import { defaultThreads } from './native.js';
import { InferencePool } from './onnx/pool.js';
import { loadSession, type OutputMap } from './onnx/session.js';
import { readModelCard, resolveModelDir, type ModelCard, type PipelineTask } from './registry.js';
import { normaliseSpec, type NormalSpec } from './spec.js';
import { loadTokenizer, type Tokenizer } from './text/tokenizer.js';

export interface PipelineOptions {
  /** Samples per onnxruntime call (default 256). */
  batchSize?: number;
  /** Intra-op threads of an in-process session; setting it (without `workers`) selects the in-process session. */
  threads?: number;
  /**
   * Worker threads, one single-threaded session each; 0 runs one in-process session with `threads`
   * intra-op threads. Default: one worker per core (`THREATMINER_THREADS`, else all cores) when
   * `threads` is not set and there is more than one core. Independent single-threaded sessions
   * served a median 1.3× more samples/s than one session splitting each op over the same cores,
   * and about 2× next to a busy co-tenant (`npm run bench:ml`, docs/ml-engine.md); they also keep
   * the calling thread free.
   */
  workers?: number;
  /** Multilabel decision threshold on sigmoid scores (default 0.5). */
  threshold?: number;
}

export interface Classification {
  /** Best label (for multilabel: the highest-scoring one). */
  label: string;
  score: number;
  /** Every label's probability. */
  scores: Record<string, number>;
  /** Multilabel models: labels at or above the threshold. */
  labels?: string[];
  /** Models with attention pooling: tokens and their weights (mean over heads). */
  attention?: Array<{ token: string; weight: number }>;
}

export interface TaggedToken {
  token: string;
  tag: string;
}

type Runner = (input: Int32Array | Float32Array, width: number) => Promise<OutputMap>;

interface Loaded {
  card: ModelCard;
  spec: NormalSpec;
  tokenizer?: Tokenizer;
  run: Runner;
  close: () => Promise<void>;
}

async function load(task: PipelineTask, ref: string, options: PipelineOptions): Promise<Loaded> {
  const dir = resolveModelDir(ref);
  const card = await readModelCard(dir);
  if (card.task !== task) throw new InputError(join(dir, 'card.json'), `model is for '${card.task}', not '${task}'`);
  const spec = normaliseSpec(card.spec, join(dir, 'card.json'));
  const tokenizer = card.preprocessing ? await loadTokenizer(join(dir, card.preprocessing.tokenizer)) : undefined;
  const onnxPath = join(dir, card.files.onnx);
  const batchSize = options.batchSize ?? 256;
  const workers = options.workers ?? (options.threads ? 0 : defaultWorkers());
  if (workers > 0) {
    // A worker would only find out at the first call; fail where an in-process session would.
    if (!existsSync(onnxPath)) throw new InputError(onnxPath, 'model file not found (named by files.onnx in card.json)');
    const pool = new InferencePool(onnxPath, workers);
    return { card, spec, ...(tokenizer ? { tokenizer } : {}), run: (x, w) => pool.run(x, w, batchSize), close: () => pool.close() };
  }
  const session = await loadSession(onnxPath, options.threads ? { threads: options.threads } : {});
  return { card, spec, ...(tokenizer ? { tokenizer } : {}), run: (x, w) => session.runBatched(x, w, batchSize), close: async () => undefined };
}

function defaultWorkers(): number {
  const cores = defaultThreads();
  return cores > 1 ? cores : 0;
}

function encodeTexts(m: Loaded, texts: readonly string[]): { ids: Int32Array; lengths: Int32Array; width: number } {
  if (!m.tokenizer || !m.card.preprocessing || m.spec.input.kind !== 'tokens') throw new InputError(m.card.name, 'not a text model');
  const { maxLength, addCls } = m.card.preprocessing;
  if (maxLength !== m.spec.input.seqLen) throw new InputError(m.card.name, `preprocessing.maxLength ${maxLength} ≠ spec seqLen ${m.spec.input.seqLen}`);
  const enc = m.tokenizer.encodeBatch(texts, { maxLength, addCls });
  return { ids: enc.ids, lengths: enc.lengths, width: maxLength };
}

function classify(m: Loaded, out: OutputMap, rows: number, threshold: number, ids?: Int32Array, lengths?: Int32Array): Classification[] {
  const labels = m.spec.labels;
  const k = labels.length;
  const logits = out.logits!.data;
  const att = out.attention;
  const multilabel = m.spec.task === 'multilabel';
  const results: Classification[] = [];
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * k, (r + 1) * k);
    let probs: number[];
    if (multilabel) probs = Array.from(row, (v) => 1 / (1 + Math.exp(-v)));
    else {
      const max = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      probs = e.map((v) => v / sum);
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[j]! > probs[best]!) best = j;
    const c: Classification = { label: labels[best]!, score: probs[best]!, scores: Object.fromEntries(labels.map((l, j) => [l, probs[j]!])) };
    if (multilabel) c.labels = labels.filter((_, j) => probs[j]! >= threshold);
    if (att && ids && lengths && m.tokenizer) {
      const [, heads, T] = att.dims as [number, number, number];
      const len = lengths[r]!;
      c.attention = [];
      for (let t = 0; t < len; t++) {
        let w = 0;
        for (let h = 0; h < heads; h++) w += att.data[(r * heads + h) * T + t]!;
        c.attention.push({ token: m.tokenizer.token(ids[r * T + t]!), weight: w / heads });
      }
    }
    results.push(c);
  }
  return results;
}

export interface TextClassificationPipeline {
  (texts: string | readonly string[]): Promise<Classification[]>;
  card: ModelCard;
  close(): Promise<void>;
}
export interface TokenClassificationPipeline {
  (texts: string | readonly string[]): Promise<TaggedToken[][]>;
  card: ModelCard;
  close(): Promise<void>;
}
export interface FeatureClassificationPipeline {
  (rows: ReadonlyArray<ArrayLike<number>>): Promise<Classification[]>;
  card: ModelCard;
  close(): Promise<void>;
}

export async function pipeline(task: 'text-classification', model: string, options?: PipelineOptions): Promise<TextClassificationPipeline>;
export async function pipeline(task: 'token-classification', model: string, options?: PipelineOptions): Promise<TokenClassificationPipeline>;
export async function pipeline(task: 'feature-classification', model: string, options?: PipelineOptions): Promise<FeatureClassificationPipeline>;
export async function pipeline(
  task: PipelineTask,
  model: string,
  options: PipelineOptions = {},
): Promise<TextClassificationPipeline | TokenClassificationPipeline | FeatureClassificationPipeline> {
  const m = await load(task, model, options);
  const threshold = options.threshold ?? 0.5;
  const attach = <F extends object>(fn: F) => Object.assign(fn, { card: m.card, close: m.close });
  if (task === 'text-classification') {
    return attach(async (texts: string | readonly string[]) => {
      const list = typeof texts === 'string' ? [texts] : texts;
      if (list.length === 0) return [];
      const { ids, lengths, width } = encodeTexts(m, list);
      return classify(m, await m.run(ids, width), list.length, threshold, ids, lengths);
    });
  }
  if (task === 'token-classification') {
    return attach(async (texts: string | readonly string[]) => {
      const list = typeof texts === 'string' ? [texts] : texts;
      if (list.length === 0) return [];
      const { ids, lengths, width } = encodeTexts(m, list);
      const out = await m.run(ids, width);
      const k = m.spec.labels.length;
      const em = out.emissions!.data;
      const crf: CrfTables | undefined = out.transitions
        ? { transitions: out.transitions.data, start: out.start_transitions!.data, end: out.end_transitions!.data }
        : undefined;
      return list.map((_, r) => {
        const e = em.subarray(r * width * k, (r + 1) * width * k);
        const len = lengths[r]!;
        const path = crf ? viterbi(e, len, k, crf) : argmaxTags(e, len, k);
        return path.slice(0, len).map((tag, t) => ({ token: m.tokenizer!.token(ids[r * width + t]!), tag: m.spec.labels[tag]! }));
      });
    });
  }
  return attach(async (rows: ReadonlyArray<ArrayLike<number>>) => {
    if (m.spec.input.kind !== 'features') throw new InputError(m.card.name, 'not a feature model');
    const dim = m.spec.input.dim;
    if (rows.length === 0) return [];
    const x = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => {
      if (row.length !== dim) throw new InputError(`row ${i}`, `has ${row.length} features, the model expects ${dim}`);
      x.set(Array.from(row), i * dim);
    });
    return classify(m, await m.run(x, dim), rows.length, threshold);
  });
}
