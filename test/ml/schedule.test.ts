// Learning-rate schedules and the safetensors codec (no addon needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRate } from '../../src/ml/schedule.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/ml/safetensors.js';

test('schedules: warm-up, linear and cosine decay, step decay', () => {
  assert.equal(learningRate({ kind: 'constant' }, 0.1, 50, 100), 0.1);
  assert.equal(learningRate({ kind: 'constant', warmupSteps: 10 }, 0.1, 0, 100), 0.01);
  assert.equal(learningRate({ kind: 'linear', warmupSteps: 0 }, 0.1, 50, 100), 0.05);
  assert.ok(Math.abs(learningRate({ kind: 'linear', minLr: 0.01 }, 0.1, 100, 100) - 0.01) < 1e-12);
  assert.ok(Math.abs(learningRate({ kind: 'cosine' }, 0.1, 50, 100) - 0.05) < 1e-12);
  assert.ok(learningRate({ kind: 'cosine' }, 0.1, 99, 100) < 0.001);
  assert.equal(learningRate({ kind: 'step', everySteps: 10, gamma: 0.5 }, 0.1, 25, 100), 0.025);
});

test('safetensors round trip, with metadata, and clear errors on bad files', () => {
  const tensors = { 'a.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([-1.5]) } };
  const buf = encodeSafetensors(tensors, { spec: '{"x":1}' });
  assert.equal(Number(buf.readBigUInt64LE(0)) % 8, 0, 'header padded to 8 bytes');
  const back = decodeSafetensors(buf, 'm.safetensors');
  assert.deepEqual(back.metadata, { spec: '{"x":1}' });
  assert.deepEqual(back.tensors['a.weight'], tensors['a.weight']);
  assert.deepEqual(back.tensors.b, tensors.b);
  assert.throws(() => decodeSafetensors(Buffer.from('abc'), 'x.safetensors'), /x\.safetensors: not a safetensors file \(too short\)/);
  const broken = Buffer.from(buf);
  broken.writeBigUInt64LE(BigInt(buf.length * 2), 0);
  assert.throws(() => decodeSafetensors(broken, 'y.safetensors'), /bad header length/);
  assert.throws(() => decodeSafetensors(buf.subarray(0, buf.length - 4), 'z.safetensors'), /tensor b: bad offsets/);
});
