import { sql, type Kysely, type Transaction } from 'kysely';
import { chunks } from '../../core/chunks.js';
import type { Database } from '../schema.js';
import { searchText, type Batch, type NormalisedPost } from './normalise.js';
import type { BatchCounts } from './types.js';

/**
 * The portable writer (used for PostgreSQL): multi-row statements through Kysely, one
 * transaction per batch.
 */
const POST_CHUNK = 400; // 18 columns × 400 rows stays far below PostgreSQL's parameter limit

export async function writeBatchKysely(db: Kysely<Database>, batch: Batch): Promise<BatchCounts> {
  return db.transaction().execute(async (trx) => {
    await upsertContext(trx, batch);
    const existing = new Map<string, string>();
    const allIds = [...batch.posts.keys()];
    for (const ids of chunks(allIds, 900)) {
      const rows = await trx.selectFrom('posts').select(['id', 'content_hash']).where('id', 'in', ids).execute();
      for (const row of rows) existing.set(row.id, row.content_hash);
    }
    const fresh: NormalisedPost[] = [];
    const changed: NormalisedPost[] = [];
    for (const post of batch.posts.values()) {
      const hash = existing.get(post.row.id);
      if (hash === undefined) fresh.push(post);
      else if (hash !== post.row.content_hash) changed.push(post);
    }
    for (const chunk of chunks(fresh, POST_CHUNK)) {
      await trx.insertInto('posts').values(chunk.map((p) => ({ ...p.row, search: tsvectorOf(p) }))).execute();
    }
    for (const post of changed) {
      const { id, imported_at: _keepFirstImportTime, ...rest } = post.row;
      void _keepFirstImportTime;
      await trx.updateTable('posts').set({ ...rest, search: tsvectorOf(post) }).where('id', '=', id).execute();
    }
    for (const ids of chunks(changed.map((p) => p.row.id), 500)) await trx.deleteFrom('post_links').where('post_id', 'in', ids).execute();
    const links = [...fresh, ...changed].flatMap((p) => p.links);
    for (const chunk of chunks(links, 500)) await trx.insertInto('post_links').values(chunk).onConflict((oc) => oc.doNothing()).execute();
    return { inserted: fresh.length, updated: changed.length, unchanged: batch.posts.size - fresh.length - changed.length };
  });
}

function tsvectorOf(post: NormalisedPost) {
  const { title, body } = searchText(post);
  return sql<unknown>`setweight(to_tsvector('simple', ${title}), 'A') || to_tsvector('simple', ${body})`;
}

async function upsertContext(trx: Transaction<Database>, batch: Batch): Promise<void> {
  for (const chunk of chunks(batch.sites, 500)) {
    await trx.insertInto('sites').values(chunk).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        base_url: eb.fn.coalesce('excluded.base_url', 'sites.base_url'),
        engine: eb.fn.coalesce('excluded.engine', 'sites.engine'),
        language: eb.fn.coalesce('excluded.language', 'sites.language'),
        network: eb.fn.coalesce('excluded.network', 'sites.network'),
        kind: eb.fn.coalesce('excluded.kind', 'sites.kind'),
      })),
    ).execute();
  }
  for (const chunk of chunks(batch.boards, 500)) {
    await trx.insertInto('boards').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  for (const chunk of chunks(batch.threads, 500)) {
    await trx.insertInto('threads').values(chunk).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        title: eb.fn.coalesce('threads.title', 'excluded.title'),
        url: eb.fn.coalesce('threads.url', 'excluded.url'),
      })),
    ).execute();
  }
  for (const chunk of chunks(batch.authors, 500)) {
    await trx.insertInto('authors').values(chunk).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        joined_at: eb.fn.coalesce('excluded.joined_at', 'authors.joined_at'),
        post_count: eb.fn.coalesce('excluded.post_count', 'authors.post_count'),
        reputation: eb.fn.coalesce('excluded.reputation', 'authors.reputation'),
        profile_url: eb.fn.coalesce('excluded.profile_url', 'authors.profile_url'),
        first_seen: sql<string | null>`${sql.raw(FIRST_SEEN)}`,
        last_seen: sql<string | null>`${sql.raw(LAST_SEEN)}`,
      })),
    ).execute();
  }
}

/** Upsert expressions shared with the SQLite writer: both engines accept them verbatim. */
export const FIRST_SEEN = 'CASE WHEN authors.first_seen IS NULL OR excluded.first_seen < authors.first_seen THEN excluded.first_seen ELSE authors.first_seen END';
export const LAST_SEEN = 'CASE WHEN authors.last_seen IS NULL OR excluded.last_seen > authors.last_seen THEN excluded.last_seen ELSE authors.last_seen END';
