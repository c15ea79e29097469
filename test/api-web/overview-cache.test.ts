import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VolumesCache } from '../../src/serve/routes/overview.js';
import { describeEachStore } from '../helpers/stores.js';
import { bearer, webFixture } from './helpers.js';

type Volumes = Awaited<ReturnType<VolumesCache['get']>>;
const volumes = (n: number): Volumes => ({ perDay: { days: ['2024-01-01'], series: [{ label: 's', counts: [n] }] }, categories: [] });

test('VolumesCache: reuses a key, recomputes after MAX_AGE_MS, forgets failures', async () => {
  let now = 0;
  let computed = 0;
  const cache = new VolumesCache(() => now);
  const compute = async () => volumes(++computed);
  assert.equal((await cache.get('60|100|a', compute)).perDay.series[0]!.counts[0], 1);
  assert.equal((await cache.get('60|100|a', compute)).perDay.series[0]!.counts[0], 1, 'same key: reused');
  assert.equal((await cache.get('60|101|a', compute)).perDay.series[0]!.counts[0], 2, 'another key: computed');
  now = VolumesCache.MAX_AGE_MS;
  assert.equal((await cache.get('60|100|a', compute)).perDay.series[0]!.counts[0], 3, 'too old: computed again');
  await assert.rejects(cache.get('7|1|b', async () => { throw new Error('db down'); }));
  assert.equal((await cache.get('7|1|b', compute)).perDay.series[0]!.counts[0], 4, 'a failure is not cached');
});

describeEachStore('overview cache', (makeStore) => {
  test('a new post shows in the overview at once', async (t) => {
    const fx = await webFixture(await makeStore());
    t.after(() => fx.app.close());
    type O = { totals: { posts: number }; perDay: { days: string[]; series: { label: string; counts: number[] }[] }; categories: { board: string; posts: number }[] };
    const get = async () => {
      const r = await fx.app.inject({ url: '/api/v1/overview?days=60', headers: bearer(fx.reader) });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as O;
    };
    const sum = (o: O) => o.perDay.series.reduce((s, x) => s + x.counts.reduce((a, b) => a + b, 0), 0);
    const before = await get();
    assert.deepEqual(await get(), before, 'unchanged store: same answer');
    // Same day as the newest post (the window does not move) but a new board: only the cache key's
    // post count changes.
    const newestDay = before.perDay.days.at(-1)!;
    await fx.store.ingest([{ site: 'cachesite', board: 'cache-board', thread_id: 'c1', thread_title: 'cache test', post_id: 'c1-1', author: 'cacher', posted_at: `${newestDay}T00:00:01Z`, body_text: 'one more post' }]);
    const after = await get();
    assert.equal(after.totals.posts, before.totals.posts + 1);
    assert.equal(sum(after), sum(before) + 1, 'the new post is counted in the per-day series');
    assert.ok(after.perDay.series.some((s) => s.label === 'cachesite'));
  });
});
