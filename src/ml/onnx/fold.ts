/**
 * Embedding → conv1d folding for ONNX export. A 'same' convolution over embedded tokens is
 *   conv(emb(x))[t] = b + Σ_j W_j · E[x(t + j·d − pad)]   (W_j = weight[:, :, j], zero outside the sequence)
 * so with one table per kernel offset, P_j = E · W_jᵀ ([vocab, filters]), the convolution becomes
 * K row lookups and K−1 additions per position instead of vocab-independent K·dim·filters MACs.
 * The rewrite is exact up to float rounding (the tables are summed in double, then rounded once).
 */
import type { NormalLayer, NormalSpec } from '../spec.js';
import type { Tensor } from '../safetensors.js';

/**
 * Largest folded table set (K·(vocab+1)·filters floats). Lookups into it are random per token, so
 * it should stay cache-resident next to the activations: 16 MiB is half the 32 MiB L3 of the
 * benchmark machine. Larger vocabularies (BPE) keep the Conv path.
 */
export const FOLD_TABLE_BYTES = 16 * 2 ** 20;

/** The layer after `index`, skipping layers that are the identity at inference. */
export function nextEffective(spec: NormalSpec, index: number): { layer: NormalLayer; index: number } | undefined {
  for (let i = index + 1; i < spec.layers.length; i++) {
    const next = spec.layers[i]!;
    if (next.type === 'dropout' || (next.type === 'activation' && next.fn === 'identity')) continue;
    return { layer: next, index: i };
  }
  return undefined;
}

/** Bytes of the folded tables for a conv layer over a vocabulary of `vocab` ids (+1 row for "outside"). */
export function foldBytes(vocab: number, conv: NormalLayer & { type: 'conv1d' }): number {
  return conv.kernel * (vocab + 1) * conv.filters * 4;
}

/** The conv1d layer an embedding at `index` folds into, if the next effective layer is one and its tables fit. */
export function foldTarget(spec: NormalSpec, index: number, maxBytes = FOLD_TABLE_BYTES): (NormalLayer & { type: 'conv1d' }) | undefined {
  if (spec.input.kind !== 'tokens' || spec.layers[index]?.type !== 'embedding') return undefined;
  const next = nextEffective(spec, index)?.layer;
  if (next?.type !== 'conv1d') return undefined;
  return foldBytes(spec.input.vocabSize, next) <= maxBytes ? next : undefined;
}

/**
 * The stacked tables [K·(V+1), F]: block j holds P_j for ids 0..V−1 and a zero row at id V, the
 * "outside the sequence" id that stands for the conv's zero padding at both ends. The bias goes into
 * the centre block (the centre position is always inside the sequence). `centreOffset`, when given,
 * is added to the centre block's row `padId`: with −1e9 there, every padded position comes out at
 * about −1e9, which a following relu turns into the 0 that masking gives in torch.
 */
export function foldTables(embedding: Tensor, weight: Tensor, bias: Tensor, padId: number, centreOffset = 0): Float32Array {
  const [V, D] = embedding.shape as [number, number];
  const [F, Dw, K] = weight.shape as [number, number, number];
  if (Dw !== D) throw new Error(`fold: embedding width ${D} ≠ conv input width ${Dw}`);
  const W = V + 1;
  const centre = Math.floor(K / 2);
  const out = new Float32Array(K * W * F);
  const e = embedding.data;
  const w = weight.data;
  const acc = new Float64Array(F);
  for (let j = 0; j < K; j++) {
    for (let v = 0; v < V; v++) {
      acc.fill(0);
      for (let f = 0; f < F; f++) {
        let s = 0;
        for (let c = 0; c < D; c++) s += e[v * D + c]! * w[(f * D + c) * K + j]!;
        acc[f] = s + (j === centre ? bias.data[f]! + (v === padId ? centreOffset : 0) : 0);
      }
      out.set(acc, (j * W + v) * F);
    }
  }
  return out;
}
