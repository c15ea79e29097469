import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Posts get a stable integer sequence number, the SQLite full-text index's rowid. Until now a
 * side table (post_search_ids) mapped post ids to FTS rowids: one more row and one more random-key
 * index per imported post, and one more join per search match. SQLite cannot add an INTEGER
 * PRIMARY KEY to a table, so it rebuilds `posts` (the documented 12-step ALTER), keeping every
 * post's existing FTS rowid as its seq so the index stays valid. PostgreSQL gets the same column
 * for parity (insertion order), filled for existing rows by the sequence.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE posts ADD COLUMN seq bigserial`.execute(db);
    await sql`CREATE UNIQUE INDEX posts_seq ON posts (seq)`.execute(db);
    return;
  }
  // SQLite runs migrations outside a transaction; foreign keys must be off while `posts` is
  // swapped (PRAGMA foreign_keys is ignored inside a transaction), and are checked before commit.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql`CREATE TABLE posts_next (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        site_id TEXT NOT NULL REFERENCES sites (id),
        board_id TEXT NOT NULL REFERENCES boards (id),
        thread_id TEXT NOT NULL REFERENCES threads (id),
        author_id TEXT NOT NULL REFERENCES authors (id),
        external_id TEXT, posted_at TEXT, posted_at_raw TEXT, title TEXT,
        body_text TEXT NOT NULL, body_html TEXT, code_blocks TEXT NOT NULL, attachments TEXT NOT NULL, url TEXT,
        content_hash TEXT NOT NULL, imported_at TEXT NOT NULL, updated_at TEXT NOT NULL)`.execute(trx);
      // Posts that somehow lack an FTS rowid get a fresh seq (NULL into INTEGER PRIMARY KEY)
      // and are re-indexed below.
      await sql`INSERT INTO posts_next (seq, id, site_id, board_id, thread_id, author_id, external_id, posted_at, posted_at_raw, title,
          body_text, body_html, code_blocks, attachments, url, content_hash, imported_at, updated_at)
        SELECT s.seq, p.id, p.site_id, p.board_id, p.thread_id, p.author_id, p.external_id, p.posted_at, p.posted_at_raw, p.title,
          p.body_text, p.body_html, p.code_blocks, p.attachments, p.url, p.content_hash, p.imported_at, p.updated_at
        FROM posts AS p LEFT JOIN post_search_ids AS s ON s.post_id = p.id ORDER BY s.seq NULLS LAST`.execute(trx);
      const unindexed = await sql<{ seq: number; title: string | null; body_text: string }>`
        SELECT seq, title, body_text FROM posts_next WHERE seq NOT IN (SELECT seq FROM post_search_ids)`.execute(trx);
      await sql`DROP TABLE posts`.execute(trx);
      await sql`DROP TABLE post_search_ids`.execute(trx);
      await sql`ALTER TABLE posts_next RENAME TO posts`.execute(trx);
      for (const column of ['site_id', 'thread_id', 'author_id', 'posted_at', 'updated_at']) {
        await sql`CREATE INDEX ${sql.raw(`posts_${column}`)} ON posts (${sql.raw(column)})`.execute(trx);
      }
      await sql`CREATE INDEX posts_day_site_board ON posts (posted_at, site_id, board_id)`.execute(trx);
      if (unindexed.rows.length > 0) {
        const { textForIndex } = await import('../search-text.js');
        for (const row of unindexed.rows) {
          await sql`INSERT INTO posts_fts (rowid, title, body) VALUES (${row.seq}, ${textForIndex(row.title)}, ${textForIndex(row.body_text)})`.execute(trx);
        }
      }
      const broken = await sql`PRAGMA foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`foreign key check failed after rebuilding posts: ${JSON.stringify(broken.rows.slice(0, 3))}`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('0005_posts_seq cannot be reverted: restore a backup taken before the upgrade');
}
