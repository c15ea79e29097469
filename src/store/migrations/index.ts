import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_crawl_frontier.js';
import * as m0003 from './0003_actors.js';
import * as m0004 from './0004_sessions_watchlists.js';
import * as m0005 from './0005_posts_seq.js';
import * as m0006 from './0006_deferred_indexes.js';
import * as m0007 from './0007_posts_indexes.js';
import * as m0008 from './0008_search_index_file.js';

/**
 * Migrations in order. A static list (not a directory scan) so they work from source, from the
 * compiled package and from a bundle alike. Append new ones; never edit a released one.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_crawl_frontier': m0002,
  '0003_actors': m0003,
  '0004_sessions_watchlists': m0004,
  '0005_posts_seq': m0005,
  '0006_deferred_indexes': m0006,
  '0007_posts_indexes': m0007,
  '0008_search_index_file': m0008,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
