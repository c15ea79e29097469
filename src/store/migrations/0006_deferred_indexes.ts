import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * SQLite bulk import drops the secondary indexes of posts and post_links and builds them again
 * at the end (a sort is several times cheaper than one random B-tree insert per row and index).
 * Each dropped index's DDL is recorded here, in the same transaction as the DROP, with the
 * process that dropped it: if that process dies, the next open of the store re-creates them.
 * PostgreSQL imports never drop indexes and get no table.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY, sql TEXT NOT NULL, owner_pid INTEGER NOT NULL, deferred_at TEXT NOT NULL)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`DROP TABLE IF EXISTS deferred_indexes`.execute(db);
}
