import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, type Store } from '../../src/store/index.js';
import { beginBulkIndexing, catchUpOnce, closeSearchIndex, openSearchIndex, searchIndexPath } from '../../src/store/search-index.js';
import { startBackgroundIndexing } from '../../src/store/search-indexer.js';
import type { ForumRecord } from '../../src/core/records.js';
import { sampleRecords } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tm-search-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function posts(n: number, word: string): ForumRecord[] {
  return Array.from({ length: n }, (_, i) => ({ site: 'forum', board: 'b', thread_id: `t${i % 7}`, post_id: `${word}-${i}`, author: `u${i % 5}`, body_text: `${word} number ${i}` }));
}

async function ids(store: Store, q: string): Promise<string[]> {
  return (await store.search({ q, limit: 100 })).hits.map((h) => h.id).sort();
}

function state(storePath: string): { seq_done: number; change_done: number; bulk_pid: number | null } {
  const raw = new BetterSqlite3(searchIndexPath(storePath), { readonly: true });
  try {
    return raw.prepare('SELECT seq_done, change_done, bulk_pid FROM search_state').get() as { seq_done: number; change_done: number; bulk_pid: number | null };
  } finally {
    raw.close();
  }
}

test('the full-text index lives in <store>-search, follows new posts and redoes edited ones', async () => {
  const path = join(dir, 'follow.db');
  const store = await openStore({ url: path });
  try {
    const tables = (await store.db.selectFrom('sqlite_master' as never).select('name' as never).execute()) as { name: string }[];
    assert.ok(!tables.some((t) => t.name.startsWith('posts_fts')), 'no full-text tables in the store file');
    await store.ingest(sampleRecords());
    assert.equal((await store.search({ q: 'struts' })).total, 2, 'posts ingested before the first search are found');
    assert.ok(existsSync(searchIndexPath(path)));
    await store.ingest(posts(30, 'zerodaybroker'));
    assert.equal((await store.search({ q: 'zerodaybroker' })).total, 30, 'and posts ingested after it');
    const [first] = sampleRecords();
    await store.ingest([{ ...first!, body_text: 'Replaced text about a keylogger' }]);
    assert.equal((await store.search({ q: 'keylogger' })).total, 1, 'the edit is indexed');
    assert.equal((await store.search({ q: 'struts' })).total, 1, 'and the old words of the edited post are gone');
    assert.deepEqual(state(path), { seq_done: 35, change_done: 1, bulk_pid: null });
  } finally {
    await store.close();
  }
});

test('a deleted or foreign index file is rebuilt from the store, never trusted', async () => {
  const a = join(dir, 'a.db');
  const b = join(dir, 'b.db');
  const storeA = await openStore({ url: a });
  await storeA.ingest(posts(12, 'alpha'));
  const alpha = await ids(storeA, 'alpha');
  await storeA.close();
  const storeB = await openStore({ url: b });
  await storeB.ingest(posts(9, 'bravo'));
  await storeB.close();
  // Store A's index copied over store B's: same seqs, other posts.
  copyFileSync(searchIndexPath(a), searchIndexPath(b));
  const reopenedB = await openStore({ url: b });
  try {
    assert.equal((await reopenedB.search({ q: 'alpha' })).total, 0, "A's index is not used for B");
    assert.equal((await reopenedB.search({ q: 'bravo' })).total, 9);
  } finally {
    await reopenedB.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(searchIndexPath(a) + suffix, { force: true });
  const reopenedA = await openStore({ url: a });
  try {
    assert.deepEqual(await ids(reopenedA, 'alpha'), alpha, 'a deleted index is rebuilt with the same results');
  } finally {
    await reopenedA.close();
  }
});

test('catch-up works in bounded transactions and each records how far it got', async () => {
  const path = join(dir, 'bounded.db');
  const store = await openStore({ url: path });
  await store.ingest(posts(10, 'charlie'));
  await store.close();
  const raw = new BetterSqlite3(path);
  const index = openSearchIndex(path);
  try {
    assert.deepEqual([catchUpOnce(index, 4), catchUpOnce(index, 4), catchUpOnce(index, 4), catchUpOnce(index, 4)], [4, 4, 2, 0]);
    assert.equal(state(path).seq_done, 10);
  } finally {
    closeSearchIndex(index);
    raw.close();
  }
});

test('an index whose bulk indexing died is merged and gets its settings back at the next open', async () => {
  const path = join(dir, 'bulk-died.db');
  const store = await openStore({ url: path });
  await store.ingest(posts(20, 'delta'));
  await store.close();
  const index = openSearchIndex(path);
  beginBulkIndexing(index);
  catchUpOnce(index, 100);
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  index.db.prepare('UPDATE search_state SET bulk_pid = ?').run(Number(dead.stdout.trim()));
  assert.equal(index.db.prepare("SELECT v FROM posts_fts_config WHERE k = 'automerge'").pluck().get(), 0);
  closeSearchIndex(index);
  const reopened = openSearchIndex(path);
  try {
    const config = reopened.db.prepare("SELECT k, v FROM posts_fts_config WHERE k IN ('automerge', 'crisismerge', 'hashsize') ORDER BY k").all();
    assert.deepEqual(config, [{ k: 'automerge', v: 4 }, { k: 'crisismerge', v: 16 }, { k: 'hashsize', v: 1048576 }]);
    assert.equal(state(path).bulk_pid, null);
    assert.equal(state(path).seq_done, 20, 'what it had indexed stays');
  } finally {
    closeSearchIndex(reopened);
  }
});

test('the background indexer follows an import on its own thread and reports failures', async () => {
  const path = join(dir, 'background.db');
  const store = await openStore({ url: path });
  try {
    const indexer = startBackgroundIndexing(path, true);
    for (let i = 0; i < 5; i++) await store.ingest(posts(40, `echo${i}`).map((r) => ({ ...r, body_text: `${r.body_text} wave` })));
    assert.equal(await indexer.finish(), 200);
    assert.deepEqual(state(path), { seq_done: 200, change_done: 0, bulk_pid: null });
    assert.equal((await store.search({ q: 'wave' })).total, 200);
  } finally {
    await store.close();
  }
  const missing = startBackgroundIndexing(join(dir, 'no-such-dir', 'x.db'), false);
  await assert.rejects(missing.finish(), /search index of .*no-such-dir.*x\.db/);
});

test('an in-memory store keeps its index on its own connection', async () => {
  const store = await openStore({ url: ':memory:' });
  try {
    await store.ingest(sampleRecords());
    assert.equal((await store.search({ q: 'struts' })).total, 2);
    await store.ingest(posts(3, 'foxtrot'));
    assert.equal((await store.search({ q: 'foxtrot' })).total, 3);
  } finally {
    await store.close();
  }
});

test('an index file that is not a database is named in a clear error, and the store is untouched', async () => {
  const path = join(dir, 'garbage.db');
  const store = await openStore({ url: path });
  try {
    await store.ingest(posts(4, 'golf'));
    writeFileSync(searchIndexPath(path), 'not a database at all, just text '.repeat(200));
    await assert.rejects(store.search({ q: 'golf' }), (err: Error) => err.message.includes(searchIndexPath(path)) && /delete it/.test(err.message));
    assert.equal(Number((await store.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 4);
  } finally {
    await store.close();
  }
  rmSync(searchIndexPath(path));
  const reopened = await openStore({ url: path });
  try {
    assert.equal((await reopened.search({ q: 'golf' })).total, 4, 'rebuilt once the file is deleted');
  } finally {
    await reopened.close();
  }
});
