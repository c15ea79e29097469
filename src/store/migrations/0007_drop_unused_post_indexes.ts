import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Two secondary indexes of posts that no query needs:
 * - posts_posted_at: posts_day_site_board (posted_at, site_id, board_id) starts with the same
 *   column, so date ranges and ORDER BY posted_at use it just as well;
 * - posts_updated_at: nothing filters or sorts posts by updated_at (the analysis pipeline walks
 *   posts by id and compares content hashes).
 * Each cost a B-tree entry per post, written on every import (rebuilt at the end of a bulk one).
 * A crashed bulk import may have recorded their DDL in deferred_indexes; those rows go too, so
 * the next open does not build them again.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
const DROPPED = ['posts_posted_at', 'posts_updated_at'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const name of DROPPED) await db.schema.dropIndex(name).ifExists().execute();
  if (dialectOf(db) === 'sqlite') await sql`DELETE FROM deferred_indexes WHERE name IN (${sql.join(DROPPED)})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('posts_posted_at').ifNotExists().on('posts').column('posted_at').execute();
  await db.schema.createIndex('posts_updated_at').ifNotExists().on('posts').column('updated_at').execute();
}
