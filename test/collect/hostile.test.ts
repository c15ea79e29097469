import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostileMode } from '../../src/collect/simulator/index.js';
import { crawlInto, memoryStore, siteFor, storedPosts, truthPosts, withSim } from './helpers.js';

/**
 * Each hostile mode on its own, against a different engine each time: the crawl must still
 * finish with every post of the ground truth, and record the misbehaviour under the right kind.
 */
const cases: { mode: HostileMode; engine: string; expect: string; limits?: Record<string, number>; retries?: number }[] = [
  { mode: 'malformed', engine: 'xenforo', expect: '' },
  { mode: 'infinite-pagination', engine: 'mybb', expect: 'trap' },
  { mode: 'rate-limit', engine: 'phpbb', expect: 'rate-limited' },
  { mode: 'server-errors', engine: 'vbulletin', expect: 'http-5xx' },
  { mode: 'redirect-loop', engine: 'discourse', expect: 'redirect-loop' },
  { mode: 'huge', engine: 'xenforo', expect: 'body-too-large', limits: { maxPageBytes: 1024 * 1024 } },
  { mode: 'bomb', engine: 'phpbb', expect: 'decompression-bomb', limits: { maxDecompressedBytes: 4 * 1024 * 1024 } },
  { mode: 'slow', engine: 'mybb', expect: 'timeout', limits: { requestTimeoutMs: 800 }, retries: 1 },
];

for (const c of cases) {
  test(`hostile ${c.mode} (${c.engine}): crawl completes with every post and counts ${c.expect || 'nothing lost'}`, async () => {
    await withSim({ forums: [c.engine], hostile: [c.mode], hostileOptions: { slowMs: 20, bombBytes: 32 * 1024 * 1024, rateLimitEvery: 12 } }, async (sim) => {
      const store = await memoryStore();
      try {
        const forum = sim.forums[0]!;
        const base = siteFor(sim, forum.slug);
        const summary = await crawlInto(store, {
          ...base,
          limits: { requestTimeoutMs: 5000, ...c.limits },
          politeness: { ...base.politeness, concurrency: 2, delayMs: 0, jitterMs: 0, backoffBaseMs: 20, maxRetries: c.retries ?? 6 },
        });
        assert.equal(summary.stoppedBy, 'complete');
        const truth = truthPosts(sim.groundTruth(), forum.slug);
        const stored = await storedPosts(store, forum.slug);
        const ids = new Set(stored.map((p) => p.external_id));
        assert.deepEqual(truth.filter((t) => !ids.has(t.post_id)).map((t) => t.post_id), [], 'no post lost');
        assert.equal(stored.length, truth.length, 'no extra posts');
        if (c.expect !== '') assert.ok((summary.errors as Record<string, number>)[c.expect]! > 0, `expected ${c.expect} in ${JSON.stringify(summary.errors)}`);
        if (c.mode === 'malformed') {
          // Broken markup around posts must not cost authors or edges; nothing was executed.
          const byId = new Map(stored.map((p) => [p.external_id, p]));
          for (const t of truth) assert.equal(byId.get(t.post_id)?.author, t.author);
          const quotes = await store.db.selectFrom('post_links').select('target_external_id').where('kind', '=', 'quote').execute();
          assert.equal(quotes.length, truth.reduce((n, t) => n + t.quotes.length, 0));
        }
      } finally {
        await store.close();
      }
    });
  });
}
