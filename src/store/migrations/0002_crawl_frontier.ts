import type { Kysely } from 'kysely';

/**
 * The crawler's frontier: one row per URL per site, with its fetch state. Persisting it makes a
 * crawl resumable after a crash (pending rows are picked up again) and incremental (done rows
 * keep their ETag / Last-Modified / content hash and the listing hint that says whether a thread
 * changed).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('crawl_frontier')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('board', 'text')
    .addColumn('hint', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('discovered_at', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crawl_frontier_pk', ['site_id', 'url'])
    .execute();
  await db.schema.createIndex('crawl_frontier_state').on('crawl_frontier').columns(['site_id', 'state', 'depth']).execute();
  await db.schema.createIndex('crawl_frontier_group').on('crawl_frontier').columns(['site_id', 'group_key']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('crawl_frontier').execute();
}
