// Resuming from a checkpoint restores the optimizer (moments, step counts), the LR schedule's
// position, the shuffling order and dropout draws: N epochs straight and N/2 + save + load + N/2
// end with the same weights on one thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model } from '../../src/ml/model.js';
import { makeDataset, split } from '../../src/ml/data.js';
import { Trainer, type TrainerOptions } from '../../src/ml/trainer.js';
import { loadTrainingState, saveTrainingState } from '../../src/ml/checkpoint.js';
import { maxAbsDiff, needsAddon, rng, tokenSpec } from './helpers.js';

const T = 16;
const VOCAB = 30;

function task(rows: number, seed: number) {
  const r = rng(seed);
  const x = new Int32Array(rows * T);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const len = 4 + Math.floor(r() * (T - 4));
    for (let t = 0; t < len; t++) x[i * T + t] = 1 + Math.floor(r() * (VOCAB - 1));
    y[i] = x[i * T]! % 2;
  }
  return makeDataset(x, y, T);
}

// Dropout makes the run depend on torch's RNG too.
const spec = tokenSpec(
  [
    { type: 'embedding', name: 'emb', dim: 8 },
    { type: 'conv1d', name: 'conv', filters: 16, kernel: 3 },
    { type: 'activation', fn: 'relu' },
    { type: 'dropout', p: 0.3 },
    { type: 'pool', op: 'max' },
    { type: 'linear', name: 'head', units: 2 },
  ],
  { labels: 2, seqLen: T, vocab: VOCAB },
);

class Interrupted extends Error {}

function weights(model: Model): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(model.parameters()).map(([k, p]) => [k, p.data]));
}

function largestDifference(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  assert.deepEqual(Object.keys(a), Object.keys(b));
  return Math.max(...Object.keys(a).map((k) => maxAbsDiff(a[k]!, b[k]!)));
}

for (const optimizer of ['adamw', 'adam', 'sgd'] as const) {
  test(`resuming ${optimizer} training from a checkpoint continues exactly as an uninterrupted run`, async (t) => {
    if (!needsAddon(t)) return;
    const dir = await mkdtemp(join(tmpdir(), 'tm-ml-resume-'));
    try {
      const [train, valid] = split(task(200, 4), 0.2);
      const options = (checkpointDir: string, resume = false): TrainerOptions => ({
        epochs: 4,
        batchSize: 16,
        optimizer,
        lr: optimizer === 'sgd' ? 0.05 : 3e-3,
        momentum: 0.9,
        weightDecay: 0.01,
        schedule: { kind: 'cosine', warmupSteps: 5 },
        clipNorm: 1,
        seed: 5,
        threads: 1,
        progress: false,
        checkpointDir,
        resume,
      });

      const straight = Model.create(spec, { seed: 3 });
      const full = await new Trainer(straight, options(join(dir, 'straight'))).fit(train, valid);

      // Epoch 3 is interrupted after it ran: the checkpoint on disk is epoch 2's.
      const first = Model.create(spec, { seed: 3 });
      const ckpt = join(dir, 'interrupted');
      await assert.rejects(
        new Trainer(first, options(ckpt)).fit(train, valid, {
          onEpoch: (log) => {
            if (log.epoch === 3) throw new Interrupted('simulated crash');
          },
        }),
        Interrupted,
      );
      const saved = await loadTrainingState(join(ckpt, 'last.trainer.safetensors'));
      assert.equal(saved.position.epoch, 2);
      assert.equal(saved.position.step, 2 * Math.ceil(train.rows / 16));

      // A fresh process would start from a differently initialised model: resume restores it all.
      const resumed = Model.create(spec, { seed: 99 });
      const rest = await new Trainer(resumed, options(ckpt, true)).fit(train, valid);
      assert.deepEqual(rest.epochs.map((e) => e.loss), full.epochs.map((e) => e.loss));
      assert.equal(rest.bestEpoch, full.bestEpoch);
      assert.equal(largestDifference(weights(resumed), weights(straight)), 0, 'resumed weights differ');

      // Control: the same resume without the optimizer's moments does not reproduce the run, so the
      // comparison above can fail.
      const control = join(dir, 'control');
      await new Trainer(Model.create(spec, { seed: 3 }), { ...options(control), epochs: 4 })
        .fit(train, valid, { onEpoch: (log) => { if (log.epoch === 3) throw new Interrupted('crash'); } })
        .catch((err: unknown) => assert.ok(err instanceof Interrupted));
      const state = await loadTrainingState(join(control, 'last.trainer.safetensors'));
      await saveTrainingState(join(control, 'last.trainer.safetensors'), { ...state, optimizer: {} });
      const forgetful = Model.create(spec, { seed: 99 });
      await new Trainer(forgetful, options(control, true)).fit(train, valid);
      const drift = largestDifference(weights(forgetful), weights(straight));
      assert.ok(drift > 1e-4, `fresh optimizer state should change the result (max difference ${drift})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('resume refuses a checkpoint saved for other data or another optimizer', async (t) => {
  if (!needsAddon(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'tm-ml-resume-'));
  try {
    const data = task(64, 2);
    const base: TrainerOptions = { epochs: 1, batchSize: 16, optimizer: 'adam', threads: 1, progress: false, checkpointDir: dir };
    await new Trainer(Model.create(spec, { seed: 1 }), base).fit(data);
    await assert.rejects(new Trainer(Model.create(spec, { seed: 1 }), { ...base, epochs: 2, optimizer: 'sgd', resume: true }).fit(data), /adam; this run has 64, 16, sgd/);
    await assert.rejects(new Trainer(Model.create(spec, { seed: 1 }), { ...base, epochs: 2, resume: true }).fit(task(32, 2)), /saved for 64 training rows/);
    // Nothing saved yet: a fresh start.
    const fresh = await new Trainer(Model.create(spec, { seed: 1 }), { ...base, checkpointDir: join(dir, 'empty'), resume: true }).fit(data);
    assert.equal(fresh.epochs.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
