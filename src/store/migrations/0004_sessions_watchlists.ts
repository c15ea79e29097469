import type { Kysely } from 'kysely';

/**
 * The web dashboard (issue 8): browser sessions (an analyst pastes an API key once; the browser
 * then holds only an HttpOnly cookie whose SHA-256 is stored here, never the key), watchlists of
 * an organisation's assets, and saved searches.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  // The overview's volumes per day, site and board read only this index (no row lookups into
  // the wide posts rows): 5-10x faster on 100k posts.
  await db.schema.createIndex('posts_day_site_board').on('posts').columns(['posted_at', 'site_id', 'board_id']).execute();

  await db.schema
    .createTable('web_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_key').on('web_sessions').column('key_id').execute();
  await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute();

  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('watchlist_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watchlist_id', 'text', (c) => c.notNull())
    /** domain | cidr | product | brand | cve */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watchlist_items_list').on('watchlist_items').column('watchlist_id').execute();

  await db.schema
    .createTable('saved_searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON object of search parameters (q, site, board, author, since, until, label, has_indicator) */
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['saved_searches', 'watchlist_items', 'watchlists', 'web_sessions']) await db.schema.dropTable(table).ifExists().execute();
  await db.schema.dropIndex('posts_day_site_board').ifExists().execute();
}
