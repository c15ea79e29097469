import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entitiesConlleval, entitiesStrict, entityReport } from '../../src/ml/metrics.js';

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

test('conlleval chunking: I- after O or another type starts an entity', () => {
  assert.deepEqual(entitiesConlleval(['B-PER', 'I-PER', 'I-LOC', 'O', 'I-ORG']), [
    { type: 'PER', start: 0, end: 2 },
    { type: 'LOC', start: 2, end: 3 },
    { type: 'ORG', start: 4, end: 5 },
  ]);
  assert.deepEqual(entitiesConlleval(['B-PER', 'B-PER', 'S-LOC', 'B-X', 'E-X', 'I-X']), [
    { type: 'PER', start: 0, end: 1 },
    { type: 'PER', start: 1, end: 2 },
    { type: 'LOC', start: 2, end: 3 },
    { type: 'X', start: 3, end: 5 },
    { type: 'X', start: 5, end: 6 },
  ]);
});

test('strict chunking drops malformed entities', () => {
  assert.deepEqual(entitiesStrict(['I-NP', 'I-NP', 'O', 'B-NP', 'I-NP'], 'IOB2'), [{ type: 'NP', start: 3, end: 5 }]);
  assert.deepEqual(entitiesStrict(['B-PER', 'I-PER', 'O', 'B-LOC', 'E-LOC', 'S-ORG', 'E-ORG'], 'IOBES'), [
    { type: 'LOC', start: 3, end: 5 },
    { type: 'ORG', start: 5, end: 6 },
  ]);
});

test('the seqeval README example: MISC boundary wrong, PER right', () => {
  const yTrue = [
    ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'],
    ['B-PER', 'I-PER', 'O'],
  ];
  const yPred = [
    ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'],
    ['B-PER', 'I-PER', 'O'],
  ];
  const r = entityReport(yTrue, yPred);
  assert.deepEqual(r.types, ['MISC', 'PER']);
  assert.deepEqual(r.perType.MISC, { precision: 0, recall: 0, f1: 0, support: 1 });
  assert.deepEqual(r.perType.PER, { precision: 1, recall: 1, f1: 1, support: 1 });
  close(r.micro.f1, 0.5, 'micro F1');
  close(r.macro.f1, 0.5, 'macro F1');
  close(r.weighted.f1, 0.5, 'weighted F1');
  close(r.tokenAccuracy, 0.8, 'token accuracy');
});

test('default mode forgives a missing B-, strict mode does not', () => {
  const yTrue = [['B-NP', 'I-NP', 'O']];
  const yPred = [['I-NP', 'I-NP', 'O']];
  close(entityReport(yTrue, yPred).micro.f1, 1, 'conlleval');
  close(entityReport(yTrue, yPred, { mode: 'strict', scheme: 'IOB2' }).micro.f1, 0, 'strict');
});

test('IOBES strict: an unterminated entity is not predicted', () => {
  const yTrue = [['B-PER', 'E-PER', 'S-LOC', 'O']];
  const yPred = [['B-PER', 'I-PER', 'S-LOC', 'O']];
  const strict = entityReport(yTrue, yPred, { mode: 'strict', scheme: 'IOBES' });
  close(strict.micro.precision, 1, 'P');
  close(strict.micro.recall, 0.5, 'R');
  close(strict.micro.f1, 2 / 3, 'F1');
  close(entityReport(yTrue, yPred).micro.f1, 1, 'conlleval');
});

test('bad input is rejected with the sequence named', () => {
  assert.throws(() => entityReport([['O']], [['O', 'O']]), /sequence 0 has 1 true tags but 2 predicted/);
  assert.throws(() => entityReport([['O']], [['O']], { mode: 'strict' }), /tag scheme/);
});
