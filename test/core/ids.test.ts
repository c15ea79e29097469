import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentHash, stableId } from '../../src/core/ids.js';

// Pinned values: every stored id derives from these functions, so a change of output would make
// re-imports duplicate posts. Values computed by the original incremental-hash implementation.
test('stable ids and content hashes never change', () => {
  assert.equal(stableId('p', 'darkfox', '100'), 'p_eb5f28e4090584aefd8a39d7');
  assert.equal(stableId('t', 'xss-ru', 'Продам эксплойт', undefined, 42), 't_8a04390eae9bb3ade517407f');
  assert.equal(contentHash('title', undefined, '这是', '[]'), 'fdd6f85372863697d32b7e211b642319');
});

test('parts are separated, so moving a boundary changes the id', () => {
  assert.notEqual(stableId('a', 'ab', 'c'), stableId('a', 'a', 'bc'));
  assert.notEqual(stableId('a', undefined), stableId('a', ''));
});
