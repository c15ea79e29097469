import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atThreshold, fprAtThreshold, prAuc, rocAuc, rocAucOvr, thresholdCurve } from '../../src/ml/metrics.js';
import { InputError } from '../../src/core/errors.js';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

// The scikit-learn documentation example: ROC-AUC 0.75, average precision 0.8333.
const y = [false, false, true, true];
const s = [0.1, 0.4, 0.35, 0.8];

test('ROC-AUC by hand: 3 of 4 positive/negative pairs ordered correctly', () => {
  close(rocAuc(y, s), 0.75, 'ROC-AUC');
  close(rocAuc([true, false], [1, 0]), 1, 'perfect');
  close(rocAuc([true, false], [0, 1]), 0, 'inverted');
});

test('ROC-AUC counts tied scores as half a correct pair', () => {
  close(rocAuc([true, false, true, false], [0.5, 0.5, 0.9, 0.1]), 3.5 / 4, 'ties');
  close(rocAuc([true, false, true, false], [1, 1, 1, 1]), 0.5, 'all tied');
});

test('PR-AUC is step-wise average precision', () => {
  // Thresholds 0.8 (P 1, R .5), 0.4 (P .5, R .5), 0.35 (P 2/3, R 1), 0.1 (P .5, R 1).
  close(prAuc(y, s), 0.5 * 1 + 0.5 * (2 / 3), 'AP');
  const curve = thresholdCurve(y, s);
  assert.deepEqual(
    curve.map((p) => p.threshold),
    [0.8, 0.4, 0.35, 0.1],
  );
  close(curve[2]!.precision, 2 / 3, 'P at 0.35');
  close(curve[1]!.fpr, 0.5, 'FPR at 0.4');
});

test('FPR and counts at a threshold (score >= threshold is positive)', () => {
  const c = atThreshold(y, s, 0.4);
  assert.deepEqual({ tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn }, { tp: 1, fp: 1, tn: 1, fn: 1 });
  close(c.tpr, 0.5, 'TPR');
  close(fprAtThreshold(y, s, 0.4), 0.5, 'FPR');
  close(fprAtThreshold(y, s, 0.9), 0, 'FPR above all scores');
  close(fprAtThreshold(y, s, 0), 1, 'FPR below all scores');
});

test('one-vs-rest ROC-AUC per class and macro', () => {
  const probs = [
    [0.7, 0.2, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.3, 0.6],
    [0.15, 0.4, 0.45],
  ];
  const r = rocAucOvr(['a', 'b', 'c', 'a'], probs, ['a', 'b', 'c']);
  close(r.perClass.a!, 0.75, 'AUC(a)');
  close(r.perClass.b!, 1, 'AUC(b)');
  close(r.perClass.c!, 1, 'AUC(c)');
  close(r.macro, 2.75 / 3, 'macro');
  const missing = rocAucOvr(['a', 'b'], [[0.9, 0.1, 0], [0.2, 0.8, 0]], ['a', 'b', 'c']);
  assert.deepEqual(missing.skipped, ['c']);
  close(missing.macro, 1, 'macro without c');
});

test('undefined AUCs and bad scores are input errors', () => {
  assert.throws(() => rocAuc([true, true], [0.1, 0.2]), InputError);
  assert.throws(() => prAuc([false, false], [0.1, 0.2]), InputError);
  assert.throws(() => rocAuc([true, false], [Number.NaN, 0.2]), /finite/);
  assert.throws(() => rocAuc([true], [0.1, 0.2]), /1 labels but 2 scores/);
});
