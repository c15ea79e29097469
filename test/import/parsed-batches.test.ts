import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsedInWorker } from '../../src/collect/import/parsed-batches.js';

/** Blocks this thread, as a write transaction of better-sqlite3 does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* spin */ }
}

test('batches that queued up while the writer was busy arrive as one group, up to the transaction size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tm-groups-'));
  try {
    const path = join(dir, 'posts.jsonl');
    const records = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ site: 'forum', author: `user${i % 50}`, post_id: String(i), body_text: `post number ${i}` }));
    writeFileSync(path, `${records.join('\n')}\n`);
    const batchSize = 20;
    const maxPosts = 400;
    const groups: { batches: number; posts: number; rows: number }[] = [];
    for await (const group of parsedInWorker(path, { label: path, format: 'jsonl', map: undefined, resumeAfter: 0, batchSize, maxLineBytes: 1 << 20 }, maxPosts)) {
      groups.push({
        batches: group.length,
        posts: group.reduce((n, item) => n + (item.batch?.posts.size ?? 0), 0),
        rows: group.reduce((n, item) => n + item.rows, 0),
      });
      busy(150); // the worker sends ahead meanwhile
    }
    assert.equal(groups.reduce((n, g) => n + g.rows, 0), 3000);
    // Without a turn of the event loop between groups, every group held a single batch.
    assert.ok(groups.some((g) => g.batches > 1), `groups: ${groups.map((g) => g.batches).join(',')}`);
    assert.ok(groups.slice(1, -1).some((g) => g.posts === maxPosts), `group sizes: ${groups.map((g) => g.posts).join(',')}`);
    for (const g of groups) assert.ok(g.posts <= maxPosts + batchSize - 1, `a group of ${g.posts} posts`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
