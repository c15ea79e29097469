import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import {
  Model, Trainer, listModels, pipeline, readJsonl, shipModel, split, textClassificationDataset, trainTokenizer, ModelSpec, type TensorDataset,
} from '../../ml/index.js';

/**
 * `threatminer ml …`: list registry models, train a text classifier from JSONL and ship it to
 * models/<name>, classify texts with a shipped model. See docs/ml-engine.md.
 */
const Example = z.object({ text: z.string(), label: z.string() });

interface TrainOptions {
  spec: string;
  data: string;
  valid?: string;
  out: string;
  epochs: number;
  batchSize: number;
  lr: number;
  maxLength: number;
  tokenizer: 'bpe' | 'char';
  vocabSize?: number;
  threads?: number;
  seed: number;
  licence: string;
  dataLicence: string;
  patience: number;
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(name, `must be a positive integer, got ${v}`);
  return n;
};

async function readExamples(path: string): Promise<Array<z.infer<typeof Example>>> {
  const rows: Array<z.infer<typeof Example>> = [];
  for await (const r of readJsonl(path, Example)) rows.push(r);
  if (rows.length === 0) throw new InputError(path, 'no examples');
  return rows;
}

async function train(o: TrainOptions): Promise<void> {
  let specJson: unknown;
  try {
    specJson = JSON.parse(await readFile(o.spec, 'utf8'));
  } catch (err) {
    throw new InputError(o.spec, `cannot read the model spec: ${(err as Error).message}`);
  }
  const base = ModelSpec.safeParse(specJson);
  if (!base.success) throw new InputError(o.spec, `${base.error.issues[0]?.path.join('.')}: ${base.error.issues[0]?.message}`);
  if (base.data.input.kind !== 'tokens' || base.data.task !== 'classification') throw new InputError(o.spec, 'ml train handles text classification specs (tokens input, task classification)');
  const examples = await readExamples(o.data);
  const labels = base.data.labels;
  const index = (e: { label: string }, where: string) => {
    const i = labels.indexOf(e.label);
    if (i < 0) throw new InputError(where, `label '${e.label}' is not in the spec's labels (${labels.join(', ')})`);
    return i;
  };
  const tokenizer = await trainTokenizer(examples.map((e) => e.text), { kind: o.tokenizer, ...(o.vocabSize ? { vocabSize: o.vocabSize } : {}) });
  // The tokenizer decides the vocabulary and the CLI the sequence length; the spec gives the layers.
  const spec: ModelSpec = { ...base.data, input: { kind: 'tokens', vocabSize: tokenizer.vocabSize, seqLen: o.maxLength, padId: 0 } };
  const encode = { maxLength: o.maxLength };
  const all = textClassificationDataset(tokenizer, examples.map((e) => e.text), examples.map((e) => index(e, o.data)), encode);
  let trainSet: TensorDataset;
  let validSet: TensorDataset;
  let validName: string;
  if (o.valid) {
    const v = await readExamples(o.valid);
    trainSet = all;
    validSet = textClassificationDataset(tokenizer, v.map((e) => e.text), v.map((e) => index(e, o.valid!)), encode);
    validName = basename(o.valid);
  } else {
    [trainSet, validSet] = split(all, 0.1, o.seed);
    validName = `10% of ${basename(o.data)} (seed ${o.seed})`;
  }
  const model = Model.create(spec, { seed: o.seed, source: o.spec });
  const result = await new Trainer(model, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    schedule: { kind: 'cosine', warmupSteps: 0 },
    clipNorm: 1,
    seed: o.seed,
    earlyStopping: { patience: o.patience },
    ...(o.threads ? { threads: o.threads } : {}),
  }).fit(trainSet, validSet, {
    onEpoch: (l) => void process.stderr.write(`epoch ${l.epoch}: loss ${l.loss.toFixed(4)}, validation accuracy ${l.validation?.toFixed(4)}, ${Math.round(l.samplesPerSecond)} samples/s\n`),
  });
  const name = basename(o.out);
  await shipModel({
    model,
    dir: o.out,
    tokenizer,
    card: {
      name,
      version: '1.0.0',
      task: 'text-classification',
      licence: o.licence,
      data: [{ name: basename(o.data), source: o.data, licence: o.dataLicence, rows: trainSet.rows }],
      metrics: [{ name: 'accuracy', value: result.bestValidation ?? 0, split: 'validation', dataset: validName }],
      preprocessing: { maxLength: o.maxLength },
    },
  });
  process.stdout.write(`shipped ${o.out} (best epoch ${result.bestEpoch}, validation accuracy ${result.bestValidation?.toFixed(4)})\n`);
}

export function register(program: Command): void {
  const ml = program.command('ml').description('Deep-learning models: list the registry, train a text classifier, classify texts');

  ml.command('models')
    .description('List the models under models/ with their cards')
    .option('--dir <path>', 'models directory', 'models')
    .option('--json', 'print JSON')
    .action(async (o: { dir: string; json?: boolean }) => {
      const { models, problems } = await listModels(o.dir);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ models: models.map((m) => ({ dir: m.dir, ...m.card, spec: undefined })), problems }, null, 2)}\n`);
        return;
      }
      for (const { card } of models) {
        const metrics = card.metrics.map((m) => `${m.name} ${m.value.toFixed(3)} (${m.split})`).join(', ');
        process.stdout.write(`${card.name}@${card.version}  ${card.task}  ${card.date}  ${card.code.gitSha.slice(0, 7)}  ${metrics}\n`);
      }
      for (const p of problems) process.stderr.write(`invalid: ${p}\n`);
      if (models.length === 0 && problems.length === 0) process.stdout.write(`no models in ${o.dir}\n`);
    });

  ml.command('train')
    .description('Train a text classifier from JSONL ({"text","label"} per line) and ship it (needs the libtorch addon: make native)')
    .requiredOption('--spec <file>', 'model spec JSON (task classification; input vocabSize/seqLen are set from the tokenizer and --max-length)')
    .requiredOption('--data <file>', 'training JSONL')
    .option('--valid <file>', 'validation JSONL (default: 10% of --data)')
    .requiredOption('--out <dir>', 'model directory to write, e.g. models/my-classifier')
    .option('--epochs <n>', 'epochs', int('--epochs'), 10)
    .option('--batch-size <n>', 'batch size', int('--batch-size'), 32)
    .option('--lr <x>', 'peak learning rate (cosine schedule, AdamW)', Number, 2e-3)
    .option('--max-length <n>', 'tokens per text', int('--max-length'), 256)
    .option('--tokenizer <kind>', 'bpe or char', 'bpe')
    .option('--vocab-size <n>', 'tokenizer vocabulary size', int('--vocab-size'))
    .option('--threads <n>', 'torch threads (default: all cores)', int('--threads'))
    .option('--seed <n>', 'seed for weights, shuffling and the validation split', int('--seed'), 1)
    .option('--patience <n>', 'early-stopping patience in epochs', int('--patience'), 3)
    .requiredOption('--licence <id>', 'licence of the trained weights (SPDX id)')
    .requiredOption('--data-licence <id>', 'licence of the training data')
    .action(async (o: TrainOptions) => {
      if (o.tokenizer !== 'bpe' && o.tokenizer !== 'char') throw new InputError('--tokenizer', `must be bpe or char, got ${String(o.tokenizer)}`);
      await train(o);
    });

  ml.command('classify')
    .description('Classify texts with a shipped text-classification model (onnxruntime; no native build needed)')
    .argument('<model>', 'model name under models/ or a directory')
    .argument('[texts...]', 'texts (default: one per line on stdin)')
    .option('--json', 'print JSON lines with all scores')
    .action(async (modelRef: string, texts: string[], o: { json?: boolean }) => {
      let inputs = texts;
      if (inputs.length === 0) {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        inputs = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.trim() !== '');
      }
      const classify = await pipeline('text-classification', modelRef);
      for (const [i, r] of (await classify(inputs)).entries()) {
        if (o.json) process.stdout.write(`${JSON.stringify({ text: inputs[i], label: r.label, score: r.score, scores: r.scores })}\n`);
        else process.stdout.write(`${r.label}\t${r.score.toFixed(3)}\t${JSON.stringify(inputs[i]).slice(0, 120)}\n`);
      }
    });
}
