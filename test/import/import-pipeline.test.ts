import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { importFile, type RejectedRow } from '../../src/collect/import/import-file.js';
import { buildBatch } from '../../src/store/ingest/index.js';
import { packBatch, unpackBatch } from '../../src/store/ingest/packed.js';
import { openStore, type Store } from '../../src/store/index.js';
import { sampleRecords } from '../helpers/fixtures.js';
import { describeEachStore } from '../helpers/stores.js';
import { importAndKill } from '../helpers/kill-import.js';

const dir = mkdtempSync(join(tmpdir(), 'tm-import-pipeline-'));

function records(n: number, edit = ''): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      site: `s${i % 3}`, board: `b${i % 5}`, thread_id: `t${i % 41}`, thread_title: i % 41 === 0 ? undefined : `thread ${i % 41}`,
      post_id: String(i), author: `User${i % 29}`, author_reputation: i % 29 === 3 ? i : undefined,
      posted_at: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 5000) * 60_000).toISOString(),
      body_text: `post ${i} about exploit ${i % 13} 漏洞${edit}`, ...(i % 4 === 0 && i > 0 ? { quotes: [String(i - 1)] } : {}),
    }),
  );
}

function write(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Everything an import writes, in a comparable form (ids are content hashes, so stable). */
async function snapshot(store: Store): Promise<unknown> {
  const posts = await store.db.selectFrom('posts').select(['id', 'site_id', 'board_id', 'thread_id', 'author_id', 'posted_at', 'body_text', 'content_hash']).orderBy('id').execute();
  const authors = await store.db.selectFrom('authors').select(['id', 'handle', 'reputation', 'first_seen', 'last_seen']).orderBy('id').execute();
  const threads = await store.db.selectFrom('threads').select(['id', 'title', 'url']).orderBy('id').execute();
  const links = await store.db.selectFrom('post_links').selectAll().orderBy('post_id').orderBy('target_external_id').execute();
  const hits = await store.search({ q: 'exploit 7', limit: 100 });
  const cjk = await store.search({ q: '漏洞', limit: 5 });
  return { posts, authors, threads, links, hits: hits.hits.map((h) => h.id).sort(), total: hits.total, cjk: cjk.total };
}

test('a batch survives packing for the worker hand-off unchanged', () => {
  const batch = buildBatch(sampleRecords(), '2024-06-01T00:00:00.000Z');
  const back = unpackBatch(structuredClone(packBatch(batch)));
  assert.deepEqual(back, batch);
});

describeEachStore('import pipeline', (makeStore) => {
  test('the worker thread and inline parsing import the same rows, rejects and counts', async () => {
    const lines = records(300);
    lines.splice(17, 0, '{broken');
    lines.splice(120, 0, JSON.stringify({ site: 'x', author: 'y' }));
    const path = write('mixed.jsonl', lines);
    const results = [];
    for (const worker of [false, true]) {
      const store = await makeStore();
      const rejected: RejectedRow[] = [];
      const summary = await importFile(store, path, { worker, bulk: false, batchSize: 37, onRejected: (r) => rejected.push(r) });
      results.push({ summary: { ...summary, seconds: 0 }, rejected, data: await snapshot(store) });
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0]!.rejected.map((r) => r.where), [`${path}:18`, `${path}:121`]);
    assert.equal(results[0]!.summary.inserted, 300);
  });

  test('bulk mode writes the same store, rebuilds every index it dropped, and re-imports idempotently', async () => {
    const path = write('bulk.jsonl', records(500));
    const plain = await makeStore();
    await importFile(plain, path, { bulk: false, batchSize: 64 });
    const bulk = await makeStore();
    const indexesBefore = await indexNames(bulk);
    await importFile(bulk, path, { bulk: true, worker: true, batchSize: 64 });
    assert.deepEqual(await indexNames(bulk), indexesBefore);
    if (bulk.dialect === 'sqlite') {
      const fts = await sql<{ k: string; v: number }>`SELECT k, v FROM posts_fts_config WHERE k IN ('automerge', 'crisismerge', 'hashsize') ORDER BY k`.execute(await bulk.searchDb());
      assert.deepEqual(fts.rows.map((r) => r.v), [4, 16, 1048576], 'FTS5 merge settings restored after the import');
    }
    assert.deepEqual(await snapshot(bulk), await snapshot(plain));
    const edited = write('bulk-edited.jsonl', records(500, ' edited'));
    const again = await importFile(bulk, edited, { bulk: true, batchSize: 64 });
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 500, 0]);
    assert.equal((await bulk.search({ q: 'edited' })).total, 500);
    if (bulk.dialect === 'sqlite') assert.deepEqual((await sql`PRAGMA foreign_key_check`.execute(bulk.db)).rows, []);
  });
});

async function indexNames(store: Store): Promise<string[]> {
  if (store.dialect === 'postgres') {
    const rows = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`.execute(store.db);
    return rows.rows.map((r) => r.indexname);
  }
  const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

test('indexes deferred by an import that died are rebuilt when the store is next opened', async () => {
  const path = join(dir, 'orphan.db');
  const store = await openStore({ url: path });
  await store.ingest(sampleRecords());
  const before = await indexNames(store);
  assert.equal(store.beginBulkImport(Infinity), true);
  assert.ok((await indexNames(store)).length < before.length, 'indexes were dropped');
  await store.close();
  // Pretend the owner died: give its rows the pid of a process that has exited.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const raw = new BetterSqlite3(path);
  raw.prepare('UPDATE deferred_indexes SET owner_pid = ?').run(Number(dead.stdout.trim()));
  raw.close();
  const reopened = await openStore({ url: path });
  try {
    assert.deepEqual(await indexNames(reopened), before);
    assert.deepEqual((await sql`SELECT * FROM deferred_indexes`.execute(reopened.db)).rows, []);
  } finally {
    await reopened.close();
  }
});

test('the writer notices rows another connection changed (its upsert cache starts over)', async () => {
  const path = join(dir, 'cache.db');
  const store = await openStore({ url: path });
  try {
    const [first] = sampleRecords();
    await store.ingest([first!]);
    const other = new BetterSqlite3(path);
    other.prepare("UPDATE authors SET reputation = NULL, last_seen = '2000-01-01T00:00:00.000Z' WHERE handle = 'ZeroCool'").run();
    other.close();
    await store.ingest([first!]); // same record: only the cache would skip the author upsert
    const author = await store.db.selectFrom('authors').select(['reputation', 'last_seen']).where('handle', '=', 'ZeroCool').executeTakeFirstOrThrow();
    assert.deepEqual(author, { reputation: 120, last_seen: '2024-03-01T10:00:00.000Z' });
  } finally {
    await store.close();
  }
});

test('a bulk import killed mid-way leaves a store that a re-run completes, indexes and all', async () => {
  const path = write('crash-bulk.jsonl', records(3000));
  const db = join(dir, 'crash-bulk.db');
  const batches = await importAndKill([db, '-', path, 'bulk']);
  assert.ok(batches >= 3 && batches < 60, `killed mid-import after ${batches} batches`);
  const raw = new BetterSqlite3(db);
  const deferred = raw.prepare('SELECT count(*) AS n FROM deferred_indexes').get() as { n: number };
  raw.close();
  assert.ok(deferred.n > 0, 'the killed import had dropped indexes');
  const store = await openStore({ url: db });
  try {
    assert.deepEqual((await sql`SELECT * FROM deferred_indexes`.execute(store.db)).rows, [], 'rebuilt on open');
    // The killed import skipped upserts that only widened authors' seen ranges; the reopen
    // widened them from the posts it had committed.
    const ranges = await sql<{ n: number }>`SELECT count(*) AS n FROM authors AS a JOIN (SELECT author_id, min(posted_at) AS f, max(posted_at) AS l
      FROM posts GROUP BY author_id) AS r ON r.author_id = a.id WHERE a.first_seen IS NOT r.f OR a.last_seen IS NOT r.l`.execute(store.db);
    assert.equal(Number(ranges.rows[0]!.n), 0, 'every author spans exactly its posts after the reopen');
    // The search index's own crash recovery (a dead bulk owner) is tested in test/store/search-index.test.ts.
    const fts = await sql<{ k: string; v: number }>`SELECT k, v FROM posts_fts_config WHERE k IN ('automerge', 'crisismerge', 'hashsize') ORDER BY k`.execute(await store.searchDb());
    assert.deepEqual(fts.rows, [{ k: 'automerge', v: 4 }, { k: 'crisismerge', v: 16 }, { k: 'hashsize', v: 1048576 }], 'FTS5 defaults restored');
    const summary = await importFile(store, path, { worker: true, bulk: true, batchSize: 50 });
    assert.ok(summary.resumedAfterLine > 0, 'resumed from the checkpoint');
    const count = await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 3000);
    assert.equal((await store.search({ q: '"exploit 7"' })).total, Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 13 === 7).length);
    const fresh = await openStore({ url: join(dir, 'crash-bulk-reference.db') });
    try {
      assert.deepEqual(await indexNames(store), await indexNames(fresh));
      await importFile(fresh, path, { bulk: false, batchSize: 50 });
      assert.deepEqual(await snapshot(store), await snapshot(fresh), 'the same rows as one uninterrupted import');
    } finally {
      await fresh.close();
    }
  } finally {
    await store.close();
  }
});

test('bulk mode widens the seen range of an author whose edited post moved in time', async () => {
  const store = await openStore({ url: join(dir, 'bulk-seen.db') });
  try {
    await importFile(store, write('seen-1.jsonl', records(200)), { bulk: true, batchSize: 20 });
    const moved = records(200).map((line, i) => {
      const r = JSON.parse(line) as { posted_at: string; body_text: string };
      return JSON.stringify(i === 5 ? { ...r, posted_at: '2030-01-01T00:00:00.000Z', body_text: `${r.body_text} edited` } : r);
    });
    const summary = await importFile(store, write('seen-2.jsonl', moved), { bulk: true, batchSize: 20 });
    assert.equal(summary.updated, 1);
    const author = await store.db.selectFrom('authors').select('last_seen').where('handle', '=', 'User5').executeTakeFirstOrThrow();
    assert.equal(author.last_seen, '2030-01-01T00:00:00.000Z');
    assert.deepEqual((await sql`SELECT * FROM deferred_indexes`.execute(store.db)).rows, []);
  } finally {
    await store.close();
  }
});

describeEachStore('grouped batches', (makeStore) => {
  test('several batches in one transaction leave the same rows as one transaction each', async () => {
    const base = sampleRecords();
    const later = base.map((r, i) => ({
      ...r, post_id: `${r.post_id}-b`, posted_at: `2025-0${1 + (i % 9)}-01T00:00:00Z`, author_reputation: i === 0 ? undefined : 50 + i,
      author_joined_at: i === 1 ? '2019-01-01' : undefined,
    }));
    const earlier = base.map((r) => ({ ...r, post_id: `${r.post_id}-a`, posted_at: '2023-01-01T00:00:00Z', author_reputation: 7 }));
    const batches = () => [buildBatch(base, '2024-06-01T00:00:00.000Z'), buildBatch(later, '2024-06-01T00:00:00.000Z'), buildBatch(earlier, '2024-06-01T00:00:00.000Z')];
    const one = await makeStore();
    for (const b of batches()) await one.ingestNormalised([b]);
    const grouped = await makeStore();
    const counts = await grouped.ingestNormalised(batches());
    assert.deepEqual(counts, { inserted: 15, updated: 0, unchanged: 0 });
    const authors = (s: Store) => s.db.selectFrom('authors').select(['id', 'handle', 'joined_at', 'reputation', 'first_seen', 'last_seen']).orderBy('id').execute();
    assert.deepEqual(await authors(grouped), await authors(one));
    assert.equal((await authors(grouped)).find((a) => a.handle === 'ZeroCool')?.reputation, 7, 'the latest batch with a value wins');
  });
});

test('a run of bad rows is reported as it streams, not held until the end', async () => {
  const path = write('all-bad.jsonl', Array.from({ length: 95 }, (_, i) => `{bad ${i}`));
  const store = await openStore({ url: join(dir, 'all-bad.db') });
  try {
    const seen: number[] = [];
    let rejected = 0;
    const summary = await importFile(store, path, {
      batchSize: 10, worker: false, onRejected: () => { rejected++; }, onProgress: () => seen.push(rejected),
    });
    assert.equal(summary.rejected, 95);
    assert.deepEqual(seen, [10, 20, 30, 40, 50, 60, 70, 80, 90, 95]);
  } finally {
    await store.close();
  }
});
