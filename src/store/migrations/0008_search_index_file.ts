import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite's full-text index moves out of the store into its own file, `<store>-search`, kept up to
 * date from the posts table by src/store/search-index.ts. Only one connection can write a SQLite
 * file at a time, and the index was a third of the importer's writes; in its own file it is
 * built by a second thread while the import writes posts (docs/storage.md).
 * - posts_fts goes from the store; the next search rebuilds it in the new file from posts.
 * - search_changes lists the posts whose text changed after they were first written (edits), so
 *   the index can redo them; new posts need no entry (their seq is above what was indexed).
 * - store_info holds a random id for this store, which the index file records: an index built
 *   for another store (a file replaced or restored) is rebuilt, never trusted.
 * - deferred_indexes rows that would merge the old in-store index go with it.
 * PostgreSQL keeps its tsvector column and gets nothing.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`DROP TABLE IF EXISTS posts_fts`.execute(db);
  await sql`CREATE TABLE search_changes (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)`.execute(db);
  await sql`CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
  await sql`INSERT INTO store_info (key, value) VALUES ('store_id', ${randomUUID()})`.execute(db);
  await sql`DELETE FROM deferred_indexes WHERE name LIKE 'fts_merge_%'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`DROP TABLE IF EXISTS search_changes`.execute(db);
  await sql`DROP TABLE IF EXISTS store_info`.execute(db);
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)')`.execute(db);
  await sql`INSERT INTO posts_fts (rowid, title, body) SELECT seq, coalesce(title, ''), body_text FROM posts`.execute(db);
}
