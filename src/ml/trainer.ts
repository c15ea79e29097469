/**
 * The training loop on top of the addon: epochs of shuffled mini-batches, LR schedules,
 * per-layer-group learning rates, class weights, validation with early stopping (best weights are
 * restored), checkpoints and a progress bar. Each step runs off the main thread inside the addon.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { argmaxTags, viterbi } from './crf.js';
import { gather, seededRandom, shuffled, type TensorDataset } from './data.js';
import type { Model, Prediction } from './model.js';
import { loadTrainingState, saveTrainingState, trainerStatePath, type TrainerPosition } from './checkpoint.js';
import { loadAddon, setThreads } from './native.js';
import { readSafetensors } from './safetensors.js';
import { learningRate, Schedule } from './schedule.js';

export const TrainerOptions = z.object({
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive().default(32),
  optimizer: z.enum(['adam', 'adamw', 'sgd']).default('adamw'),
  lr: z.number().positive().default(1e-3),
  weightDecay: z.number().min(0).default(0),
  momentum: z.number().min(0).max(1).default(0.9),
  schedule: Schedule.default({ kind: 'constant', warmupSteps: 0 }),
  clipNorm: z.number().min(0).default(0),
  /** Per-class loss weights, or 'balanced' (n / (k · count)) computed from the training labels. */
  classWeights: z.union([z.array(z.number().positive()), z.literal('balanced')]).optional(),
  /** Discriminative learning rates: these layers train at lr · lrScale. */
  layerGroups: z.array(z.object({ layers: z.array(z.string()).min(1), lrScale: z.number().min(0) })).default([]),
  /** Layers to keep frozen (not updated) during this fit. */
  freeze: z.array(z.string()).default([]),
  seed: z.number().int().default(1),
  threads: z.number().int().positive().optional(),
  earlyStopping: z.object({ patience: z.number().int().positive(), minDelta: z.number().min(0).default(0) }).optional(),
  /**
   * Writes `last.safetensors` (+ `last.trainer.safetensors`: optimizer state, schedule position,
   * RNG) each epoch and `best.safetensors` on improvement.
   */
  checkpointDir: z.string().optional(),
  /**
   * Continue from `checkpointDir/last.*` when present: weights, optimizer moments and steps, the
   * LR schedule's position, the shuffling order and dropout draws, so an interrupted run ends with
   * the weights an uninterrupted one would have (same thread count). Starts fresh when absent.
   */
  resume: z.boolean().default(false),
  /** Show a progress bar (default: when stderr is a terminal). */
  progress: z.boolean().optional(),
});
export type TrainerOptions = z.input<typeof TrainerOptions>;

/** A validation score, higher is better (e.g. accuracy or macro-F1 from src/ml/metrics). */
export type ValidationMetric = (prediction: Prediction, data: TensorDataset, model: Model) => number;

export interface EpochLog {
  epoch: number;
  loss: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
  validation?: number;
}

export interface FitResult {
  epochs: EpochLog[];
  bestEpoch: number;
  bestValidation?: number;
  stoppedEarly: boolean;
}

/**
 * Accuracy: argmax per sample; per real token for tagging (padding excluded, Viterbi paths for CRF
 * heads, as served); per label decision (logit > 0) for multilabel.
 */
export const accuracy: ValidationMetric = (pred, data, model) => {
  const k = model.spec.labels.length;
  const out = pred.output;
  let right = 0;
  let total = 0;
  if (model.spec.task === 'multilabel') {
    for (let i = 0; i < out.length; i++) {
      right += (out[i]! > 0 ? 1 : 0) === (data.y[i]! > 0.5 ? 1 : 0) ? 1 : 0;
      total++;
    }
    return right / Math.max(1, total);
  }
  const input = model.spec.input;
  if (model.spec.task === 'tagging' && input.kind === 'tokens') {
    const T = input.seqLen;
    const crf = model.spec.layers.find((l) => l.type === 'crf');
    const params = crf ? model.parameters() : undefined;
    const tables = crf && params
      ? { transitions: params[`${crf.name}.transitions`]!.data, start: params[`${crf.name}.start`]!.data, end: params[`${crf.name}.end`]!.data }
      : undefined;
    for (let r = 0; r < data.rows; r++) {
      let len = 0;
      for (let t = 0; t < T; t++) if (data.x[r * T + t] !== input.padId) len = t + 1;
      const em = out.subarray(r * T * k, (r + 1) * T * k);
      const path = tables ? viterbi(em, len, k, tables) : argmaxTags(em, len, k);
      for (let t = 0; t < len; t++) {
        if (data.x[r * T + t] === input.padId) continue;
        right += path[t] === data.y[r * T + t] ? 1 : 0;
        total++;
      }
    }
    return right / Math.max(1, total);
  }
  for (let p = 0; p < data.rows; p++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (out[p * k + j]! > out[p * k + best]!) best = j;
    right += best === data.y[p] ? 1 : 0;
    total++;
  }
  return right / Math.max(1, total);
};

function balancedWeights(y: Int32Array | Float32Array, k: number): Float32Array {
  const counts = new Float64Array(k);
  let n = 0;
  for (const v of y) {
    if (v >= 0 && v < k) {
      counts[v]!++;
      n++;
    }
  }
  return Float32Array.from(counts, (c) => (c > 0 ? n / (k * c) : 1));
}

export class Trainer {
  readonly options: z.output<typeof TrainerOptions>;

  constructor(
    readonly model: Model,
    options: TrainerOptions,
    private readonly metric: ValidationMetric = accuracy,
  ) {
    const parsed = TrainerOptions.safeParse(options);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new InputError('trainer options', `${i?.path.join('.')}: ${i?.message}`);
    }
    this.options = parsed.data;
  }

  /** Trains on `train`; `onEpoch` is awaited after each epoch (logging, RSS probes, custom checkpoints). */
  async fit(train: TensorDataset, validation?: TensorDataset, hooks: { onEpoch?: (log: EpochLog) => void | Promise<void> } = {}): Promise<FitResult> {
    const o = this.options;
    const model = this.model;
    if (o.threads) setThreads(o.threads);
    const k = model.spec.labels.length;
    let classWeights: Float32Array | undefined;
    if (o.classWeights === 'balanced') classWeights = balancedWeights(train.y, k);
    else if (o.classWeights) {
      if (o.classWeights.length !== k) throw new InputError('classWeights', `${o.classWeights.length} weights for ${k} labels`);
      classWeights = Float32Array.from(o.classWeights);
    }
    model.unfreeze(model.spec.layers.map((l) => l.name));
    if (o.freeze.length > 0) model.freeze(o.freeze);
    model.configureOptimizer({
      name: o.optimizer,
      lr: o.lr,
      weightDecay: o.weightDecay,
      momentum: o.momentum,
      clipNorm: o.clipNorm,
      ...(classWeights ? { classWeights } : {}),
      groups: o.layerGroups.map((g) => ({ params: model.layerParameters(g.layers), scale: g.lrScale })),
    });
    const random = seededRandom(o.seed);
    const stepsPerEpoch = Math.ceil(train.rows / o.batchSize);
    const totalSteps = stepsPerEpoch * o.epochs;
    const showBar = o.progress ?? Boolean(process.stderr.isTTY);
    const bar = showBar
      ? new cliProgress.SingleBar(
          { format: 'epoch {epoch} |{bar}| {value}/{total} batches · loss {loss} · {speed} samples/s', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    const logs: EpochLog[] = [];
    let best = -Infinity;
    let bestEpoch = 0;
    let bestParams: Record<string, Float32Array> | undefined;
    let sinceBest = 0;
    let stoppedEarly = false;
    let step = 0;
    let firstEpoch = 1;
    const last = o.checkpointDir ? join(o.checkpointDir, 'last.safetensors') : undefined;
    if (o.resume) {
      if (!last) throw new InputError('trainer options', 'resume needs checkpointDir');
      const statePath = trainerStatePath(last);
      if (existsSync(statePath)) {
        const saved = await loadTrainingState(statePath);
        const p = saved.position;
        if (p.trainRows !== train.rows || p.batchSize !== o.batchSize || p.optimizer !== o.optimizer) {
          throw new InputError(
            statePath,
            `saved for ${p.trainRows} training rows, batch size ${p.batchSize}, ${p.optimizer}; this run has ${train.rows}, ${o.batchSize}, ${o.optimizer}`,
          );
        }
        const weights = await readSafetensors(last);
        model.setParameters(Object.fromEntries(Object.entries(weights.tensors).map(([k, t]) => [k, t.data])));
        model.setOptimizerState(saved.optimizer);
        loadAddon().setRngState(saved.rng);
        step = p.step;
        firstEpoch = p.epoch + 1;
        best = p.best ?? -Infinity;
        bestEpoch = p.bestEpoch;
        sinceBest = p.sinceBest;
        logs.push(...p.logs);
        // The shuffles of the finished epochs, so this run draws the orders the uninterrupted one would.
        for (let e = 1; e < firstEpoch; e++) shuffled(train.rows, random);
        if (o.earlyStopping && bestEpoch > 0 && o.checkpointDir) {
          const bestWeights = await readSafetensors(join(o.checkpointDir, 'best.safetensors'));
          bestParams = Object.fromEntries(Object.entries(bestWeights.tensors).map(([k, t]) => [k, t.data]));
        }
        if (o.earlyStopping && sinceBest >= o.earlyStopping.patience) {
          firstEpoch = o.epochs + 1;
          stoppedEarly = true;
        }
      }
    }
    for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
      const started = performance.now();
      const order = shuffled(train.rows, random);
      let lossSum = 0;
      let lr = o.lr;
      bar?.start(stepsPerEpoch, 0, { epoch, loss: '-', speed: '-' });
      for (let b = 0; b < stepsPerEpoch; b++) {
        const batch = gather(train, order.subarray(b * o.batchSize, (b + 1) * o.batchSize));
        lr = learningRate(o.schedule, o.lr, step++, totalSteps);
        model.setLearningRate(lr);
        const loss = await model.trainStep(batch.x, batch.y);
        if (!Number.isFinite(loss)) throw new InputError('training', `loss became ${loss} at epoch ${epoch}, batch ${b}: lower the learning rate or clip gradients`);
        lossSum += loss;
        const secs = (performance.now() - started) / 1000;
        bar?.update(b + 1, { epoch, loss: (lossSum / (b + 1)).toFixed(4), speed: Math.round(((b + 1) * o.batchSize) / secs) });
      }
      bar?.stop();
      const seconds = (performance.now() - started) / 1000;
      const log: EpochLog = { epoch, loss: lossSum / stepsPerEpoch, lr, seconds, samplesPerSecond: train.rows / seconds };
      if (validation) log.validation = this.metric(await model.predict(validation.x), validation, model);
      logs.push(log);
      await hooks.onEpoch?.(log);
      const score = log.validation ?? -log.loss;
      const improved = score > best + (o.earlyStopping?.minDelta ?? 0);
      if (improved) {
        best = score;
        bestEpoch = epoch;
        sinceBest = 0;
        if (o.earlyStopping) bestParams = Object.fromEntries(Object.entries(model.parameters()).map(([n, p]) => [n, p.data]));
        if (o.checkpointDir) await model.save(join(o.checkpointDir, 'best.safetensors'), { epoch: String(epoch) });
      } else sinceBest++;
      if (last) {
        await model.save(last, { epoch: String(epoch) });
        const position: TrainerPosition = {
          epoch,
          step,
          optimizer: o.optimizer,
          trainRows: train.rows,
          batchSize: o.batchSize,
          best: Number.isFinite(best) ? best : null,
          bestEpoch,
          sinceBest,
          logs,
        };
        await saveTrainingState(trainerStatePath(last), { position, optimizer: model.optimizerState(), rng: loadAddon().getRngState() });
      }
      if (o.earlyStopping && sinceBest >= o.earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestParams) model.setParameters(bestParams);
    return { epochs: logs, bestEpoch, ...(validation ? { bestValidation: best } : {}), stoppedEarly };
  }
}
