/**
 * Writes a model (normalised spec + weights) as an ONNX graph, op for op the same computation as
 * native/net.cc. Dropout is the identity at inference. A CRF head exports its emissions and its
 * transition scores as outputs; Viterbi decoding runs in TypeScript (src/ml/crf.ts).
 * One algebraic rewrite: an embedding feeding a conv1d is folded into lookup tables (fold.ts), and
 * such a graph then runs over the batch in chunks (chunk.ts). docs/ml-engine.md, "ONNX export".
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { NormalLayer, NormalSpec } from '../spec.js';
import type { Tensor } from '../safetensors.js';
import { GraphBuilder, encodeModel, type ValueSpec } from './graph.js';
import { foldTables, foldTarget, nextEffective } from './fold.js';
import { chunked, chunkRowsFor } from './chunk.js';

const MASKED_OUT = -1e9;

/**
 * Sequences flow as [N,T,C] ('ntc'), except around convolutions, where they stay channels-first as
 * [N,C,1,T] ('nc1t'): ONNX Runtime then runs Conv, Relu and pooling in its blocked NCHWc layout
 * (2-D kernels only, hence the unit height) without transposing [N,T,C] tensors around every conv.
 */
type Layout = 'ntc' | 'nc1t';

interface Flow {
  x: string;
  layout: Layout;
  /** float [N,T] 1/0 mask, [N,T,1] column, int32 lengths — token models only */
  maskF?: string;
  maskCol?: string;
  lengths?: string;
  attention?: string;
  /** Padded positions of x hold exactly 0 (so pooling needs no mask). */
  padZero?: boolean;
  /** x >= 0 everywhere (after a relu), so a max over a row with padding zeros is the masked max. */
  nonNegative?: boolean;
  /** Padded positions of x hold about -1e9 (a conv whose relu is the next layer; see `conv1d`). */
  padNegative?: boolean;
  /** x still holds token ids: this embedding layer is folded into the conv1d that follows it. */
  foldFrom?: string;
  /** A relu is owed: a max pool follows, and max(relu(x)) = relu(max(x)) on far fewer values. */
  pendingRelu?: boolean;
}

export interface ExportOptions {
  /** Fold an embedding followed by a conv1d into per-offset lookup tables (default true). */
  fold?: boolean;
  /** Largest table set to fold, in bytes (default FOLD_TABLE_BYTES, 16 MiB); larger ones keep Conv. */
  foldMaxBytes?: number;
  /**
   * Rows per Loop iteration for a graph with a folded conv (default: about 1 MiB per intermediate,
   * chunk.ts); 0 runs the whole batch at once. Graphs without a fold never loop.
   */
  chunkRows?: number;
}

function transpose2d(t: Tensor): Float32Array {
  const [r, c] = t.shape as [number, number];
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return out;
}

/** Rows [from,to) of a row-major matrix. */
function rows(t: Tensor, from: number, to: number): Float32Array {
  const width = t.data.length / t.shape[0]!;
  return t.data.subarray(from * width, to * width);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether the layer after `index` (skipping identities at inference) is a relu. */
function followedByRelu(spec: NormalSpec, index: number): boolean {
  const next = nextEffective(spec, index)?.layer;
  return next?.type === 'activation' && next.fn === 'relu';
}

class Exporter {
  constructor(
    private readonly params: Record<string, Tensor>,
    readonly g: GraphBuilder,
    private readonly options: ExportOptions,
  ) {}

  param(name: string): Tensor {
    const t = this.params[name];
    if (!t) throw new UserError(`ONNX export: missing parameter '${name}'`);
    return t;
  }

  init(name: string, t?: Tensor): string {
    const p = t ?? this.param(name);
    return this.g.float(name, p.shape, p.data);
  }

  /** x @ W^T + b for a torch Linear stored as `<prefix>.weight` [out,in] and `<prefix>.bias`. */
  linear(x: string, prefix: string, bias = true): string {
    const w = this.param(`${prefix}.weight`);
    const wt = this.g.float(`${prefix}.weight_t`, [w.shape[1]!, w.shape[0]!], transpose2d(w));
    const y = this.g.op('MatMul', [x, wt]);
    return bias ? this.g.op('Add', [y, this.init(`${prefix}.bias`)]) : y;
  }

  /** x as [N,T,C] (converting from channels-first when needed). */
  ntc(f: Flow): string {
    if (f.layout === 'nc1t') {
      f.x = this.g.op('Transpose', [this.g.op('Squeeze', [f.x, this.g.constInt([2])])], { perm: [0, 2, 1] });
      f.layout = 'ntc';
    }
    return f.x;
  }

  /** x as [N,C,1,T]. */
  nc1t(f: Flow): string {
    if (f.layout === 'ntc') {
      // [N,T,C] → [N,1,T,C] → NHWC-to-NCHW transpose, a pattern ORT folds into its blocked-layout
      // reorder (ReorderInput with channels_last) instead of running a separate Transpose.
      f.x = this.g.op('Transpose', [this.g.op('Unsqueeze', [f.x, this.g.constInt([1])])], { perm: [0, 3, 1, 2] });
      f.layout = 'nc1t';
    }
    return f.x;
  }

  /** The mask (1 real, 0 padding) shaped to broadcast over x in its layout. */
  maskFor(f: Flow): string {
    return f.layout === 'nc1t' ? this.g.op('Unsqueeze', [f.maskF!, this.g.constInt([1, 2])]) : f.maskCol!;
  }

  layerNorm(x: string, prefix: string): string {
    return this.g.op('LayerNormalization', [x, this.init(`${prefix}.weight`), this.init(`${prefix}.bias`)], {
      axis: -1,
      epsilon: { float: 1e-5 },
    });
  }

  activation(x: string, fn: string): string {
    const g = this.g;
    switch (fn) {
      case 'relu':
        return g.op('Relu', [x]);
      case 'tanh':
        return g.op('Tanh', [x]);
      case 'sigmoid':
        return g.op('Sigmoid', [x]);
      case 'identity':
        return x;
      case 'gelu': {
        // 0.5 x (1 + erf(x / sqrt 2)): the exact GELU torch uses by default (opset 17 has no Gelu op).
        const erf = g.op('Erf', [g.op('Div', [x, g.constFloat([Math.SQRT2])])]);
        return g.op('Mul', [g.op('Mul', [x, g.constFloat([0.5])]), g.op('Add', [erf, g.constFloat([1])])]);
      }
      default:
        throw new UserError(`ONNX export: unknown activation '${fn}'`);
    }
  }

  /** ONNX wants gate blocks in a different order than torch; `order` lists torch block indices. */
  gates(t: Tensor, hidden: number, order: number[]): Float32Array {
    return concat(order.map((k) => rows(t, k * hidden, (k + 1) * hidden)));
  }

  rnn(f: Flow, layer: NormalLayer & { type: 'lstm' | 'gru'; hidden: number; bidirectional?: boolean }): string {
    const g = this.g;
    const H = layer.hidden;
    const lstm = layer.type === 'lstm';
    // torch LSTM gates i,f,g,o → ONNX i,o,f,c; torch GRU r,z,n → ONNX z,r,h.
    const order = lstm ? [0, 3, 1, 2] : [1, 0, 2];
    const nGates = order.length;
    const dirs = layer.bidirectional ? ['', '_reverse'] : [''];
    const p = `${layer.name}.rnn`;
    const W = concat(dirs.map((d) => this.gates(this.param(`${p}.weight_ih_l0${d}`), H, order)));
    const R = concat(dirs.map((d) => this.gates(this.param(`${p}.weight_hh_l0${d}`), H, order)));
    const B = concat(
      dirs.flatMap((d) => [this.gates(this.param(`${p}.bias_ih_l0${d}`), H, order), this.gates(this.param(`${p}.bias_hh_l0${d}`), H, order)]),
    );
    const D = dirs.length;
    const w = g.float(`${p}.W`, [D, nGates * H, layer.inDim], W);
    const r = g.float(`${p}.R`, [D, nGates * H, H], R);
    const b = g.float(`${p}.B`, [D, 2 * nGates * H], B);
    const xt = g.op('Transpose', [f.x], { perm: [1, 0, 2] });
    const attrs: Record<string, number | string> = { hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' };
    if (!lstm) attrs.linear_before_reset = 1;
    const y = g.op(lstm ? 'LSTM' : 'GRU', f.lengths ? [xt, w, r, b, f.lengths] : [xt, w, r, b], attrs, lstm ? 3 : 2); // Y [T,D,N,H]
    const ybt = g.op('Transpose', [y], { perm: [2, 0, 1, 3] });
    return g.op('Reshape', [ybt, g.constInt([0, 0, D * H])]);
  }

  transformer(f: Flow, layer: NormalLayer & { type: 'transformer'; heads: number; activation?: string }): string {
    const g = this.g;
    const Dm = layer.inDim;
    const H = layer.heads;
    const dh = Dm / H;
    const p = layer.name;
    const proj = g.op('Reshape', [this.linear(f.x, `${p}.qkv`), g.constInt([0, 0, 3, H, dh])]);
    const qkv = g.op('Transpose', [proj], { perm: [2, 0, 3, 1, 4] }); // [3,N,H,T,dh]
    const pick = (i: number) => g.op('Gather', [qkv, g.constInt([i], 'int64', [])], { axis: 0 });
    const q = pick(0);
    const k = pick(1);
    const v = pick(2);
    let scores = g.op('Div', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.constFloat([Math.sqrt(dh)])]);
    if (f.maskF) {
      const bias = g.op('Mul', [g.op('Sub', [g.constFloat([1]), f.maskF]), g.constFloat([MASKED_OUT])]);
      scores = g.op('Add', [scores, g.op('Unsqueeze', [bias, g.constInt([1, 2])])]);
    }
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), g.constInt([0, 0, Dm])]);
    const x1 = this.layerNorm(g.op('Add', [f.x, this.linear(ctx, `${p}.out`)]), `${p}.ln1`);
    const ff = this.linear(this.activation(this.linear(x1, `${p}.ff1`), layer.activation ?? 'gelu'), `${p}.ff2`);
    return this.layerNorm(g.op('Add', [x1, ff]), `${p}.ln2`);
  }

  /**
   * conv1d(embedding(ids)) as table lookups (fold.ts): the ids, padded at both ends with the
   * "outside" id V (a zero row in every table), are read at each kernel offset j, shifted into
   * block j of the stacked tables, gathered and summed. Torch's conv sees the padding token's
   * embedding row at padded positions inside the sequence, and so do the tables (row padId).
   * Output [N,T,F] ('ntc'), masked like the Conv path: a -1e9 centre row for padding when a relu
   * follows, a Mul by the mask otherwise.
   */
  foldedConv(f: Flow, layer: NormalLayer & { type: 'conv1d' }, spec: NormalSpec, index: number): void {
    const g = this.g;
    if (spec.input.kind !== 'tokens' || !f.foldFrom || !f.maskF) throw new UserError(`ONNX export: layer '${layer.name}' cannot be folded`);
    const { vocabSize: V, seqLen: T, padId } = spec.input;
    const w = this.param(`${layer.name}.weight`);
    const relu = followedByRelu(spec, index);
    const tables = foldTables(this.param(`${f.foldFrom}.weight`), w, this.param(`${layer.name}.bias`), padId, relu ? MASKED_OUT : 0);
    const table = g.float(`${layer.name}.folded`, [layer.kernel * (V + 1), layer.filters], tables);
    const pad = layer.dilation * Math.floor(layer.kernel / 2);
    const ids = g.op('Pad', [f.x, g.constInt([0, pad, 0, pad]), g.constInt([V], 'int32', [])]);
    let y = '';
    for (let j = 0; j < layer.kernel; j++) {
      const at = j * layer.dilation;
      const window = g.op('Slice', [ids, g.constInt([at]), g.constInt([at + T]), g.constInt([1])]);
      const rows = j === 0 ? window : g.op('Add', [window, g.constInt([j * (V + 1)], 'int32', [])]);
      const part = g.op('Gather', [table, rows], { axis: 0 });
      // A chain of Adds: measured faster in ORT than one variadic Sum or a [N,T,K,F] ReduceSum.
      y = y ? g.op('Add', [y, part]) : part;
    }
    f.foldFrom = undefined;
    f.layout = 'ntc';
    if (relu) {
      f.x = y;
      f.padNegative = true;
    } else {
      f.x = g.op('Mul', [y, f.maskCol!]);
      f.padZero = true;
    }
  }

  layer(f: Flow, layer: NormalLayer, spec: NormalSpec, index: number): void {
    const g = this.g;
    const p = layer.name;
    // Layers other than conv, pooling and elementwise ones work on [N,T,C].
    if (!['conv1d', 'pool', 'activation', 'dropout'].includes(layer.type)) this.ntc(f);
    if (!['pool', 'activation', 'dropout'].includes(layer.type)) {
      f.padZero = false;
      f.nonNegative = false;
      f.padNegative = false;
    }
    switch (layer.type) {
      case 'embedding':
        if (this.options.fold !== false && foldTarget(spec, index, this.options.foldMaxBytes)) {
          f.foldFrom = p;
          return;
        }
        f.x = g.op('Gather', [this.init(`${p}.weight`), f.x], { axis: 0 });
        return;
      case 'position':
        // The exported graph has a fixed sequence length, so the whole table broadcasts over the batch.
        f.x = g.op('Add', [f.x, this.init(`${p}.weight`)]);
        return;
      case 'conv1d': {
        if (f.foldFrom) {
          this.foldedConv(f, layer, spec, index);
          return;
        }
        const w = this.param(`${p}.weight`);
        const pad = layer.dilation * Math.floor(layer.kernel / 2);
        const x = this.nc1t(f);
        const weight = this.g.float(`${p}.weight`, [w.shape[0]!, w.shape[1]!, 1, w.shape[2]!], w.data);
        let y = g.op('Conv', [x, weight, this.init(`${p}.bias`)], {
          kernel_shape: [1, layer.kernel],
          pads: [0, pad, 0, pad],
          dilations: [1, layer.dilation],
          strides: [1, 1],
        });
        f.padZero = false;
        f.nonNegative = false;
        f.padNegative = false;
        if (f.maskF) {
          if (followedByRelu(spec, index)) {
            // relu(conv · mask) = relu(conv - 1e9 · padding): the padding term is a 1×1 conv of the
            // padding indicator, which ORT adds inside the blocked conv kernel (its fused Sum input);
            // a Mul by the mask here would force the output out of the blocked layout.
            const isPad = g.op('Unsqueeze', [g.op('Sub', [g.constFloat([1]), f.maskF]), g.constInt([1, 2])]);
            const filters = w.shape[0]!;
            const big = g.float(`${p}.pad_bias`, [filters, 1, 1, 1], new Float32Array(filters).fill(MASKED_OUT));
            y = g.op('Add', [y, g.op('Conv', [isPad, big], { kernel_shape: [1, 1] })]);
            f.padNegative = true;
          } else {
            y = g.op('Mul', [y, this.maskFor({ ...f, layout: 'nc1t' })]);
            f.padZero = true;
          }
        }
        f.x = y;
        return;
      }
      case 'lstm':
      case 'gru':
        f.x = this.rnn(f, layer);
        return;
      case 'transformer':
        f.x = this.transformer(f, layer);
        return;
      case 'attention_pool': {
        let sc = this.linear(g.op('Tanh', [this.linear(f.x, `${p}.proj`)]), `${p}.score`, false); // [N,T,H]
        if (f.maskCol) {
          sc = g.op('Add', [sc, g.op('Mul', [g.op('Sub', [g.constFloat([1]), f.maskCol]), g.constFloat([MASKED_OUT])])]);
        }
        const a = g.op('Transpose', [g.op('Softmax', [sc], { axis: 1 })], { perm: [0, 2, 1] }); // [N,H,T]
        f.attention = a;
        f.x = g.op('Flatten', [g.op('MatMul', [a, f.x])], { axis: 1 });
        return;
      }
      case 'linear':
        f.x = this.linear(f.x, `${p}.linear`);
        return;
      case 'layer_norm':
        f.x = this.layerNorm(f.x, `${p}.norm`);
        return;
      case 'dropout':
        return;
      case 'activation':
        if (layer.fn === 'relu' && f.layout === 'ntc' && f.padNegative) {
          const next = nextEffective(spec, index)?.layer;
          if (next?.type === 'pool' && next.op === 'max') {
            // Padding is about -1e9 and stays below every real value, so relu after the max pool
            // gives the same masked max (see 'pool'), on [N,C] instead of [N,T,C].
            f.pendingRelu = true;
            f.padZero = true;
            f.nonNegative = true;
            f.padNegative = false;
            return;
          }
        }
        f.x = this.activation(f.x, layer.fn);
        if (layer.fn === 'relu') {
          // relu(-1e9) = 0 = relu(0): either way padding is now exactly zero.
          f.padZero = f.padZero || f.padNegative;
          f.nonNegative = true;
        } else if (layer.fn !== 'identity') {
          f.padZero = f.padZero && layer.fn !== 'sigmoid'; // tanh(0) = gelu(0) = 0, sigmoid(0) = 0.5
          f.nonNegative = layer.fn === 'sigmoid';
        }
        if (layer.fn !== 'identity') f.padNegative = false;
        return;
      case 'pool': {
        const time = f.layout === 'nc1t' ? [2, 3] : [1];
        const reduce = (op: string, x: string) => g.op(op, [x, g.constInt(time)], { keepdims: 0 });
        if (layer.op === 'max') {
          if (!f.maskF) {
            f.x = g.op('ReduceMax', [f.x], { axes: time, keepdims: 0 });
          } else if (f.padZero && f.nonNegative) {
            // Padding is 0 and nothing is below 0, so the plain max is the masked max, except on a
            // row with no real token, where the masked max (as in torch) is 0 + (-1e9).
            let pooled = f.layout === 'nc1t' ? g.op('Flatten', [g.op('GlobalMaxPool', [f.x])], { axis: 1 }) : g.op('ReduceMax', [f.x], { axes: time, keepdims: 0 });
            if (f.pendingRelu) pooled = g.op('Relu', [pooled]);
            f.pendingRelu = false;
            const empty = g.op('Cast', [g.op('Equal', [g.op('ReduceSum', [f.maskF, g.constInt([1])], { keepdims: 1 }), g.constFloat([0])])], { to: 1 });
            f.x = g.op('Add', [pooled, g.op('Mul', [empty, g.constFloat([MASKED_OUT])])]);
          } else {
            const bias = g.op('Mul', [g.op('Sub', [g.constFloat([1]), this.maskFor(f)]), g.constFloat([MASKED_OUT])]);
            f.x = g.op('ReduceMax', [g.op('Add', [f.x, bias])], { axes: time, keepdims: 0 });
          }
        } else if (f.maskF) {
          const sum = reduce('ReduceSum', f.padZero ? f.x : g.op('Mul', [f.x, this.maskFor(f)]));
          const count = g.op('Max', [g.op('ReduceSum', [f.maskF, g.constInt([1])], { keepdims: 1 }), g.constFloat([1])]);
          f.x = g.op('Div', [sum, count]);
        } else {
          f.x = g.op('ReduceMean', [f.x], { axes: time, keepdims: 0 });
        }
        f.layout = 'ntc';
        f.padZero = false;
        f.nonNegative = false;
        return;
      }
      case 'crf':
        void spec;
        return;
    }
  }
}

export interface ExportResult {
  bytes: Uint8Array;
  inputName: string;
  outputNames: string[];
}

/**
 * Builds the ONNX model. Inputs: `input_ids` int32 [batch, seqLen] or `features` float [batch, dim].
 * Outputs: `logits` [batch, labels] (or `emissions` [batch, seqLen, labels] for tagging), plus
 * `attention` [batch, heads, seqLen] with an attention_pool layer, and `transitions`,
 * `start_transitions`, `end_transitions` with a CRF head.
 */
export function exportOnnx(spec: NormalSpec, params: Record<string, Tensor>, metadata: Record<string, string> = {}, options: ExportOptions = {}): ExportResult {
  const inputs: ValueSpec[] = [];
  const f: Flow = { x: '', layout: 'ntc' };
  const folded = options.fold === false ? [] : spec.layers.map((_, i) => foldTarget(spec, i, options.foldMaxBytes)).filter((l) => l !== undefined);
  const outer = new GraphBuilder(folded.length > 0 ? 'o_' : '');
  let g = outer;
  let chunk: ReturnType<typeof chunked> | undefined;
  let seqLen = 0;
  if (spec.input.kind === 'tokens') {
    seqLen = spec.input.seqLen;
    inputs.push({ name: 'input_ids', type: 'int32', shape: ['batch', seqLen] });
    f.x = 'input_ids';
    const rows = options.chunkRows ?? chunkRowsFor(seqLen, Math.max(0, ...folded.map((l) => l.filters)));
    if (folded.length > 0 && rows > 0) {
      g = new GraphBuilder();
      chunk = chunked(outer, g, 'input_ids', seqLen, rows, spec.input.padId);
      f.x = chunk.ids;
    }
    const isPad = g.op('Equal', [f.x, g.constInt([spec.input.padId], 'int32', [])]);
    f.maskF = g.op('Cast', [g.op('Not', [isPad])], { to: 1 });
    f.maskCol = g.op('Unsqueeze', [f.maskF, g.constInt([-1])]);
    if (spec.layers.some((l) => l.type === 'lstm' || l.type === 'gru')) {
      // Only the RNNs read lengths; ORT would compute unused nodes on every run (and every chunk).
      const len = g.op('ReduceSum', [f.maskF, g.constInt([1])], { keepdims: 0 });
      f.lengths = g.op('Cast', [g.op('Max', [len, g.constFloat([1])])], { to: 6 });
    }
  } else {
    inputs.push({ name: 'features', type: 'float32', shape: ['batch', spec.input.dim] });
    f.x = 'features';
  }
  const ex = new Exporter(params, g, options);
  spec.layers.forEach((layer, i) => ex.layer(f, layer, spec, i));
  if (spec.perToken) ex.ntc(f);
  const K = spec.labels.length;
  // Per-sample outputs: shapes after the batch dimension.
  const perSample: Array<{ value: string; name: string; rest: number[] }> = [{ value: f.x, name: spec.perToken ? 'emissions' : 'logits', rest: spec.perToken ? [seqLen, K] : [K] }];
  if (f.attention) {
    const heads = [...spec.layers].reverse().find((l) => l.type === 'attention_pool');
    perSample.push({ value: f.attention, name: 'attention', rest: [heads && 'heads' in heads ? heads.heads : 1, seqLen] });
  }
  if (chunk) chunk.finish(perSample);
  else for (const o of perSample) g.named('Identity', [o.value], o.name);
  const outputs: ValueSpec[] = perSample.map((o) => ({ name: o.name, type: 'float32', shape: ['batch', ...o.rest] }));
  const crf = spec.layers.find((l) => l.type === 'crf');
  if (crf) {
    // Constant outputs, outside any chunk loop.
    const table = (name: string, output: string) => outer.named('Identity', [outer.float(name, ex.param(name).shape, ex.param(name).data)], output);
    table(`${crf.name}.transitions`, 'transitions');
    table(`${crf.name}.start`, 'start_transitions');
    table(`${crf.name}.end`, 'end_transitions');
    outputs.push({ name: 'transitions', type: 'float32', shape: [K, K] });
    outputs.push({ name: 'start_transitions', type: 'float32', shape: [K] });
    outputs.push({ name: 'end_transitions', type: 'float32', shape: [K] });
  }
  const bytes = encodeModel(outer, inputs, outputs, { ...metadata, labels: JSON.stringify(spec.labels), task: spec.task }, 'threatminer');
  return { bytes, inputName: inputs[0]!.name, outputNames: outputs.map((o) => o.name) };
}

export async function writeOnnx(
  path: string,
  spec: NormalSpec,
  params: Record<string, Tensor>,
  metadata: Record<string, string> = {},
  options: ExportOptions = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, exportOnnx(spec, params, metadata, options).bytes);
}
