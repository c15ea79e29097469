/**
 * Writes a trained model into the registry layout: model.onnx (for serving), weights.safetensors
 * (spec + weights, to continue training or pre-initialise other models), tokenizer.json and
 * card.json. Needs only the weights, not the addon, so a saved checkpoint can be shipped anywhere.
 */
import { join } from 'node:path';
import type { Model } from './model.js';
import { writeOnnx } from './onnx/export.js';
import { codeVersion, writeModelCard, type ModelCard, type ModelCardInput } from './registry.js';
import { writeSafetensors } from './safetensors.js';
import { normaliseSpec } from './spec.js';
import type { Tokenizer } from './text/tokenizer.js';

export interface ShipOptions {
  model: Model;
  dir: string;
  /** Card fields; spec, code version and date are filled in when omitted. */
  card: Omit<ModelCardInput, 'spec' | 'code' | 'date'> & Partial<Pick<ModelCardInput, 'code' | 'date'>>;
  tokenizer?: Tokenizer;
}

export async function shipModel(options: ShipOptions): Promise<ModelCard> {
  const { model, dir, tokenizer } = options;
  const spec = model.originalSpec();
  const card: ModelCardInput = {
    ...options.card,
    spec,
    code: options.card.code ?? codeVersion(),
    date: options.card.date ?? new Date().toISOString().slice(0, 10),
  };
  const params = model.parameters();
  const written = await writeModelCard(dir, card); // validates before anything heavy is written
  await writeOnnx(join(dir, written.files.onnx), normaliseSpec(spec), params, { name: written.name, version: written.version });
  await writeSafetensors(join(dir, 'weights.safetensors'), params, { spec: JSON.stringify(spec), format: 'threatminer-model' });
  if (tokenizer) await tokenizer.save(join(dir, written.preprocessing?.tokenizer ?? 'tokenizer.json'));
  return written;
}
