import { fileURLToPath } from 'node:url';
/**
 * The model registry: every shipped model is a directory `models/<name>/` holding
 *   model.onnx      the graph served by onnxruntime-node
 *   card.json       the model card (ModelCard below): task, data and licences, date, metrics with
 *                   their split, the spec, the code version (git sha), preprocessing
 *   tokenizer.json  for text models (src/ml/text/tokenizer.ts)
 * Cards are validated on load; a bad card names its file and field.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { ModelSpec, normaliseSpec } from './spec.js';

export const PIPELINE_TASKS = ['text-classification', 'token-classification', 'feature-classification'] as const;
export type PipelineTask = (typeof PIPELINE_TASKS)[number];

export const ModelCard = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    version: z.string().min(1),
    task: z.enum(PIPELINE_TASKS),
    description: z.string().default(''),
    /** Licence of the model weights. */
    licence: z.string().min(1),
    /** ISO date (YYYY-MM-DD) the model was trained. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    data: z
      .array(
        z.object({
          name: z.string().min(1),
          source: z.string().min(1),
          licence: z.string().min(1),
          rows: z.number().int().min(0).optional(),
          notes: z.string().optional(),
        }),
      )
      .min(1, 'list the training data and its licence'),
    metrics: z.array(
      z.object({
        name: z.string().min(1),
        value: z.number(),
        /** Which split the figure was measured on: 'test', 'validation', 'cv-5', ... */
        split: z.string().min(1),
        dataset: z.string().optional(),
      }),
    ),
    spec: ModelSpec,
    code: z.object({ gitSha: z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit sha'), dirty: z.boolean().default(false) }),
    preprocessing: z
      .object({
        tokenizer: z.string().default('tokenizer.json'),
        maxLength: z.number().int().positive(),
        addCls: z.boolean().default(false),
      })
      .optional(),
    files: z.object({ onnx: z.string().default('model.onnx') }).default({ onnx: 'model.onnx' }),
  })
  .superRefine((card, ctx) => {
    try {
      normaliseSpec(card.spec, 'spec');
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['spec'], message: (err as Error).message });
    }
    if (card.task === 'token-classification' && card.spec.task !== 'tagging') {
      ctx.addIssue({ code: 'custom', path: ['task'], message: 'token-classification needs a tagging spec' });
    }
    if (card.spec.input.kind === 'tokens' && !card.preprocessing) {
      ctx.addIssue({ code: 'custom', path: ['preprocessing'], message: 'text models must say how text is tokenised' });
    }
  });
export type ModelCard = z.output<typeof ModelCard>;
export type ModelCardInput = z.input<typeof ModelCard>;

/** The models shipped with the package (src/ml → ../../models, and the same from dist/ml), so
 * commands find them from any working directory; THREATMINER_MODELS overrides it. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));

export async function readModelCard(dir: string): Promise<ModelCard> {
  const path = join(dir, 'card.json');
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new InputError(path, 'no model card here: is this a model directory (models/<name>/)?');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InputError(path, 'model card is not JSON');
  }
  const r = ModelCard.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(path, `${i?.path.join('.') || 'card'}: ${i?.message}`);
  }
  return r.data;
}

export async function writeModelCard(dir: string, card: ModelCardInput): Promise<ModelCard> {
  const parsed = ModelCard.safeParse(card);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new InputError(join(dir, 'card.json'), `${i?.path.join('.') || 'card'}: ${i?.message}`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'card.json'), `${JSON.stringify(parsed.data, null, 2)}\n`);
  return parsed.data;
}

/** Resolves a model reference: a directory path, or a name under the models directory. */
export function resolveModelDir(ref: string, modelsDir = process.env.THREATMINER_MODELS ?? DEFAULT_MODELS_DIR): string {
  return ref.includes('/') || ref.startsWith('.') ? resolve(ref) : resolve(modelsDir, ref);
}

/** All valid models under `modelsDir`, plus the problems of the invalid ones. */
export async function listModels(modelsDir = DEFAULT_MODELS_DIR): Promise<{ models: Array<{ dir: string; card: ModelCard }>; problems: string[] }> {
  const models: Array<{ dir: string; card: ModelCard }> = [];
  const problems: string[] = [];
  let entries: string[] = [];
  try {
    entries = await readdir(modelsDir);
  } catch {
    return { models, problems };
  }
  for (const name of entries.sort()) {
    const dir = join(modelsDir, name);
    if (!(await stat(dir)).isDirectory()) continue;
    // Classical exploit labellers (TF-IDF + SVM, not ONNX) carry their own card, classical.json,
    // read by src/analyse/exploits/classical/persist.ts; they are not registry models.
    if (!existsSync(join(dir, 'card.json')) && existsSync(join(dir, 'classical.json'))) continue;
    try {
      models.push({ dir, card: await readModelCard(dir) });
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { models, problems };
}

/** The current commit, for `code.gitSha` (dirty when the work tree has uncommitted changes). */
export function codeVersion(cwd = process.cwd()): { gitSha: string; dirty: boolean } {
  try {
    const gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' });
    return { gitSha, dirty: status.trim().length > 0 };
  } catch {
    return { gitSha: '0000000', dirty: true };
  }
}
