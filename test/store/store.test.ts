import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachStore } from '../helpers/stores.js';
import { sampleRecords } from '../helpers/fixtures.js';
import type { ForumRecord } from '../../src/core/records.js';
import { RANK_WINDOW, pinPostgresSearchPlan, preferGinScan } from '../../src/store/search.js';

describeEachStore('store', (makeStore) => {
  test('ingest normalises records into sites, threads, authors, posts and links', async () => {
    const store = await makeStore();
    const result = await store.ingest(sampleRecords());
    assert.deepEqual({ inserted: result.inserted, updated: result.updated, unchanged: result.unchanged }, { inserted: 5, updated: 0, unchanged: 0 });
    const sites = await store.db.selectFrom('sites').select(['name', 'engine']).orderBy('name').execute();
    assert.deepEqual(sites.map((s) => s.name), ['darkfox', 't00ls', 'xss-ru']);
    const authors = await store.db.selectFrom('authors').select(['handle', 'first_seen', 'last_seen', 'reputation']).where('handle', '=', 'ZeroCool').execute();
    assert.equal(authors.length, 1);
    assert.equal(authors[0]!.first_seen, '2024-03-01T10:00:00.000Z');
    assert.equal(authors[0]!.last_seen, '2024-03-05T09:00:00.000Z');
    assert.equal(authors[0]!.reputation, 120);
    const links = await store.db.selectFrom('post_links').selectAll().execute();
    assert.equal(links.length, 2);
    const quote = links.find((l) => l.kind === 'quote');
    assert.equal(quote?.target_post_id, result.ids[0]);
  });

  test('bulk writes leave every foreign key satisfied and enforcement on', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    if (store.dialect !== 'sqlite') return;
    assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(store.db)).rows, []);
    assert.deepEqual((await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(store.db)).rows, [{ foreign_keys: 1 }]);
    await assert.rejects(
      store.db.insertInto('post_links').values({ post_id: 'missing', kind: 'quote', target_external_id: 'x', target_post_id: 'y' }).execute(),
      /FOREIGN KEY/,
    );
  });

  test('body_html without body_text becomes plain text, scripts dropped', async () => {
    const store = await makeStore();
    const { ids } = await store.ingest(sampleRecords());
    const post = await store.db.selectFrom('posts').select(['body_text', 'body_html']).where('id', '=', ids[2]!).executeTakeFirstOrThrow();
    assert.equal(post.body_text, 'Fresh SQL injection dump\n10k rows');
    assert.match(post.body_html ?? '', /<script>/);
  });

  test('re-ingesting the same records adds nothing; a changed post is updated', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    const again = await store.ingest(sampleRecords());
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 5]);
    const edited = sampleRecords();
    edited[1] = { ...edited[1]!, body_text: 'Edited: price is 2 BTC' };
    const third = await store.ingest(edited);
    assert.deepEqual([third.inserted, third.updated, third.unchanged], [0, 1, 4]);
    const count = await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 5);
    const hits = await store.search({ q: 'edited price' });
    assert.equal(hits.total, 1);
    const stale = await store.search({ q: 'struts price' });
    assert.equal(stale.total, 0, 'the old text of an edited post is no longer indexed');
  });

  test('search ranks, filters and highlights', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    const exploit = await store.search({ q: 'exploit' });
    assert.equal(exploit.total, 2);
    assert.equal(exploit.hits[0]!.threadTitle, 'Apache RCE exploit for sale');
    const hit = exploit.hits[0]!;
    for (const [s, e] of hit.snippet.highlights) assert.equal(hit.snippet.text.slice(s, e).toLowerCase(), 'exploit');
    assert.ok(hit.snippet.highlights.length >= 1);

    assert.equal((await store.search({ q: '"remote code execution"' })).total, 1);
    assert.equal((await store.search({ q: '"code remote execution"' })).total, 0);
    assert.equal((await store.search({ q: 'struts OR dump' })).total, 3);
    assert.equal((await store.search({ q: 'exploit -tested' })).total, 1);
    assert.equal((await store.search({ q: 'cve-2017-5638' })).total, 1);
    assert.equal((await store.search({ q: 'xmpp.example' })).total, 1);
    assert.equal((await store.search({ q: 'exploit', author: 'zerocool' })).total, 1);
    assert.equal((await store.search({ q: 'exploit', site: 'xss-ru' })).total, 0);
    assert.equal((await store.search({ site: 'darkfox' })).total, 3);
    assert.equal((await store.search({ since: '2024-03-02', until: '2024-04-30' })).total, 2);
    assert.equal((await store.search({ hasIndicator: true })).total, 0);
  });

  test('common words: counts cap, ranking stays exact among fresh matches, filters still reach old posts', async () => {
    const store = await makeStore();
    const filler = Array.from({ length: RANK_WINDOW + 300 }, (_, i): ForumRecord => ({
      site: i === 0 ? 'oldforum' : 'bigforum', board: 'Market', thread_id: `t${Math.floor(i / 10)}`, thread_title: 'market thread',
      post_id: String(i), author: `user${i % 50}`, posted_at: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString(),
      body_text: i === RANK_WINDOW + 299 ? 'selling selling selling fresh access' : `selling item number ${i} today`,
    }));
    for (let i = 0; i < filler.length; i += 1000) await store.ingest(filler.slice(i, i + 1000));
    const common = await store.search({ q: 'selling' });
    assert.equal(common.total, 1000);
    assert.equal(common.totalCapped, true);
    assert.match(common.hits[0]!.snippet.text, /selling selling selling/, 'the densest fresh match ranks first');
    const old = await store.search({ q: 'selling', site: 'oldforum' });
    assert.equal(old.total, 1, 'a filter finds matches outside the ranking window');
    assert.match(old.hits[0]!.snippet.text, /item number 0 /);
    const paged = await store.search({ q: 'selling', limit: 100, offset: 100 });
    assert.equal(paged.hits.length, 100);
    const firstPage = await store.search({ q: 'selling', limit: 100 });
    const seen = new Set(firstPage.hits.map((h) => h.id));
    assert.ok(paged.hits.every((h) => !seen.has(h.id)), 'pages do not overlap');
  });

  test('PostgreSQL: fetching matches from GIN and walking the seq index give the same page; rare words take GIN', async () => {
    const store = await makeStore();
    if (store.dialect !== 'postgres') return;
    const posts = Array.from({ length: RANK_WINDOW + 300 }, (_, i): ForumRecord => ({
      site: 'bigforum', board: i % 2 === 0 ? 'Market' : 'Exploits', thread_id: `t${Math.floor(i / 10)}`, thread_title: 'market thread',
      post_id: String(i), author: `user${i % 50}`, posted_at: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString(),
      body_text: `selling item ${i}${i % 40 === 0 ? ' escrow escrow' : i % 20 === 0 ? ' escrow' : ''}${i === 7 ? ' zerodaybroker' : ''} today`,
    }));
    for (let i = 0; i < posts.length; i += 1000) await store.ingest(posts.slice(i, i + 1000));
    await sql`ANALYZE posts`.execute(store.db);
    const base = (q: string) => store.db.selectFrom('posts').where(sql<boolean>`posts.search @@ to_tsquery('simple', ${q})`);
    assert.equal(await preferGinScan(store.db, base("'zerodaybroker'"), RANK_WINDOW), true, 'a word in one post is fetched from GIN');
    assert.equal(await preferGinScan(store.db, base("'selling'"), RANK_WINDOW), false, 'a word in every post walks the seq index');
    try {
      for (const params of [{ q: 'escrow' }, { q: 'selling' }, { q: 'selling escrow', board: 'Market' }, { q: 'escrow', limit: 10, offset: 100 }]) {
        pinPostgresSearchPlan('gin');
        const viaGin = await store.search(params);
        pinPostgresSearchPlan('walk');
        const viaWalk = await store.search(params);
        assert.deepEqual(viaGin, viaWalk, JSON.stringify(params));
        assert.ok(viaGin.hits.length > 0, JSON.stringify(params));
      }
    } finally {
      pinPostgresSearchPlan(null);
    }
  });

  test('search finds Russian and Chinese text', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    assert.equal((await store.search({ q: 'эксплойт' })).total, 1);
    const zh = await store.search({ q: '漏洞' });
    assert.equal(zh.total, 1);
    const { text, highlights } = zh.hits[0]!.snippet;
    assert.deepEqual(highlights.map(([s, e]) => text.slice(s, e)), ['漏洞']);
    assert.equal((await store.search({ q: '代码执行' })).total, 1);
    assert.equal((await store.search({ q: '执行代码' })).total, 0, 'CJK words are matched as phrases');
  });

  test('hostile query syntax is treated as words, never as engine syntax', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    for (const q of ['"', 'NEAR(', "'; DROP TABLE posts; --", 'a:b', '* OR', '(((', 'exploit"']) {
      const result = await store.search({ q });
      assert.ok(result.total >= 0);
    }
    await assert.rejects(store.search({ q: '-exploit' }), /at least one word/);
    await assert.rejects(store.search({ q: 'x'.repeat(501) }), /search parameters: q: /);
  });
});
