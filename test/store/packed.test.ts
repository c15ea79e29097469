import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildBatch } from '../../src/store/ingest/normalise.js';
import { packBatch, unpackBatch } from '../../src/store/ingest/packed.js';
import { sampleRecords } from '../helpers/fixtures.js';

test('a batch survives packing, postMessage cloning and unpacking unchanged', () => {
  const records = [
    ...sampleRecords(),
    { site: 'forum', author: 'nobody', body_text: '' },
    { site: 'forum', author: 'emoji', post_id: 'e1', body_text: 'payload 🚀 ünïcode 漏洞 \u0000 nul', author_post_count: 7, author_reputation: -3 },
  ];
  const batch = buildBatch(records, '2026-12-03T00:00:00.000Z');
  const unpacked = unpackBatch(structuredClone(packBatch(batch)));
  assert.deepEqual(unpacked, batch);
  assert.equal(unpacked.posts.size, records.length);
});

test('an empty batch packs and unpacks', () => {
  const batch = buildBatch([], '2026-12-03T00:00:00.000Z');
  assert.deepEqual(unpackBatch(structuredClone(packBatch(batch))), batch);
});
