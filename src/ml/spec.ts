/**
 * The declarative model spec: a versioned list of layers that the libtorch addon builds into torch
 * modules and the ONNX exporter writes as a graph. `normaliseSpec` validates it, names every layer
 * and infers each layer's input width, so both back ends get the same, checked description.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';

export const SPEC_VERSION = 1;

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'letters, digits and _ only, starting with a letter')
  .optional();
const pos = z.number().int().positive();

export const Activation = z.enum(['relu', 'gelu', 'tanh', 'sigmoid', 'identity']);

export const LayerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('embedding'), name, dim: pos }).strict(),
  z.object({ type: z.literal('position'), name }).strict(),
  z
    .object({ type: z.literal('conv1d'), name, filters: pos, kernel: pos, dilation: pos.default(1) })
    .strict(),
  z.object({ type: z.literal('lstm'), name, hidden: pos, bidirectional: z.boolean().default(false) }).strict(),
  z.object({ type: z.literal('gru'), name, hidden: pos, bidirectional: z.boolean().default(false) }).strict(),
  z
    .object({
      type: z.literal('transformer'),
      name,
      heads: pos,
      ff: pos,
      dropout: z.number().min(0).max(0.9).default(0.1),
      activation: z.enum(['relu', 'gelu']).default('gelu'),
    })
    .strict(),
  z.object({ type: z.literal('attention_pool'), name, heads: pos, hidden: pos }).strict(),
  z.object({ type: z.literal('linear'), name, units: pos }).strict(),
  z.object({ type: z.literal('layer_norm'), name }).strict(),
  z.object({ type: z.literal('dropout'), name, p: z.number().min(0).max(0.9).default(0.1) }).strict(),
  z.object({ type: z.literal('activation'), name, fn: Activation }).strict(),
  z.object({ type: z.literal('pool'), name, op: z.enum(['max', 'mean']) }).strict(),
  z.object({ type: z.literal('crf'), name }).strict(),
]);
export type LayerSpec = z.input<typeof LayerSpec>;
export type LayerType = LayerSpec['type'];

export const InputSpec = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('tokens'),
      vocabSize: z.number().int().min(2),
      seqLen: pos,
      padId: z.number().int().min(0).default(0),
    })
    .strict(),
  z.object({ kind: z.literal('features'), dim: pos }).strict(),
]);

export const ModelSpec = z
  .object({
    version: z.literal(SPEC_VERSION),
    task: z.enum(['classification', 'multilabel', 'tagging']),
    labels: z.array(z.string().min(1)).min(1),
    input: InputSpec,
    layers: z.array(LayerSpec).min(1),
  })
  .strict();
export type ModelSpec = z.input<typeof ModelSpec>;

type Parsed = z.output<typeof ModelSpec>;
type ParsedLayer = z.output<typeof LayerSpec>;

/** A layer after normalisation: named, with its input width and rank known. */
export type NormalLayer = ParsedLayer & { name: string; inDim: number; outDim: number; seqIn: boolean };
export interface NormalSpec extends Omit<Parsed, 'layers'> {
  layers: NormalLayer[];
  /** Output width of the last layer (= number of labels). */
  outDim: number;
  /** Whether the model ends with per-token outputs [B,T,K] rather than [B,K]. */
  perToken: boolean;
  /** Whether some layer produces attention weights (attention_pool). */
  hasAttention: boolean;
}

/**
 * Validates a spec and infers shapes. Throws InputError naming `source` and, for shape problems,
 * the offending layer ("layer 3 'conv' (conv1d): ...").
 */
export function normaliseSpec(raw: unknown, source = 'model spec'): NormalSpec {
  const parsed = ModelSpec.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    let where = path.join('.');
    if (path[0] === 'layers' && typeof path[1] === 'number') {
      const layer = (raw as { layers?: Array<{ type?: unknown; name?: unknown }> }).layers?.[path[1]];
      where = `layer ${path[1]}${layer?.name ? ` '${String(layer.name)}'` : ''} (${String(layer?.type ?? '?')})${path.length > 2 ? `, field ${path.slice(2).join('.')}` : ''}`;
    }
    throw new InputError(source, `${where || 'spec'}: ${issue?.message ?? 'invalid'}`);
  }
  const spec = parsed.data;
  const layers: NormalLayer[] = [];
  const seen = new Set<string>();
  // Rank: a sequence [B,T,C] or a vector [B,C]. Token input starts as ids [B,T] (width 0).
  let seq = spec.input.kind === 'tokens';
  let dim = spec.input.kind === 'tokens' ? 0 : spec.input.dim;
  let ids = spec.input.kind === 'tokens';
  let hasAttention = false;
  spec.layers.forEach((layer, i) => {
    const layerName = layer.name ?? `${layer.type}${i}`;
    const fail = (problem: string): never => {
      throw new InputError(source, `layer ${i} '${layerName}' (${layer.type}): ${problem}`);
    };
    if (seen.has(layerName)) fail('duplicate layer name');
    seen.add(layerName);
    if (ids && layer.type !== 'embedding') fail('token input must go through an embedding layer first');
    if (!ids && layer.type === 'embedding') fail('an embedding layer must be the first layer of a token model');
    const needSeq = () => {
      if (!seq) fail(`needs a sequence [batch, time, channels] but gets a vector of width ${dim}`);
    };
    const inDim = dim;
    const seqIn = seq;
    switch (layer.type) {
      case 'embedding':
        ids = false;
        dim = layer.dim;
        break;
      case 'position':
        needSeq();
        break;
      case 'conv1d':
        needSeq();
        if (layer.kernel % 2 === 0) fail(`kernel ${layer.kernel} must be odd (convolutions keep the sequence length)`);
        dim = layer.filters;
        break;
      case 'lstm':
      case 'gru':
        needSeq();
        dim = layer.hidden * (layer.bidirectional ? 2 : 1);
        break;
      case 'transformer':
        needSeq();
        if (dim % layer.heads !== 0) fail(`width ${dim} is not divisible by ${layer.heads} heads`);
        break;
      case 'attention_pool':
        needSeq();
        if (spec.task === 'tagging') fail('tagging models keep one output per token; pooling would remove it');
        hasAttention = true;
        seq = false;
        dim = dim * layer.heads;
        break;
      case 'pool':
        needSeq();
        if (spec.task === 'tagging') fail('tagging models keep one output per token; pooling would remove it');
        seq = false;
        break;
      case 'linear':
        dim = layer.units;
        break;
      case 'crf':
        if (spec.task !== 'tagging') fail('a CRF head needs task "tagging"');
        if (i !== spec.layers.length - 1) fail('the CRF head must be the last layer');
        needSeq();
        break;
      default:
        break;
    }
    layers.push({ ...layer, name: layerName, inDim, outDim: dim, seqIn });
  });
  const last = layers[layers.length - 1]!;
  const fail = (problem: string): never => {
    throw new InputError(source, `layer ${layers.length - 1} '${last.name}' (${last.type}): ${problem}`);
  };
  if (ids) fail('the model never embeds its token input');
  if (dim !== spec.labels.length) fail(`outputs width ${dim} but the spec has ${spec.labels.length} labels`);
  if (spec.task === 'tagging' && !seq) fail('tagging needs per-token outputs [batch, time, labels]');
  if (spec.task !== 'tagging' && seq) fail('classification needs one output per sample: add a pool or attention_pool layer');
  if (spec.task === 'tagging' && spec.input.kind !== 'tokens') fail('tagging needs token input');
  return { ...spec, layers, outDim: dim, perToken: seq, hasAttention };
}

/** Parameter names belonging to a layer (they are prefixed `<layer>.`). */
export function layerOfParameter(param: string): string {
  const dot = param.indexOf('.');
  return dot < 0 ? param : param.slice(0, dot);
}
