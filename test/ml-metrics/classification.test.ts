import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, classificationReport, confusionMatrix } from '../../src/ml/metrics.js';
import { InputError } from '../../src/core/errors.js';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

// Hand-computed: a has tp 2 / predicted 2 / true 3; b tp 1 / 2 / 2; c tp 1 / 2 / 1.
const yTrue = ['a', 'a', 'a', 'b', 'b', 'c'];
const yPred = ['a', 'a', 'b', 'b', 'c', 'c'];

test('per-class precision, recall, F1 and support', () => {
  const r = classificationReport(yTrue, yPred);
  assert.deepEqual(r.labels, ['a', 'b', 'c']);
  close(r.perClass.a!.precision, 1, 'P(a)');
  close(r.perClass.a!.recall, 2 / 3, 'R(a)');
  close(r.perClass.a!.f1, 0.8, 'F1(a)');
  close(r.perClass.b!.f1, 0.5, 'F1(b)');
  close(r.perClass.c!.precision, 0.5, 'P(c)');
  close(r.perClass.c!.recall, 1, 'R(c)');
  close(r.perClass.c!.f1, 2 / 3, 'F1(c)');
  assert.deepEqual(
    r.labels.map((l) => r.perClass[l]!.support),
    [3, 2, 1],
  );
  assert.equal(r.n, 6);
});

test('accuracy and macro, micro, weighted averages', () => {
  const r = classificationReport(yTrue, yPred);
  close(r.accuracy, 4 / 6, 'accuracy');
  close(accuracy(yTrue, yPred), 4 / 6, 'accuracy()');
  close(r.macro.precision, 2 / 3, 'macro P');
  close(r.macro.recall, 13 / 18, 'macro R');
  close(r.macro.f1, 59 / 90, 'macro F1');
  close(r.micro.precision, 2 / 3, 'micro P');
  close(r.micro.f1, 2 / 3, 'micro F1');
  close(r.weighted.precision, 0.75, 'weighted P');
  close(r.weighted.recall, 2 / 3, 'weighted R');
  close(r.weighted.f1, 61 / 90, 'weighted F1');
});

test('confusion matrix rows are true labels, columns predictions', () => {
  const m = confusionMatrix(yTrue, yPred);
  assert.deepEqual(m.counts, [
    [2, 1, 0],
    [0, 1, 1],
    [0, 0, 1],
  ]);
  const ordered = confusionMatrix(yTrue, yPred, { labels: ['c', 'a'] });
  assert.deepEqual(ordered.counts, [
    [1, 0],
    [0, 2],
  ]);
});

test('a label subset pools micro counts over the listed labels only', () => {
  const r = classificationReport(yTrue, yPred, { labels: ['a', 'b'] });
  close(r.micro.precision, 3 / 4, 'micro P');
  close(r.micro.recall, 3 / 5, 'micro R');
  close(r.micro.f1, 2 / 3, 'micro F1');
  close(r.macro.f1, (0.8 + 0.5) / 2, 'macro F1');
});

test('a listed class with no support and no predictions scores 0, not NaN', () => {
  const r = classificationReport(['a', 'b'], ['a', 'a'], { labels: ['a', 'b', 'z'] });
  assert.deepEqual(r.perClass.z, { precision: 0, recall: 0, f1: 0, support: 0 });
  close(r.perClass.b!.f1, 0, 'F1(b)');
  close(r.perClass.a!.precision, 0.5, 'P(a)');
  close(r.macro.f1, 2 / 3 / 3, 'macro F1');
});

test('mismatched lengths and duplicate labels are input errors', () => {
  assert.throws(() => classificationReport(['a'], ['a', 'b']), InputError);
  assert.throws(() => confusionMatrix(['a'], ['a'], { labels: ['a', 'a'] }), /duplicates/);
});
