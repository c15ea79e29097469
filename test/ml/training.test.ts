// Training through the addon: learning synthetic tasks, save/load round trips, transfer-learning
// primitives, determinism and gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model } from '../../src/ml/model.js';
import { makeDataset, split } from '../../src/ml/data.js';
import { Trainer, accuracy } from '../../src/ml/trainer.js';
import { maxAbsDiff, needsAddon, rng, tokenSpec } from './helpers.js';

const T = 20;
const VOCAB = 30;

/** Class 1 iff the sequence contains token 7 — a CNN with max pooling can learn this exactly. */
function keywordTask(rows: number, seed: number) {
  const r = rng(seed);
  const x = new Int32Array(rows * T);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const len = 5 + Math.floor(r() * (T - 5));
    const positive = r() < 0.5;
    for (let t = 0; t < len; t++) {
      let v = 1 + Math.floor(r() * (VOCAB - 1));
      if (v === 7) v = 8;
      x[i * T + t] = v;
    }
    if (positive) x[i * T + Math.floor(r() * len)] = 7;
    y[i] = positive ? 1 : 0;
  }
  return makeDataset(x, y, T);
}

const cnnSpec = tokenSpec(
  [
    { type: 'embedding', name: 'emb', dim: 16 },
    { type: 'conv1d', name: 'conv', filters: 32, kernel: 3 },
    { type: 'activation', fn: 'relu' },
    { type: 'pool', op: 'max' },
    { type: 'linear', name: 'head', units: 2 },
  ],
  { labels: 2, seqLen: T, vocab: VOCAB },
);

test('a small CNN learns a keyword task to > 95% validation accuracy, with early stopping and checkpoints', async (t) => {
  if (!needsAddon(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'tm-ml-'));
  try {
    const [train, valid] = split(keywordTask(1200, 1), 0.25);
    const model = Model.create(cnnSpec, { seed: 3 });
    const trainer = new Trainer(model, {
      epochs: 15,
      batchSize: 32,
      lr: 3e-3,
      schedule: { kind: 'cosine', warmupSteps: 10 },
      clipNorm: 1,
      classWeights: 'balanced',
      earlyStopping: { patience: 3 },
      checkpointDir: dir,
      progress: false,
    });
    const result = await trainer.fit(train, valid);
    assert.ok(result.bestValidation! > 0.95, `validation accuracy ${result.bestValidation}`);
    assert.ok(result.epochs[0]!.loss > result.epochs[result.epochs.length - 1]!.loss, 'loss decreases');
    // The restored best weights score what the trainer reported.
    assert.equal(accuracy(await model.predict(valid.x), valid, model), result.bestValidation);
    const best = await Model.load(join(dir, 'best.safetensors'));
    assert.equal(accuracy(await best.predict(valid.x), valid, best), result.bestValidation);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a BiLSTM + CRF tagger learns per-token tags to > 95% accuracy', async (t) => {
  if (!needsAddon(t)) return;
  // Tag 1 on tokens whose previous token is ≤ 6, else 0: about half the tokens, and the tag depends
  // on context, not on the token itself (a majority-class guess scores ~50%).
  const r = rng(5);
  const rows = 400;
  const L = 12;
  const x = new Int32Array(rows * L);
  const y = new Int32Array(rows * L);
  for (let i = 0; i < rows; i++) {
    const len = 4 + Math.floor(r() * (L - 4));
    for (let p = 0; p < len; p++) x[i * L + p] = 1 + Math.floor(r() * 12);
    for (let p = 1; p < len; p++) y[i * L + p] = x[i * L + p - 1]! <= 6 ? 1 : 0;
  }
  const [train, valid] = split(makeDataset(x, y, L), 0.2);
  const spec = tokenSpec(
    [{ type: 'embedding', dim: 16 }, { type: 'lstm', hidden: 16, bidirectional: true }, { type: 'linear', units: 2 }, { type: 'crf' }],
    { labels: 2, seqLen: L, vocab: 16, task: 'tagging' },
  );
  const model = Model.create(spec, { seed: 1 });
  const result = await new Trainer(model, { epochs: 10, batchSize: 16, lr: 1e-2, progress: false }).fit(train, valid);
  assert.ok(result.bestValidation! > 0.95, `token accuracy ${result.bestValidation}`);
});

test('save/load round trip keeps the spec and gives identical outputs', async (t) => {
  if (!needsAddon(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'tm-ml-'));
  try {
    const model = Model.create(cnnSpec, { seed: 9 });
    const data = keywordTask(50, 2);
    const before = await model.predict(data.x);
    await model.save(join(dir, 'm.safetensors'));
    const loaded = await Model.load(join(dir, 'm.safetensors'));
    assert.deepEqual(loaded.originalSpec(), model.originalSpec());
    assert.equal(maxAbsDiff(before.output, (await loaded.predict(data.x)).output), 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('same seed → same weights and same training trajectory', async (t) => {
  if (!needsAddon(t)) return;
  const data = keywordTask(128, 4);
  const run = async () => {
    const m = Model.create(cnnSpec, { seed: 11 });
    const r = await new Trainer(m, { epochs: 2, batchSize: 32, seed: 5, progress: false, threads: 1 }).fit(data);
    return { loss: r.epochs.map((e) => e.loss), out: (await m.predict(data.x)).output };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.loss, b.loss);
  assert.equal(maxAbsDiff(a.out, b.out), 0);
});

test('transfer: initFrom copies named layers, freeze keeps them fixed, groups scale learning rates', async (t) => {
  if (!needsAddon(t)) return;
  const data = keywordTask(128, 6);
  const source = Model.create(cnnSpec, { seed: 1 });
  await new Trainer(source, { epochs: 1, progress: false }).fit(data);
  const target = Model.create(cnnSpec, { seed: 2 });
  const copied = target.initFrom(source, ['emb', 'conv']);
  assert.deepEqual(copied.sort(), ['conv.weight', 'conv.bias', 'emb.weight'].sort());
  assert.deepEqual(target.parameters()['emb.weight']!.data, source.parameters()['emb.weight']!.data);
  assert.notDeepEqual(target.parameters()['head.linear.weight']!.data, source.parameters()['head.linear.weight']!.data);

  const embBefore = target.parameters()['emb.weight']!.data;
  const headBefore = target.parameters()['head.linear.weight']!.data;
  await new Trainer(target, { epochs: 1, freeze: ['emb'], progress: false }).fit(data);
  assert.equal(maxAbsDiff(target.parameters()['emb.weight']!.data, embBefore), 0, 'frozen layer unchanged');
  assert.ok(maxAbsDiff(target.parameters()['head.linear.weight']!.data, headBefore) > 0, 'head trained');

  // lrScale 0 is a discriminative rate that leaves the group fixed while the rest trains.
  const convBefore = target.parameters()['conv.weight']!.data;
  await new Trainer(target, { epochs: 1, layerGroups: [{ layers: ['conv'], lrScale: 0 }], progress: false }).fit(data);
  assert.equal(maxAbsDiff(target.parameters()['conv.weight']!.data, convBefore), 0);
  assert.ok(maxAbsDiff(target.parameters()['emb.weight']!.data, embBefore) > 0, 'unfrozen layer trains again');

  assert.throws(() => target.initFrom(source, ['nope']), /no layer named 'nope'/);
});

test('initFrom refuses mismatched shapes, naming the parameter', async (t) => {
  if (!needsAddon(t)) return;
  const other = Model.create(tokenSpec([{ type: 'embedding', name: 'emb', dim: 8 }, { type: 'pool', op: 'max' }, { type: 'linear', units: 2 }], { labels: 2, seqLen: T, vocab: VOCAB }));
  const model = Model.create(cnnSpec);
  assert.throws(() => model.initFrom(other, ['emb']), /'emb.weight' has shape \[30,16\] but the source 'emb.weight' has \[30,8\]/);
});

test('weights cannot be read or changed while a step runs off the main thread', async (t) => {
  if (!needsAddon(t)) return;
  const model = Model.create(cnnSpec);
  model.configureOptimizer({ name: 'sgd', lr: 0.1 });
  const data = keywordTask(32, 1);
  const step = model.trainStep(data.x, data.y);
  assert.throws(() => model.parameters(), /parameters: the model is busy/);
  assert.throws(() => model.freeze(['emb']), /freeze: the model is busy/);
  assert.ok(Number.isFinite(await step));
  assert.ok(model.parameters()['emb.weight']);
});
