import type { Kysely } from 'kysely';

/**
 * Actor analysis (issue 7): cross-forum alias candidates with their evidence, and each author's
 * community from the last ranking run (so a portrait can list community members without
 * recomputing the graph). actor_scores itself is in 0001.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against a schema-less Kysely */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alias_candidates')
    .addColumn('author_a', 'text', (c) => c.notNull())
    .addColumn('author_b', 'text', (c) => c.notNull())
    .addColumn('site_a', 'text', (c) => c.notNull())
    .addColumn('site_b', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    /** JSON: { contacts: [...], handle: {...}, stylometry: {...} } */
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('analyser', 'text', (c) => c.notNull())
    .addColumn('analyser_version', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alias_candidates_pk', ['author_a', 'author_b'])
    .execute();
  await db.schema.createIndex('alias_candidates_b').on('alias_candidates').column('author_b').execute();

  await db.schema
    .createTable('actor_communities')
    .addColumn('author_id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('community', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('actor_communities_community').on('actor_communities').column('community').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('actor_communities').ifExists().execute();
  await db.schema.dropTable('alias_candidates').ifExists().execute();
}
