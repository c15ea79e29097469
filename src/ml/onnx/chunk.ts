/**
 * Runs a per-sample graph over the batch in fixed-size chunks with an ONNX Loop. A folded conv
 * (fold.ts) does a few additions per activation, so it is bound by memory traffic: ORT runs one op
 * at a time over the whole batch, and at batch 256 each [batch, seq, filters] intermediate is tens of
 * MB that goes through DRAM between ops. Chunks of about 1 MiB per intermediate stay in L2.
 */
import { GraphBuilder, encodeGraph, type ValueSpec } from './graph.js';

/** Target size of one float [rows, seq, width] intermediate per chunk: the L2 cache of one core here. */
export const CHUNK_BYTES = 2 ** 20;

/** Rows per chunk so that a [rows, seqLen, width] float tensor is about CHUNK_BYTES (at least 1). */
export function chunkRowsFor(seqLen: number, width: number): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / (seqLen * width * 4)));
}

export interface ChunkedInput {
  /** The body's name for its chunk of ids, int32 [rows, seqLen]. */
  ids: string;
  /** Wraps the body: its per-sample outputs become full-batch outputs of `outer` under `names`. */
  finish(outputs: Array<{ value: string; name: string; rest: number[] }>): void;
}

/**
 * Sets up `outer` to split int32 `input` [N, seqLen] into ceil(N/rows) chunks (at least one, so an
 * empty batch still yields typed outputs; the last chunk is padded with `padId` rows, whose outputs
 * are sliced off) and returns the body's chunk name; `body` is where the caller builds the model.
 */
export function chunked(outer: GraphBuilder, body: GraphBuilder, input: string, seqLen: number, rows: number, padId: number): ChunkedInput {
  const i64 = (v: number) => outer.constInt([v], 'int64', []);
  const n = outer.op('Gather', [outer.op('Shape', [input]), i64(0)], { axis: 0 });
  const trips = outer.op('Max', [outer.op('Div', [outer.op('Add', [n, i64(rows - 1)]), i64(rows)]), i64(1)]);
  const extra = outer.op('Sub', [outer.op('Mul', [trips, i64(rows)]), n]);
  const pads = outer.op('Concat', [outer.constInt([0, 0]), outer.op('Unsqueeze', [extra, outer.constInt([0])]), outer.constInt([0])], { axis: 0 });
  const padded = outer.op('Pad', [input, pads, outer.constInt([padId], 'int32', [])]);
  const all = outer.op('Reshape', [padded, outer.constInt([-1, rows, seqLen])]);
  const ids = body.op('Gather', [all, 'iter'], { axis: 0 });
  return {
    ids,
    finish(outputs) {
      body.named('Identity', ['cond_in'], 'cond_out');
      const bodyOutputs: ValueSpec[] = outputs.map((o, k) => ({ name: body.named('Identity', [o.value], `chunk_out_${k}`), type: 'float32', shape: [rows, ...o.rest] }));
      const graph = encodeGraph(
        body,
        [
          { name: 'iter', type: 'int64', shape: [] },
          { name: 'cond_in', type: 'bool', shape: [] },
        ],
        [{ name: 'cond_out', type: 'bool', shape: [] }, ...bodyOutputs],
        'chunk',
      );
      const stacked = outer.opOutputs('Loop', [trips, ''], { body: { graph } }, outputs.length); // each [trips, rows, ...]
      outputs.forEach((o, k) => {
        const flat = outer.op('Reshape', [stacked[k]!, outer.constInt([-1, ...o.rest])]);
        outer.named('Slice', [flat, outer.constInt([0]), outer.op('Unsqueeze', [n, outer.constInt([0])]), outer.constInt([0])], o.name);
      });
    },
  };
}
