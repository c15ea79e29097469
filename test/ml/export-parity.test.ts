// libtorch (addon) and onnxruntime-node must agree within 1e-4 for every layer type and for whole
// models, on random inputs with random padding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/ml/model.js';
import { exportOnnx, type ExportOptions } from '../../src/ml/onnx/export.js';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import type { ModelSpec } from '../../src/ml/spec.js';
import { maxAbsDiff, needsAddon, randomTokens, rng, tokenSpec } from './helpers.js';

const TOL = 1e-4;

/** Largest |a-b| beyond TOL + 1e-6·|a| (relative slack only matters for the -1e9-scale outputs of all-padding rows). */
function excess(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) - 1e-6 * Math.abs(a[i]!));
  return worst;
}

async function parity(spec: ModelSpec, options: { emptyRow?: boolean; exportOptions?: ExportOptions } = {}, rows = 7): Promise<void> {
  const model = Model.create(spec, { seed: 7 });
  // Perturb every parameter so biases, norms and CRF tables are not at their neutral init.
  const r = rng(3);
  const params = model.parameters();
  model.setParameters(Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.data.map((v) => v + (r() - 0.5) * 0.2)])));
  const input = spec.input;
  const x =
    input.kind === 'tokens'
      ? randomTokens(rows, input.seqLen, input.vocabSize, 11)
      : Float32Array.from({ length: rows * input.dim }, () => r() * 2 - 1);
  // A row of nothing but padding: masked max pooling must reproduce torch's -1e9 floor.
  if (options.emptyRow && x instanceof Int32Array && input.kind === 'tokens') x.fill(input.padId ?? 0, (rows - 1) * input.seqLen);
  const { bytes } = exportOnnx(model.spec, model.parameters(), {}, options.exportOptions);
  // Full optimisation, as served: the blocked (NCHWc) conv kernels and fusions must keep parity.
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const width = input.kind === 'tokens' ? input.seqLen : input.dim;
  // Random padding, then the same ids with no padding at all (the RNNs take another path then).
  const inputs = x instanceof Int32Array ? [x, x.map((v) => (v === 0 ? 1 : v))] : [x];
  const tol = (a: Float32Array, b: Float32Array) => (options.emptyRow ? excess(a, b) < TOL : maxAbsDiff(a, b) < TOL);
  for (const xi of inputs) {
    const torchOut = await model.predict(xi, 4);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor(xi instanceof Int32Array ? 'int32' : 'float32', xi, [rows, width]) };
    const out = await session.run(feeds);
    const main = out[model.spec.perToken ? 'emissions' : 'logits']!;
    assert.ok(tol(torchOut.output, main.data as Float32Array), `output differs by ${maxAbsDiff(torchOut.output, main.data as Float32Array)}`);
    if (torchOut.attention) {
      assert.ok(out.attention, 'ONNX model lacks the attention output');
      assert.ok(maxAbsDiff(torchOut.attention, out.attention.data as Float32Array) < TOL, 'attention differs');
    }
    const crf = model.spec.layers.find((l) => l.type === 'crf');
    if (crf) assert.ok(maxAbsDiff(model.parameters()[`${crf.name}.transitions`]!.data, out.transitions!.data as Float32Array) === 0);
  }
  await session.release();
}

const cases: Record<string, ModelSpec> = {
  'embedding + mean pool + linear': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'position + max pool': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'position' }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]),
  'conv1d (dilated, stacked)': tokenSpec([
    { type: 'embedding', dim: 8 },
    { type: 'conv1d', filters: 6, kernel: 3 },
    { type: 'conv1d', filters: 5, kernel: 5, dilation: 2 },
    { type: 'pool', op: 'max' },
    { type: 'linear', units: 3 },
  ]),
  'conv1d + relu, stacked, 16-multiple channels (blocked layout, fused padding term)': tokenSpec(
    [
      { type: 'embedding', dim: 16 },
      { type: 'conv1d', filters: 16, kernel: 3 },
      { type: 'activation', fn: 'relu' },
      { type: 'dropout', p: 0.1 },
      { type: 'conv1d', filters: 32, kernel: 5, dilation: 2 },
      { type: 'dropout', p: 0.1 },
      { type: 'activation', fn: 'relu' },
      { type: 'pool', op: 'max' },
      { type: 'linear', units: 3 },
    ],
    { seqLen: 24 },
  ),
  'conv1d + relu + mean pool': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'relu' }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'conv1d + gelu + max pool': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'gelu' }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]),
  'conv1d + tanh → lstm (layout change)': tokenSpec([
    { type: 'embedding', dim: 8 },
    { type: 'conv1d', filters: 6, kernel: 3 },
    { type: 'activation', fn: 'tanh' },
    { type: 'lstm', hidden: 5, bidirectional: true },
    { type: 'pool', op: 'max' },
    { type: 'linear', units: 3 },
  ]),
  'conv1d + relu tagger (per-token output from the conv)': tokenSpec(
    [{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'relu' }, { type: 'conv1d', filters: 3, kernel: 1 }],
    { task: 'tagging' },
  ),
  'lstm (forward)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'lstm', hidden: 6 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'lstm (bidirectional)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'lstm', hidden: 6, bidirectional: true }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]),
  'gru (bidirectional)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'gru', hidden: 5, bidirectional: true }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'gru (forward)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'gru', hidden: 5 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'transformer (gelu)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'transformer', heads: 2, ff: 16 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }]),
  'transformer (relu)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'transformer', heads: 4, ff: 12, activation: 'relu' }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]),
  'attention_pool': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'attention_pool', heads: 2, hidden: 6 }, { type: 'linear', units: 3 }]),
  'layer_norm + dropout + activations': tokenSpec([
    { type: 'embedding', dim: 8 },
    { type: 'layer_norm' },
    { type: 'dropout', p: 0.3 },
    { type: 'activation', fn: 'gelu' },
    { type: 'activation', fn: 'tanh' },
    { type: 'pool', op: 'mean' },
    { type: 'linear', units: 4 },
    { type: 'activation', fn: 'sigmoid' },
    { type: 'linear', units: 4 },
    { type: 'activation', fn: 'relu' },
    { type: 'linear', units: 3 },
  ]),
  'tagging with a CRF head': tokenSpec(
    [{ type: 'embedding', dim: 8 }, { type: 'lstm', hidden: 6, bidirectional: true }, { type: 'linear', units: 4 }, { type: 'crf' }],
    { labels: 4, task: 'tagging' },
  ),
  'tagging without CRF (per-token linear)': tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 6, kernel: 3 }, { type: 'linear', units: 3 }], { task: 'tagging' }),
  'features MLP (multilabel)': {
    version: 1,
    task: 'multilabel',
    labels: ['a', 'b'],
    input: { kind: 'features', dim: 10 },
    layers: [{ type: 'linear', units: 16 }, { type: 'layer_norm' }, { type: 'activation', fn: 'relu' }, { type: 'linear', units: 2 }],
  },
  'conv1d dilated, straight after the embedding (folded offsets j·d)': tokenSpec(
    [{ type: 'embedding', dim: 8 }, { type: 'dropout', p: 0.1 }, { type: 'conv1d', filters: 16, kernel: 5, dilation: 2 }, { type: 'activation', fn: 'relu' }, { type: 'dropout', p: 0.1 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }],
    { seqLen: 16 },
  ),
  'conv1d + relu → attention_pool (the exploit-labeler shape)': tokenSpec([
    { type: 'embedding', dim: 8 },
    { type: 'conv1d', filters: 16, kernel: 5 },
    { type: 'activation', fn: 'relu' },
    { type: 'attention_pool', heads: 2, hidden: 6 },
    { type: 'dropout', p: 0.3 },
    { type: 'linear', units: 3 },
  ]),
  'conv1d with a non-zero padding id': {
    ...tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'relu' }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }]),
    input: { kind: 'tokens', vocabSize: 40, seqLen: 12, padId: 3 },
  },
  'whole model: char-CNN': tokenSpec(
    [
      { type: 'embedding', dim: 16 },
      { type: 'conv1d', filters: 32, kernel: 5 },
      { type: 'activation', fn: 'relu' },
      { type: 'pool', op: 'max' },
      { type: 'dropout', p: 0.2 },
      { type: 'linear', units: 3 },
    ],
    { seqLen: 64, vocab: 100 },
  ),
  'whole model: BiLSTM + attention pooling': tokenSpec(
    [
      { type: 'embedding', dim: 16 },
      { type: 'lstm', hidden: 16, bidirectional: true },
      { type: 'attention_pool', heads: 2, hidden: 16 },
      { type: 'linear', units: 16 },
      { type: 'activation', fn: 'relu' },
      { type: 'linear', units: 3 },
    ],
    { seqLen: 48 },
  ),
  'whole model: 2-layer transformer encoder': tokenSpec(
    [
      { type: 'embedding', dim: 16 },
      { type: 'position' },
      { type: 'transformer', heads: 4, ff: 32 },
      { type: 'transformer', heads: 4, ff: 32 },
      { type: 'layer_norm' },
      { type: 'pool', op: 'mean' },
      { type: 'linear', units: 3 },
    ],
    { seqLen: 48 },
  ),
};

for (const [name, spec] of Object.entries(cases)) {
  test(`ONNX export parity: ${name}`, async (t) => {
    if (!needsAddon(t)) return;
    await parity(spec);
  });
}

// Convolutions and pooling again with a row of only padding (RNN and CRF layers define no
// meaningful output for an empty sequence, so they are left out).
for (const name of Object.keys(cases).filter((n) => /conv1d|char-CNN|pool|transformer/.test(n) && !/lstm|gru|CRF/i.test(n))) {
  test(`ONNX export parity with an all-padding row: ${name}`, async (t) => {
    if (!needsAddon(t)) return;
    await parity(cases[name]!, { emptyRow: true });
  });
}

// Embedding → conv1d is folded into lookup tables and run in chunks by default (the cases above).
// The same cases again with several chunks and a partial last one (7 rows, 3 per chunk), and with
// the fold disabled, so the Conv path keeps its parity too.
const convCases = Object.keys(cases).filter((n) => /conv1d|char-CNN/.test(n) && !/CRF/.test(n));
for (const name of convCases) {
  test(`ONNX export parity, folded conv in chunks of 3 rows: ${name}`, async (t) => {
    if (!needsAddon(t)) return;
    await parity(cases[name]!, { emptyRow: true, exportOptions: { chunkRows: 3 } });
  });
  test(`ONNX export parity, fold disabled (Conv op): ${name}`, async (t) => {
    if (!needsAddon(t)) return;
    await parity(cases[name]!, { emptyRow: true, exportOptions: { fold: false } });
  });
}

test('ONNX export parity, folded conv tagger with a CRF head in chunks (constant outputs outside the loop)', async (t) => {
  if (!needsAddon(t)) return;
  const spec = tokenSpec([{ type: 'embedding', dim: 8 }, { type: 'conv1d', filters: 16, kernel: 3 }, { type: 'activation', fn: 'relu' }, { type: 'linear', units: 4 }, { type: 'crf' }], {
    labels: 4,
    task: 'tagging',
  });
  for (const exportOptions of [{}, { chunkRows: 3 }, { fold: false }]) await parity(spec, { exportOptions });
});

test('folding: applies to embedding → conv1d within the table cap, and only then', async (t) => {
  if (!needsAddon(t)) return;
  const model = Model.create(cases['whole model: char-CNN']!, { seed: 1 });
  const ops = (options: ExportOptions) => {
    const types = new Set(onnxProto.onnx.ModelProto.decode(exportOnnx(model.spec, model.parameters(), {}, options).bytes).graph!.node!.map((n) => n.opType));
    return { conv: types.has('Conv'), loop: types.has('Loop') };
  };
  // Tables: kernel 5 × (vocab 100 + 1) × 32 filters × 4 bytes = 64,640 bytes.
  assert.deepEqual(ops({}), { conv: false, loop: true });
  assert.deepEqual(ops({ foldMaxBytes: 64_640 }), { conv: false, loop: true });
  assert.deepEqual(ops({ foldMaxBytes: 64_639 }), { conv: true, loop: false });
  assert.deepEqual(ops({ fold: false }), { conv: true, loop: false });
  assert.deepEqual(ops({ chunkRows: 0 }), { conv: false, loop: false });
});

test('folded, chunked graph: an empty batch gives empty outputs, a large batch matches small ones', async (t) => {
  if (!needsAddon(t)) return;
  const spec = cases['whole model: char-CNN']!;
  const model = Model.create(spec, { seed: 5 });
  const seqLen = 64;
  const session = await ort.InferenceSession.create(exportOnnx(model.spec, model.parameters(), {}, { chunkRows: 4 }).bytes, { intraOpNumThreads: 1 });
  const empty = await session.run({ input_ids: new ort.Tensor('int32', new Int32Array(0), [0, seqLen]) });
  assert.deepEqual(empty.logits!.dims, [0, 3]);
  const x = randomTokens(13, seqLen, 100, 21);
  const all = (await session.run({ input_ids: new ort.Tensor('int32', x, [13, seqLen]) })).logits!.data as Float32Array;
  const torchOut = await model.predict(x, 5);
  assert.ok(maxAbsDiff(torchOut.output, all) < TOL, `differs by ${maxAbsDiff(torchOut.output, all)}`);
  await session.release();
});
