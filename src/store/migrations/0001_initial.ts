import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);

  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('base_url', 'text')
    .addColumn('engine', 'text')
    .addColumn('language', 'text')
    .addColumn('network', 'text')
    .addColumn('kind', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('boards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_name', 'text')
    .addColumn('url', 'text')
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id'))
    .addColumn('external_id', 'text')
    .addColumn('title', 'text')
    .addColumn('url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('authors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text')
    .addColumn('post_count', 'integer')
    .addColumn('reputation', 'real')
    .addColumn('profile_url', 'text')
    .addColumn('first_seen', 'text')
    .addColumn('last_seen', 'text')
    .execute();
  await db.schema.createIndex('authors_site_handle').on('authors').columns(['site_id', 'handle']).execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id'))
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('authors.id'))
    .addColumn('external_id', 'text')
    .addColumn('posted_at', 'text')
    .addColumn('posted_at_raw', 'text')
    .addColumn('title', 'text')
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('code_blocks', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['site_id', 'thread_id', 'author_id', 'posted_at', 'updated_at'] as const) {
    await db.schema.createIndex(`posts_${column}`).on('posts').column(column).execute();
  }

  await db.schema
    .createTable('post_links')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_external_id', 'text', (c) => c.notNull())
    .addColumn('target_post_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_links_pk', ['post_id', 'kind', 'target_external_id'])
    .execute();
  await db.schema.createIndex('post_links_target').on('post_links').column('target_post_id').execute();

  const provenance = <T extends { addColumn: (...args: any[]) => T }>(table: T): T =>
    table
      .addColumn('analyser', 'text', (c: any) => c.notNull())
      .addColumn('analyser_version', 'text', (c: any) => c.notNull())
      .addColumn('model_version', 'text')
      .addColumn('created_at', 'text', (c: any) => c.notNull());

  await provenance(
    db.schema
      .createTable('post_languages')
      .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('confidence', 'real', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('post_languages_post').on('post_languages').column('post_id').execute();
  await db.schema.createIndex('post_languages_language').on('post_languages').column('language').execute();

  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  await provenance(
    db.schema
      .createTable('entities')
      .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('start', 'integer', (c) => c.notNull())
      .addColumn('end', 'integer', (c) => c.notNull())
      .addColumn('defanged', 'integer', (c) => c.notNull())
      .addColumn('context', 'text')
      .addColumn('flags', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('entities_post').on('entities').column('post_id').execute();
  await db.schema.createIndex('entities_value').on('entities').columns(['value', 'type']).execute();
  await db.schema.createIndex('entities_type').on('entities').column('type').execute();

  await provenance(
    db.schema
      .createTable('exploit_labels')
      .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('confidence', 'real', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('exploit_labels_post').on('exploit_labels').column('post_id').execute();
  await db.schema.createIndex('exploit_labels_label').on('exploit_labels').column('label').execute();

  await provenance(
    db.schema
      .createTable('events')
      .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('confidence', 'real', (c) => c.notNull())
      .addColumn('trigger', 'text')
      .addColumn('arguments', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('events_post').on('events').column('post_id').execute();

  await db.schema
    .createTable('actor_scores')
    .addColumn('author_id', 'text', (c) => c.primaryKey().references('authors.id'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('breakdown', 'text', (c) => c.notNull())
    .addColumn('analyser', 'text', (c) => c.notNull())
    .addColumn('analyser_version', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text')
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('post_id', 'text')
    .addColumn('entity_value', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .execute();

  await db.schema
    .createTable('analysis_state')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('analyser', 'text', (c) => c.notNull())
    .addColumn('analyser_version', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('analysed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('analysis_state_pk', ['analyser', 'post_id'])
    .execute();

  await db.schema
    .createTable('import_checkpoints')
    .addColumn('source_key', 'text', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('rows_ok', 'integer', (c) => c.notNull())
    .addColumn('rows_bad', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // Full-text search. The index is fed by the ingest code with CJK-segmented text (see
  // src/store/search-text.ts), so both engines find Chinese words without a CJK tokenizer.
  if (dialect === 'sqlite') {
    // Explicit INTEGER PRIMARY KEY: an implicit rowid of `posts` could be renumbered by VACUUM.
    await sql`CREATE TABLE post_search_ids (seq INTEGER PRIMARY KEY, post_id TEXT NOT NULL UNIQUE)`.execute(db);
    await sql`CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
    // Title matches weigh double; set as the index's rank so ORDER BY rank stays optimised.
    await sql`INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)')`.execute(db);
  } else {
    await sql`ALTER TABLE posts ADD COLUMN search tsvector`.execute(db);
    await sql`CREATE INDEX posts_search ON posts USING gin (search)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = ['api_keys', 'import_checkpoints', 'analysis_state', 'alerts', 'actor_scores', 'events', 'exploit_labels', 'entities', 'post_languages', 'post_links', 'posts', 'authors', 'threads', 'boards', 'sites'];
  if (dialectOf(db) === 'sqlite') {
    await sql`DROP TABLE IF EXISTS posts_fts`.execute(db);
    await sql`DROP TABLE IF EXISTS post_search_ids`.execute(db);
  }
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}
