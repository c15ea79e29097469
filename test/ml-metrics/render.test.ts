import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classificationReport,
  classificationSummary,
  entityReport,
  renderClassificationReport,
  renderConfusionMatrix,
  renderEntityReport,
  roundMetrics,
} from '../../src/ml/metrics.js';

const report = classificationReport(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'c', 'c']);

test('text report has one row per class, accuracy and averages', () => {
  const lines = renderClassificationReport(report, 2).split('\n');
  assert.match(lines[0]!, /precision\s+recall\s+f1-score\s+support/);
  assert.match(lines.find((l) => l.trim().startsWith('a '))!, /1\.00\s+0\.67\s+0\.80\s+3$/);
  assert.match(lines.find((l) => l.includes('accuracy'))!, /0\.67\s+6$/);
  assert.match(lines.find((l) => l.includes('macro avg'))!, /0\.67\s+0\.72\s+0\.66\s+6$/);
  assert.match(lines.find((l) => l.includes('weighted avg'))!, /0\.75\s+0\.67\s+0\.68\s+6$/);
});

test('confusion matrix table', () => {
  const text = renderConfusionMatrix(report.confusion);
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows[1], ['a', '2', '1', '0']);
  assert.deepEqual(rows[3], ['c', '0', '0', '1']);
});

test('JSON summary is rounded and carries macro_f1 and accuracy', () => {
  const summary = classificationSummary(report);
  assert.equal(summary.macro_f1, 0.6556);
  assert.equal(summary.accuracy, 0.6667);
  assert.deepEqual(summary.per_class_f1, { a: 0.8, b: 0.5, c: 0.6667 });
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(summary)));
  assert.deepEqual(roundMetrics({ x: Number.NaN, y: [1 / 3] }, 2), { x: null, y: [0.33] });
});

test('entity report renders micro, macro and weighted rows', () => {
  const text = renderEntityReport(entityReport([['B-PER', 'O']], [['B-PER', 'O']]));
  assert.match(text, /PER\s+1\.0000\s+1\.0000\s+1\.0000\s+1/);
  assert.match(text, /micro avg/);
});
