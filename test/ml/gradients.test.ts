// Gradient checks: the addon's analytic gradients (w.r.t. inputs, and via the embedding table
// through every sequence layer) against central finite differences of its own loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/ml/model.js';
import type { ModelSpec } from '../../src/ml/spec.js';
import { needsAddon, randomTokens, rng, tokenSpec } from './helpers.js';

const EPS = 1e-2;

function close(analytic: number, numeric: number, what: string): void {
  const tol = 2e-3 + 2e-2 * Math.max(Math.abs(analytic), Math.abs(numeric));
  assert.ok(Math.abs(analytic - numeric) <= tol, `${what}: analytic ${analytic} vs numeric ${numeric}`);
}

async function checkFeatures(layers: ModelSpec['layers']): Promise<void> {
  const spec: ModelSpec = { version: 1, task: 'classification', labels: ['a', 'b', 'c'], input: { kind: 'features', dim: 5 }, layers };
  const model = Model.create(spec, { seed: 2 });
  const r = rng(4);
  const x = Float32Array.from({ length: 2 * 5 }, () => r() * 2 - 1);
  const y = Int32Array.from([0, 2]);
  const g = await model.inputGradient(x, y);
  assert.deepEqual(g.shape, [2, 5]);
  for (let i = 0; i < x.length; i += 3) {
    const plus = Float32Array.from(x);
    const minus = Float32Array.from(x);
    plus[i]! += EPS;
    minus[i]! -= EPS;
    // inputGradient returns the mean loss over the batch, as training uses.
    const lp = (await model.inputGradient(plus, y)).loss;
    const lm = (await model.inputGradient(minus, y)).loss;
    close(g.gradient[i]!, (lp - lm) / (2 * EPS), `d loss / d x[${i}]`);
  }
}

/**
 * For token models: d loss / d table[v] = Σ over positions holding token v of d loss / d embedded,
 * checked against finite differences on the embedding table (setParameters).
 */
async function checkTokens(spec: ModelSpec, labels: Int32Array): Promise<void> {
  const model = Model.create(spec, { seed: 5 });
  const input = spec.input as { seqLen: number; vocabSize: number };
  const x = randomTokens(labels.length === 2 ? 2 : labels.length / input.seqLen, input.seqLen, input.vocabSize, 8);
  const g = await model.inputGradient(x, labels);
  const [, , E] = g.shape as [number, number, number];
  const table = model.parameters()['emb.weight']!.data;
  const token = x[0]!; // every row has at least one real token, so this is never padding
  for (const j of [0, Math.floor(E / 2), E - 1]) {
    let analytic = 0;
    x.forEach((v, pos) => {
      if (v === token) analytic += g.gradient[pos * E + j]!;
    });
    const at = token * E + j;
    const plus = Float32Array.from(table);
    plus[at]! += EPS;
    model.setParameters({ 'emb.weight': plus });
    const lp = (await model.inputGradient(x, labels)).loss;
    const minus = Float32Array.from(table);
    minus[at]! -= EPS;
    model.setParameters({ 'emb.weight': minus });
    const lm = (await model.inputGradient(x, labels)).loss;
    model.setParameters({ 'emb.weight': table });
    close(analytic, (lp - lm) / (2 * EPS), `token ${token}, dim ${j}`);
  }
}

test('gradient check: linear, layer_norm, gelu/tanh/sigmoid on features', async (t) => {
  if (!needsAddon(t)) return;
  await checkFeatures([{ type: 'linear', units: 6 }, { type: 'layer_norm' }, { type: 'activation', fn: 'gelu' }, { type: 'linear', units: 4 }, { type: 'activation', fn: 'tanh' }, { type: 'linear', units: 3 }]);
  await checkFeatures([{ type: 'linear', units: 4 }, { type: 'activation', fn: 'sigmoid' }, { type: 'linear', units: 3 }]);
});

const seqCases: Record<string, ModelSpec['layers']> = {
  conv1d: [{ type: 'embedding', name: 'emb', dim: 6 }, { type: 'conv1d', filters: 5, kernel: 3 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }],
  'bi-lstm': [{ type: 'embedding', name: 'emb', dim: 6 }, { type: 'lstm', hidden: 4, bidirectional: true }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }],
  'bi-gru': [{ type: 'embedding', name: 'emb', dim: 6 }, { type: 'gru', hidden: 4, bidirectional: true }, { type: 'pool', op: 'max' }, { type: 'linear', units: 3 }],
  transformer: [{ type: 'embedding', name: 'emb', dim: 8 }, { type: 'transformer', heads: 2, ff: 8, dropout: 0 }, { type: 'pool', op: 'mean' }, { type: 'linear', units: 3 }],
  attention_pool: [{ type: 'embedding', name: 'emb', dim: 6 }, { type: 'attention_pool', heads: 2, hidden: 4 }, { type: 'linear', units: 3 }],
};
for (const [name, layers] of Object.entries(seqCases)) {
  test(`gradient check through ${name} (w.r.t. embeddings)`, async (t) => {
    if (!needsAddon(t)) return;
    await checkTokens(tokenSpec(layers, { seqLen: 6, vocab: 10 }), Int32Array.from([1, 2]));
  });
}

test('gradient check through a CRF loss', async (t) => {
  if (!needsAddon(t)) return;
  const spec = tokenSpec([{ type: 'embedding', name: 'emb', dim: 6 }, { type: 'linear', units: 3 }, { type: 'crf' }], { seqLen: 5, vocab: 8, task: 'tagging' });
  await checkTokens(spec, Int32Array.from({ length: 10 }, (_, i) => i % 3));
});
