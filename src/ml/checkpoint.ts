/**
 * Resumable training state, written next to a model checkpoint as `<name>.trainer.safetensors`:
 * the optimizer's per-parameter state (Adam/AdamW moments and step counts, SGD momentum buffers),
 * the trainer's position (finished epochs, global step, which drives the LR schedule), the
 * early-stopping bookkeeping, and torch's RNG state (dropout draws). The model checkpoint itself
 * stays a plain weights file that `Model.load` and `shipModel` use unchanged.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { NativeParamState } from './native.js';
import { readSafetensors, writeSafetensors, type Tensor } from './safetensors.js';

const FORMAT = 'threatminer-trainer-state';
const FIELDS = ['exp_avg', 'exp_avg_sq', 'momentum_buffer'] as const;

export const TrainerPosition = z.object({
  /** Epochs finished. */
  epoch: z.number().int().min(0),
  /** Optimizer steps taken (the LR schedule's position). */
  step: z.number().int().min(0),
  optimizer: z.enum(['adam', 'adamw', 'sgd']),
  trainRows: z.number().int().min(0),
  batchSize: z.number().int().positive(),
  /** Best validation score so far; null before the first epoch. */
  best: z.number().nullable(),
  bestEpoch: z.number().int().min(0),
  sinceBest: z.number().int().min(0),
  logs: z.array(
    z.object({
      epoch: z.number(),
      loss: z.number(),
      lr: z.number(),
      seconds: z.number(),
      samplesPerSecond: z.number(),
      validation: z.number().optional(),
    }),
  ),
});
export type TrainerPosition = z.infer<typeof TrainerPosition>;

export interface TrainingState {
  position: TrainerPosition;
  optimizer: Record<string, NativeParamState>;
  rng: Uint8Array;
}

export function trainerStatePath(checkpoint: string): string {
  return checkpoint.replace(/\.safetensors$/, '') + '.trainer.safetensors';
}

export async function saveTrainingState(path: string, state: TrainingState): Promise<void> {
  const tensors: Record<string, Tensor> = {};
  const steps: Record<string, number> = {};
  for (const [param, s] of Object.entries(state.optimizer)) {
    if (s.step !== undefined) steps[param] = s.step;
    for (const field of FIELDS) {
      const data = s[field];
      if (data) tensors[`${param}/${field}`] = { shape: [data.length], data };
    }
  }
  await writeSafetensors(path, tensors, {
    format: FORMAT,
    position: JSON.stringify(state.position),
    steps: JSON.stringify(steps),
    rng: Buffer.from(state.rng.buffer, state.rng.byteOffset, state.rng.byteLength).toString('base64'),
  });
}

export async function loadTrainingState(path: string): Promise<TrainingState> {
  const { tensors, metadata } = await readSafetensors(path);
  if (metadata.format !== FORMAT) throw new InputError(path, `not a trainer state file (format '${metadata.format ?? 'none'}')`);
  let position: TrainerPosition;
  let steps: Record<string, number>;
  try {
    position = TrainerPosition.parse(JSON.parse(metadata.position ?? ''));
    steps = z.record(z.string(), z.number().int().min(0)).parse(JSON.parse(metadata.steps ?? '{}'));
  } catch (err) {
    throw new InputError(path, `bad trainer state metadata: ${(err as Error).message}`, { cause: err });
  }
  const optimizer: Record<string, NativeParamState> = {};
  for (const [param, step] of Object.entries(steps)) optimizer[param] = { step };
  for (const [name, t] of Object.entries(tensors)) {
    const slash = name.lastIndexOf('/');
    const field = name.slice(slash + 1);
    if (slash < 0 || !(FIELDS as readonly string[]).includes(field)) throw new InputError(path, `unexpected tensor '${name}'`);
    const param = name.slice(0, slash);
    optimizer[param] = { ...optimizer[param], [field]: t.data };
  }
  return { position, optimizer, rng: new Uint8Array(Buffer.from(metadata.rng ?? '', 'base64')) };
}
