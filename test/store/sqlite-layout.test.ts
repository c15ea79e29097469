import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { authorsSeenSql } from '../../src/store/ingest/bulk.js';
import { openStore } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';

function tempDir(): { dir: string; [Symbol.dispose]: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tm-layout-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens the store once (creating or migrating it), closes it, and inspects the file read-only. */
async function inspectAfterOpen(path: string, check: (raw: BetterSqlite3.Database) => void): Promise<void> {
  await (await openStore({ url: path })).close();
  const raw = new BetterSqlite3(path, { readonly: true });
  try {
    check(raw);
  } finally {
    raw.close();
  }
}

const indexesOf = (raw: BetterSqlite3.Database, table: string): string[] =>
  raw.prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").all(table).map((r) => r.name);

test('a new SQLite store uses 16 KiB pages', async () => {
  using tmp = tempDir();
  await inspectAfterOpen(join(tmp.dir, 'new.db'), (raw) => {
    assert.equal(raw.pragma('page_size', { simple: true }), 16_384);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  });
});

test('an existing store keeps its page size and its data', async () => {
  using tmp = tempDir();
  const path = join(tmp.dir, 'old.db');
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL'); // SQLite's default 4 KiB pages, fixed from here on
  raw.exec("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here');");
  raw.close();
  await inspectAfterOpen(path, (reopened) => {
    assert.equal(reopened.pragma('page_size', { simple: true }), 4096);
    assert.equal(reopened.prepare('SELECT v FROM kept').pluck().get(), 'still here');
  });
});

test('migration 0007 drops the posts indexes no query needs and their deferred rebuilds, and makes the author index cover posted_at', async () => {
  using tmp = tempDir();
  const path = join(tmp.dir, 'store.db');
  const raw = new BetterSqlite3(path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0006_deferred_indexes');
  assert.equal(error, undefined);
  assert.ok(indexesOf(raw, 'posts').includes('posts_posted_at'));
  // As a bulk import that crashed would have left it: the index dropped, its DDL recorded.
  raw.exec('DROP INDEX posts_updated_at');
  raw.prepare('INSERT INTO deferred_indexes (name, sql, owner_pid, deferred_at) VALUES (?, ?, ?, ?)').run('posts_updated_at', 'CREATE INDEX "posts_updated_at" on "posts" ("updated_at")', 2 ** 22 + 1, 'then');
  await db.destroy();

  await inspectAfterOpen(path, (store) => {
    assert.deepEqual(indexesOf(store, 'posts'), ['posts_author_posted', 'posts_day_site_board', 'posts_site_id', 'posts_thread_id']);
    assert.equal(store.prepare('SELECT count(*) FROM deferred_indexes').pluck().get(), 0);
    // Date ranges and date order still read an index: the composite one that starts with posted_at.
    const plan = store.prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM posts WHERE posted_at >= '2024-01-01' ORDER BY posted_at DESC LIMIT 20").all();
    assert.match(plan.map((p) => p.detail).join('\n'), /USING (?:COVERING )?INDEX posts_day_site_board/);
    // The end of a bulk import reads each author's first and last post from the index alone.
    const seen = store.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${authorsSeenSql(0)}`).all();
    assert.match(seen.map((p) => p.detail).join('\n'), /USING COVERING INDEX posts_author_posted/);
  });
});
