/**
 * npm run bench:ml — one table from one run, for three text classifiers on the same spec and data
 * (seq 256, batch 32 for training, 256 for inference, no padding so both sides do equal work):
 *   char-CNN            embedding 32 → conv1d 128×5 → relu → max pool → linear
 *   BiLSTM + attention  embedding 32 → BiLSTM 64 → attention pooling (1 head) → linear
 *   transformer ×2      embedding 64 + positions → 2 encoder layers (4 heads, ff 128, relu) → mean pool → linear
 * Columns: training samples/s with the libtorch addon and with @tensorflow/tfjs (pure-JS cpu
 * backend, the baseline), their ratio; inference samples/s with onnxruntime-node as pipeline()
 * serves by default (one single-threaded session per core on worker threads), with one in-process
 * session using every core, and with libtorch. For the char-CNN, same-run references against the
 * in-process session: the plain reference graph, our export with the embedding → conv fold
 * disabled, and sleeping intra-op threads.
 * Then RSS over 100 training epochs of the char-CNN (leak check).
 *
 * Env: BENCH_SECONDS (time budget per addon/ORT measurement, default 3), BENCH_ROUNDS (interleaved
 * inference rounds, median reported, default 3), BENCH_TFJS_BATCHES
 * (timed tfjs batches after one warm-up, default 2), BENCH_TFJS_BATCH (tfjs batch size, default 8),
 * THREATMINER_THREADS (default all cores).
 * Arguments: `--models cnn,bilstm,transformer` (default all), `--skip rss,train` (leave out the
 * 100-epoch RSS check and/or the training columns, e.g. to re-measure inference alone:
 * `npm run bench:ml -- --models cnn --skip rss,train`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Model } from '../src/ml/model.js';
import { makeDataset } from '../src/ml/data.js';
import { Trainer } from '../src/ml/trainer.js';
import { writeOnnx } from '../src/ml/onnx/export.js';
import { GraphBuilder, encodeModel } from '../src/ml/onnx/graph.js';
import { loadSession } from '../src/ml/onnx/session.js';
import { InferencePool } from '../src/ml/onnx/pool.js';
import { defaultThreads, loadAddon } from '../src/ml/native.js';
import type { ModelSpec } from '../src/ml/spec.js';

const T = 256;
const V = 100;
const K = 2;
const TRAIN_BATCH = 32;
const INFER_BATCH = 256;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TFJS_BATCHES = Number(process.env.BENCH_TFJS_BATCHES ?? 2);
// tfjs is so slow that a batch of 32 takes seconds to minutes; its per-sample cost is linear in the
// batch size, so a smaller batch keeps the bench short without flattering either side.
const TFJS_BATCH = Number(process.env.BENCH_TFJS_BATCH ?? 8);

function data(rows: number, seed: number): { x: Int32Array; y: Int32Array } {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = Int32Array.from({ length: rows * T }, () => 1 + Math.floor(next() * (V - 1)));
  const y = Int32Array.from({ length: rows }, () => Math.floor(next() * K));
  return { x, y };
}

const spec = (layers: ModelSpec['layers']): ModelSpec => ({
  version: 1,
  task: 'classification',
  labels: ['a', 'b'],
  input: { kind: 'tokens', vocabSize: V, seqLen: T, padId: 0 },
  layers,
});

interface Case {
  key: string;
  name: string;
  spec: ModelSpec;
  tfjs: () => { step: (x: tf.Tensor2D, y: tf.Tensor1D) => Promise<void>; dispose: () => void };
}

function layerNorm(x: tf.Tensor, g: tf.Variable, b: tf.Variable): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(1e-5).sqrt()).mul(g).add(b);
}

const cases: Case[] = [
  {
    key: 'cnn',
    name: 'char-CNN',
    spec: spec([{ type: 'embedding', dim: 32 }, { type: 'conv1d', filters: 128, kernel: 5 }, { type: 'activation', fn: 'relu' }, { type: 'pool', op: 'max' }, { type: 'linear', units: K }]),
    tfjs: () => {
      const m = tf.sequential();
      m.add(tf.layers.embedding({ inputDim: V, outputDim: 32, inputLength: T }));
      m.add(tf.layers.conv1d({ filters: 128, kernelSize: 5, padding: 'same', activation: 'relu' }));
      m.add(tf.layers.globalMaxPooling1d());
      m.add(tf.layers.dense({ units: K, activation: 'softmax' }));
      m.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
      return { step: async (x, y) => void (await m.trainOnBatch(x, y)), dispose: () => m.dispose() };
    },
  },
  {
    key: 'bilstm',
    name: 'BiLSTM + attention pooling',
    spec: spec([{ type: 'embedding', dim: 32 }, { type: 'lstm', hidden: 64, bidirectional: true }, { type: 'attention_pool', heads: 1, hidden: 64 }, { type: 'linear', units: K }]),
    tfjs: () => {
      const input = tf.input({ shape: [T], dtype: 'int32' });
      const emb = tf.layers.embedding({ inputDim: V, outputDim: 32 }).apply(input) as tf.SymbolicTensor;
      const seq = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 64, returnSequences: true }) as tf.RNN, mergeMode: 'concat' }).apply(emb) as tf.SymbolicTensor;
      const h = tf.layers.dense({ units: 64, activation: 'tanh' }).apply(seq) as tf.SymbolicTensor;
      const score = tf.layers.dense({ units: 1, useBias: false }).apply(h) as tf.SymbolicTensor;
      // tfjs softmax only runs over the last axis: flatten [B,T,1] → [B,T], softmax, back to [B,T,1].
      const flat = tf.layers.flatten().apply(score) as tf.SymbolicTensor;
      const weights = tf.layers.reshape({ targetShape: [T, 1] }).apply(tf.layers.softmax().apply(flat)) as tf.SymbolicTensor;
      const pooled = tf.layers.flatten().apply(tf.layers.dot({ axes: 1 }).apply([weights, seq])) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: K, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
      const m = tf.model({ inputs: input, outputs: out });
      m.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
      return { step: async (x, y) => void (await m.trainOnBatch(x, y)), dispose: () => m.dispose() };
    },
  },
  {
    key: 'transformer',
    name: '2-layer transformer encoder',
    spec: spec([
      { type: 'embedding', dim: 64 },
      { type: 'position' },
      { type: 'transformer', heads: 4, ff: 128, dropout: 0, activation: 'relu' },
      { type: 'transformer', heads: 4, ff: 128, dropout: 0, activation: 'relu' },
      { type: 'pool', op: 'mean' },
      { type: 'linear', units: K },
    ]),
    tfjs: () => {
      // tfjs-layers has no attention layer: the same computation written with tf ops.
      const D = 64;
      const H = 4;
      const F = 128;
      const v = (shape: number[], std = 0.05) => tf.variable(tf.randomNormal(shape, 0, std));
      const emb = v([V, D], 0.1);
      const pos = v([T, D], 0.02);
      const layers = [0, 1].map(() => ({
        wqkv: v([D, 3 * D]), bqkv: tf.variable(tf.zeros([3 * D])), wo: v([D, D]), bo: tf.variable(tf.zeros([D])),
        g1: tf.variable(tf.ones([D])), b1: tf.variable(tf.zeros([D])), w1: v([D, F]), c1: tf.variable(tf.zeros([F])),
        w2: v([F, D]), c2: tf.variable(tf.zeros([D])), g2: tf.variable(tf.ones([D])), b2: tf.variable(tf.zeros([D])),
      }));
      const head = v([D, K]);
      const headB = tf.variable(tf.zeros([K]));
      const opt = tf.train.adam(1e-3);
      const forward = (ids: tf.Tensor2D) => {
        const B = ids.shape[0];
        let x: tf.Tensor = tf.gather(emb, ids).add(pos); // [B,T,D]
        for (const l of layers) {
          const qkv = x.reshape([B * T, D]).matMul(l.wqkv).add(l.bqkv).reshape([B, T, 3, H, D / H]).transpose([2, 0, 3, 1, 4]);
          const [q, k, val] = tf.unstack(qkv) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const p = tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(D / H)));
          const o = tf.matMul(p, val).transpose([0, 2, 1, 3]).reshape([B * T, D]).matMul(l.wo).add(l.bo).reshape([B, T, D]);
          x = layerNorm(x.add(o), l.g1, l.b1);
          const f = x.reshape([B * T, D]).matMul(l.w1).add(l.c1).relu().matMul(l.w2).add(l.c2).reshape([B, T, D]);
          x = layerNorm(x.add(f), l.g2, l.b2);
        }
        return x.mean(1).matMul(head).add(headB);
      };
      return {
        step: async (x, y) => {
          const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, K), forward(x)) as tf.Scalar, true);
          await cost?.data();
          cost?.dispose();
        },
        dispose: () => {
          opt.dispose();
          for (const l of layers) for (const t of Object.values(l)) t.dispose();
          emb.dispose();
          pos.dispose();
          head.dispose();
          headB.dispose();
        },
      };
    },
  },
];

/** Repeats `fn` (each call handles `per` samples) for at least `seconds`; samples/s. */
async function rate(per: number, seconds: number, fn: () => Promise<unknown>, minCalls = 2): Promise<number> {
  await fn(); // warm-up
  const started = performance.now();
  let calls = 0;
  while (calls < minCalls || performance.now() - started < seconds * 1000) {
    await fn();
    calls++;
  }
  return (calls * per) / ((performance.now() - started) / 1000);
}

/**
 * The char-CNN as a plain exporter writes it (the issue's reference architecture): no padding
 * mask, NCW Conv1d. It computes something else on padded input, so it is a speed baseline only.
 */
function plainCnnGraph(model: Model): Uint8Array {
  const p = model.parameters();
  const [emb, conv, , , head] = model.spec.layers.map((l) => l.name);
  const t = (name: string) => p[name]!;
  const g = new GraphBuilder();
  let y = g.op('Gather', [g.float('emb', t(`${emb}.weight`).shape, t(`${emb}.weight`).data), 'input_ids'], { axis: 0 });
  y = g.op('Transpose', [y], { perm: [0, 2, 1] });
  const w = t(`${conv}.weight`);
  y = g.op('Conv', [y, g.float('conv_w', w.shape, w.data), g.float('conv_b', t(`${conv}.bias`).shape, t(`${conv}.bias`).data)], { kernel_shape: [w.shape[2]!], pads: [2, 2] });
  y = g.op('ReduceMax', [g.op('Relu', [y])], { axes: [2], keepdims: 0 });
  const hw = t(`${head}.linear.weight`);
  g.named('Gemm', [y, g.float('head_w', hw.shape, hw.data), g.float('head_b', t(`${head}.linear.bias`).shape, t(`${head}.linear.bias`).data)], 'logits', { transB: 1 });
  return encodeModel(g, [{ name: 'input_ids', type: 'int32', shape: ['batch', T] }], [{ name: 'logits', type: 'float32', shape: ['batch', K] }], {}, 'plain-cnn');
}

/** Slope per step of the least-squares line through `v` (a leak grows steadily; GC noise does not). */
function leastSquaresSlope(v: number[]): number {
  const n = v.length;
  const meanX = (n - 1) / 2;
  const meanY = v.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanX) * (v[i]! - meanY);
    den += (i - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const fmt = (n: number) => (Number.isNaN(n) ? '–' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 1 ? n.toFixed(1) : n.toPrecision(2));

const { values: args } = parseArgs({ options: { models: { type: 'string' }, skip: { type: 'string' } } });
const keys = args.models?.split(',').map((k) => k.trim()) ?? cases.map((c) => c.key);
for (const k of keys) if (!cases.some((c) => c.key === k)) throw new Error(`--models: unknown model '${k}' (have ${cases.map((c) => c.key).join(', ')})`);
const skip = new Set(args.skip?.split(',').map((k) => k.trim()) ?? []);
for (const k of skip) if (k !== 'rss' && k !== 'train') throw new Error(`--skip: unknown part '${k}' (rss, train)`);

async function main(): Promise<void> {
  loadAddon();
  await tf.setBackend('cpu');
  const threads = defaultThreads();
  const dir = await mkdtemp(join(tmpdir(), 'tm-bench-ml-'));
  const rows: string[][] = [];
  const notes: string[] = [];
  try {
    let rssLine = 'RSS check skipped (--skip rss)';
    if (!skip.has('rss')) {
      process.stderr.write('bench:ml: RSS over 100 epochs of the char-CNN…\n');
      // First, before tfjs and onnxruntime allocate anything, so growth is measured against a clean base.
      const small = data(256, 3);
      const ds = makeDataset(small.x, small.y, T);
      const model = Model.create(cases[0]!.spec, { seed: 2 });
      const rss: number[] = [];
      global.gc?.();
      await new Trainer(model, { epochs: 100, batchSize: TRAIN_BATCH, progress: false }).fit(ds, ds, {
        // Collect first (the script runs node with --expose-gc): a leak is memory that survives a full
        // GC, and without one the samples mostly measure when V8 last happened to collect.
        onEpoch: () => {
          global.gc?.();
          rss.push(process.memoryUsage().rss);
        },
      });
      // Windows, not single samples: one epoch's RSS moves by up to ±10% depending on when the allocators hand pages back.
      const warm = median(rss.slice(9, 19));
      const last = median(rss.slice(90));
      const peak = Math.max(...rss.slice(9));
      const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
      const growth = ((last - warm) / warm) * 100;
      const trend = leastSquaresSlope(rss.slice(9)) * 90;
      const gcNote = global.gc ? 'after a full GC each epoch' : 'no --expose-gc: samples include uncollected garbage';
      rssLine =
        `RSS, char-CNN, 100 epochs × ${ds.rows} samples (+ validation each epoch; ${gcNote}): median of epochs 10–19 ${mb(warm)}, of epochs 91–100 ${mb(last)}, ` +
        `growth ${growth.toFixed(1)}% (target: within 10%) ${Math.abs(growth) <= 10 ? 'OK' : 'OVER'}; peak ${mb(peak)}; least-squares trend over epochs 10–100 ${trend >= 0 ? '+' : ''}${mb(trend)}` +
        `\n  every 10th epoch: ${rss.filter((_, i) => i % 10 === 9).map(mb).join(', ')}`;
    }
    const trainData = data(TRAIN_BATCH * 8, 1);
    const inferData = data(INFER_BATCH * 4, 2);
    const loadAtStart = loadavg();
    for (const c of cases.filter((k) => keys.includes(k.key))) {
      const model = Model.create(c.spec, { seed: 1 });
      model.configureOptimizer({ name: 'adam', lr: 1e-3 });
      let addonTrain = NaN;
      let tfjsTrain = NaN;
      if (!skip.has('train')) {
        process.stderr.write(`bench:ml: ${c.name}: addon training…\n`);
        let b = 0;
        addonTrain = await rate(TRAIN_BATCH, SECONDS, () => {
          const i = b++ % 8;
          return model.trainStep(trainData.x.subarray(i * TRAIN_BATCH * T, (i + 1) * TRAIN_BATCH * T), trainData.y.subarray(i * TRAIN_BATCH, (i + 1) * TRAIN_BATCH));
        });

        process.stderr.write(`bench:ml: ${c.name}: tfjs training (${TFJS_BATCHES + 1} batches of ${TFJS_BATCH})…\n`);
        const tm = c.tfjs();
        const x = tf.tensor2d(trainData.x.subarray(0, TFJS_BATCH * T), [TFJS_BATCH, T], 'int32');
        const y = tf.tensor1d(trainData.y.subarray(0, TFJS_BATCH), 'float32');
        const yInt = tf.tensor1d(trainData.y.subarray(0, TFJS_BATCH), 'int32');
        const isOps = c.name.startsWith('2-layer');
        tfjsTrain = await rate(TFJS_BATCH, 0, () => tm.step(x, (isOps ? yInt : y) as tf.Tensor1D), TFJS_BATCHES);
        tm.dispose();
        x.dispose();
        y.dispose();
        yInt.dispose();
      }

      process.stderr.write(`bench:ml: ${c.name}: inference…\n`);
      const onnxPath = join(dir, `${rows.length}.onnx`);
      await writeOnnx(onnxPath, model.spec, model.parameters());
      const session = await loadSession(onnxPath, { threads });
      // The serving default (pipeline() without `threads`): one single-threaded session per core.
      let pool: InferencePool | undefined = new InferencePool(onnxPath, threads);
      const workers = pool;
      const runners: Record<string, () => Promise<unknown>> = {
        pool: () => workers.run(inferData.x, T, INFER_BATCH),
        ort: () => session.runBatched(inferData.x, T, INFER_BATCH),
        torch: () => model.predict(inferData.x, INFER_BATCH),
      };
      if (c.key === 'cnn') {
        const plainPath = join(dir, 'plain-cnn.onnx');
        await writeFile(plainPath, plainCnnGraph(model));
        const plainSession = await loadSession(plainPath, { threads });
        runners.plain = () => plainSession.runBatched(inferData.x, T, INFER_BATCH);
        // Our export with the embedding → conv fold disabled (Conv op over the whole batch).
        const unfoldedPath = join(dir, 'unfolded-cnn.onnx');
        await writeOnnx(unfoldedPath, model.spec, model.parameters(), {}, { fold: false });
        const unfoldedSession = await loadSession(unfoldedPath, { threads });
        runners.unfolded = () => unfoldedSession.runBatched(inferData.x, T, INFER_BATCH);
        // The same model with ORT's intra-op threads sleeping between ops instead of spinning.
        const sleepSession = await loadSession(onnxPath, { threads, spin: false });
        runners.nospin = () => sleepSession.runBatched(inferData.x, T, INFER_BATCH);
      }
      // Interleaved rounds, median per runner: on a shared machine the load changes within seconds.
      const rates: Record<string, number[]> = {};
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, fn] of Object.entries(runners)) (rates[name] ??= []).push(await rate(inferData.y.length, SECONDS, fn, 1));
      }
      const served = median(rates.pool!);
      const ort = median(rates.ort!);
      const torch = median(rates.torch!);
      if (rates.plain) {
        const plain = median(rates.plain);
        notes.push(`char-CNN, in-process ORT session on the plain unmasked graph (the issue's reference architecture, speed baseline only): ${fmt(plain)}/s; ours (masked, same session setup) / plain ${fmt(ort / plain)}×`);
      }
      if (rates.unfolded) {
        const unfolded = median(rates.unfolded);
        notes.push(`char-CNN, in-process ORT session on our export with the embedding → conv fold disabled: ${fmt(unfolded)}/s; folded / unfolded ${fmt(ort / unfolded)}×`);
      }
      if (rates.nospin) notes.push(`char-CNN, in-process ORT session with sleeping intra-op threads (\`spin: false\`, for shared machines): ${fmt(median(rates.nospin))}/s; default (spinning) / sleeping ${fmt(ort / median(rates.nospin))}×`);
      await pool?.close();
      pool = undefined;
      rows.push([c.name, fmt(addonTrain), fmt(tfjsTrain), skip.has('train') ? '–' : `${fmt(addonTrain / tfjsTrain)}×`, fmt(served), fmt(ort), fmt(torch), `${fmt(served / torch)}×`]);
    }

    const header = ['model', 'train addon /s', 'train tfjs /s', 'train ratio', 'infer ORT /s', `ORT 1 session × ${threads} threads /s`, 'infer libtorch /s', 'infer ratio'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    const info = loadAddon().info();
    const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' ');
    console.log(`\nthreatminer bench:ml — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${threads} threads, libtorch ${info.torchVersion}, seq ${T}, train batch ${TRAIN_BATCH} (tfjs ${TFJS_BATCH}), infer batch ${INFER_BATCH}, load average ${load(loadAtStart)} at the first model, ${load(loadavg())} at the end`);
    console.log(
      `training: samples/s, addon (libtorch) vs @tensorflow/tfjs cpu backend; inference: onnxruntime-node as pipeline() serves by default (${threads} worker threads × 1-thread session; next column: one in-process session with ${threads} intra-op threads) vs libtorch (${threads} threads)\n`,
    );
    console.log(line(header));
    console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const r of rows) console.log(line(r));
    for (const n of notes) console.log(`\n${n}`);
    console.log(`\n${rssLine}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
