import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/index.js';
import type { Database } from '../../src/store/schema.js';

/** A database written before migration 0005 (posts keyed by text id, FTS rowids in a side table) upgrades in place. */
test('migration 0005 keeps every post, its FTS rowid and its references', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tm-mig-'));
  const path = join(dir, 'old.db');
  try {
    const raw = new BetterSqlite3(path);
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0004_sessions_watchlists');
    assert.equal(error, undefined);
    raw.exec(`INSERT INTO sites (id, name, created_at) VALUES ('s1', 'forum', 'now');
      INSERT INTO boards (id, site_id, name) VALUES ('b1', 's1', 'board');
      INSERT INTO threads (id, site_id, board_id, created_at) VALUES ('t1', 's1', 'b1', 'now');
      INSERT INTO authors (id, site_id, handle) VALUES ('a1', 's1', 'alice');`);
    const insertPost = raw.prepare(`INSERT INTO posts (id, site_id, board_id, thread_id, author_id, body_text, code_blocks, attachments, content_hash, imported_at, updated_at, posted_at)
      VALUES (?, 's1', 'b1', 't1', 'a1', ?, '[]', '[]', ?, 'now', 'now', ?)`);
    // FTS rowids deliberately not in insertion order, as after edits re-indexed a post.
    const posts = [['p1', 'selling fresh access', 7], ['p2', 'buying exploit kits', 3], ['p3', 'selling exploit', 12]] as const;
    for (const [id, body, seq] of posts) {
      insertPost.run(id, body, `h-${id}`, '2024-01-01T00:00:00.000Z');
      raw.prepare('INSERT INTO post_search_ids (seq, post_id) VALUES (?, ?)').run(seq, id);
      raw.prepare('INSERT INTO posts_fts (rowid, title, body) VALUES (?, ?, ?)').run(seq, '', body);
    }
    raw.exec(`INSERT INTO post_links (post_id, kind, target_external_id, target_post_id) VALUES ('p3', 'quote', 'x', 'p1');
      INSERT INTO exploit_labels (post_id, label, confidence, evidence, analyser, analyser_version, model_version, created_at)
      VALUES ('p2', 'remote', 0.9, '{}', 'exploits', '1', 'm', 'now');`);
    await db.destroy();

    const store = await openStore({ url: path });
    try {
      const rows = await store.db.selectFrom('posts').select(['id', 'seq']).orderBy('id').execute();
      assert.deepEqual(rows, [{ id: 'p1', seq: 7 }, { id: 'p2', seq: 3 }, { id: 'p3', seq: 12 }]);
      const hits = await store.search({ q: 'exploit' });
      assert.deepEqual(hits.hits.map((h) => h.id).sort(), ['p2', 'p3']);
      assert.equal((await store.search({ q: 'selling', author: 'alice' })).total, 2);
      const tables = await store.db.introspection.getTables();
      assert.ok(!tables.some((t) => t.name === 'post_search_ids'));
      assert.equal((await store.db.selectFrom('exploit_labels').select('post_id').executeTakeFirstOrThrow()).post_id, 'p2');
      // New posts continue after the highest seq and are searchable; foreign keys are enforced again.
      await store.ingest([{ site: 'other', board: 'board', thread_id: 't9', post_id: '9', author: 'bob', body_text: 'selling loaders' }]);
      const fresh = await store.db.selectFrom('posts').select('seq').where('body_text', '=', 'selling loaders').executeTakeFirstOrThrow();
      assert.equal(fresh.seq, 13);
      assert.equal((await store.search({ q: 'loaders' })).total, 1);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
