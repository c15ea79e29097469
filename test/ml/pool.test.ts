/** The inference worker pool: order across batches and workers, even splits, bad input, a dying worker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, encodeModel } from '../../src/ml/onnx/graph.js';
import { InferencePool } from '../../src/ml/onnx/pool.js';

/** logits = 2·x + 1 per feature: every output row can be traced back to its input row. */
async function affineModel(dir: string): Promise<string> {
  const g = new GraphBuilder();
  g.named('Add', [g.op('Mul', ['x', g.constFloat([2])]), g.constFloat([1])], 'logits');
  const path = join(dir, 'affine.onnx');
  await writeFile(path, encodeModel(g, [{ name: 'x', type: 'float32', shape: ['batch', 3] }], [{ name: 'logits', type: 'float32', shape: ['batch', 3] }], {}, 'affine'));
  return path;
}

test('inference pool: rows come back in order, over batches and split evenly over workers', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tm-pool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pool = new InferencePool(await affineModel(dir), 2);
  t.after(() => pool.close());
  for (const [rows, batch] of [[1, 256], [3, 256], [7, 2], [10, 4]] as const) {
    const x = Float32Array.from({ length: rows * 3 }, (_, i) => i);
    const out = await pool.run(x, 3, batch);
    assert.deepEqual(out.logits!.dims, [rows, 3], `${rows} rows, batch ${batch}`);
    assert.deepEqual(Array.from(out.logits!.data), Array.from(x, (v) => 2 * v + 1), `${rows} rows, batch ${batch}`);
  }
  await assert.rejects(pool.run(new Float32Array(4), 3), /not a multiple of 3/);
});

test('inference pool: a worker that dies fails pending and later calls instead of hanging', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tm-pool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pool = new InferencePool(await affineModel(dir), 2);
  t.after(() => pool.close());
  await pool.run(new Float32Array(6), 3);
  const workers = (pool as unknown as { workers: Array<{ terminate(): Promise<number> }> }).workers;
  const pending = pool.run(new Float32Array(3 * 512), 3, 1);
  await workers[0]!.terminate();
  await assert.rejects(pending, /exited unexpectedly/);
  await assert.rejects(pool.run(new Float32Array(3), 3), /exited unexpectedly/);
});

test('inference pool: a missing model is reported with its path', async () => {
  const pool = new InferencePool('/nonexistent/model.onnx', 1);
  try {
    await assert.rejects(pool.run(new Float32Array(3), 3), /nonexistent\/model\.onnx/);
  } finally {
    await pool.close();
  }
});
