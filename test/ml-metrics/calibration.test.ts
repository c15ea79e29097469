import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibration, calibrationFromProbabilities } from '../../src/ml/metrics.js';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

const conf = [0.95, 0.85, 0.75, 0.65, 0.15];
const correct = [true, false, true, true, false];

test('ECE with ten bins: every item alone in its bin', () => {
  const c = calibration(conf, correct, 10);
  // Gaps .05, .85, .25, .35, .15, each weighted 1/5.
  close(c.ece, 1.65 / 5, 'ECE');
  close(c.mce, 0.85, 'MCE');
  assert.equal(c.bins.length, 10);
  assert.deepEqual(
    c.bins.map((b) => b.count),
    [0, 1, 0, 0, 0, 0, 1, 1, 1, 1],
  );
});

test('ECE with two bins pools confidences', () => {
  const c = calibration(conf, correct, 2);
  // Bin (0, .5]: conf .15, acc 0. Bin (.5, 1]: mean conf .8, acc .75.
  close(c.bins[1]!.confidence, 0.8, 'bin 1 confidence');
  close(c.bins[1]!.accuracy, 0.75, 'bin 1 accuracy');
  close(c.ece, (0.15 + 4 * 0.05) / 5, 'ECE');
});

test('bin edges: 0 and 0.5 fall low, 1 falls in the top bin', () => {
  const c = calibration([0, 0.5, 1], [false, true, true], 2);
  assert.deepEqual(
    c.bins.map((b) => b.count),
    [2, 1],
  );
  close(c.ece, (2 * Math.abs(0.5 - 0.25) + 0) / 3, 'ECE');
});

test('from probabilities: top-class confidence against the true label', () => {
  const c = calibrationFromProbabilities(['a', 'b'], [[0.9, 0.1], [0.6, 0.4]], ['a', 'b'], 10);
  // 0.9 correct (gap .1), 0.6 wrong (gap .6).
  close(c.ece, (0.1 + 0.6) / 2, 'ECE');
});

test('out-of-range confidences and bad bin counts are rejected', () => {
  assert.throws(() => calibration([1.2], [true]), /outside \[0, 1\]/);
  assert.throws(() => calibration([0.5], [true], 0), /positive integer/);
  assert.throws(() => calibration([0.5], [true, false]), /1 confidences but 2 outcomes/);
});
