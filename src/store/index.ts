import { Kysely, SqliteDialect } from 'kysely';
import type { ForumRecord } from '../core/records.js';
import type { DialectName } from './dialect.js';
import type BetterSqlite3 from 'better-sqlite3';
import { approximatePostCount, deferIndexes, restoreOwnIndexes } from './ingest/bulk.js';
import { ingestBatch, writeBatches, type Batch, type BatchCounts, type IngestResult } from './ingest/index.js';
import { connect, type OpenOptions } from './open.js';
import type { Database } from './schema.js';
import { searchPosts, type SearchParams, type SearchResult } from './search.js';
import { catchUp, openSearchIndex, type SearchIndex } from './search-index.js';
import { startBackgroundIndexing, type BackgroundIndexer } from './search-indexer.js';

export type { Database } from './schema.js';
export type { DialectName } from './dialect.js';
export type { Batch, BatchCounts, IngestResult } from './ingest/index.js';
export type { SearchHit, SearchParams, SearchResult } from './search.js';
export { DEFAULT_SQLITE_PATH, isPostgresUrl, type OpenOptions } from './open.js';

/**
 * The store: one typed Kysely handle over SQLite or PostgreSQL plus the operations whose SQL
 * differs between them. Everything else queries `store.db` directly with Kysely.
 */
export class Store {
  /** SQLite: the full-text index's connection and its Kysely, opened at the first search. */
  private searchIndex: { index: SearchIndex; db: Kysely<Database> } | undefined;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: DialectName,
    readonly location: string,
    private readonly sqlite: BetterSqlite3.Database | undefined,
  ) {}

  static async open(options: OpenOptions = {}): Promise<Store> {
    const connection = await connect(options);
    return new Store(connection.db, connection.dialect, connection.location, connection.sqlite);
  }

  /** Writes a batch of records in one transaction; idempotent. */
  ingest(records: readonly ForumRecord[]): Promise<IngestResult> {
    return ingestBatch(this.db, this.sqlite, records);
  }

  /** Writes batches already normalised (by `buildBatch`, possibly in a worker thread). */
  ingestNormalised(batches: readonly Batch[]): Promise<BatchCounts> {
    return writeBatches(this.db, this.sqlite, batches);
  }

  /**
   * Before a large import: on SQLite, when the import will add at least `BULK_MIN_ROWS` rows and
   * at least half as many as the store holds, drop the secondary indexes of posts and post_links
   * until `endBulkImport` (see ingest/bulk.ts). Returns whether it did. PostgreSQL: never.
   */
  beginBulkImport(expectedRows: number): boolean {
    if (this.sqlite === undefined || expectedRows < BULK_MIN_ROWS) return false;
    if (expectedRows * 2 < approximatePostCount(this.sqlite)) return false;
    return deferIndexes(this.sqlite) > 0;
  }

  /** Rebuilds what `beginBulkImport` deferred; safe to call when nothing was. */
  endBulkImport(): void {
    if (this.sqlite !== undefined) restoreOwnIndexes(this.sqlite);
  }

  /**
   * Searches posts. On SQLite the full-text index (its own file, see search-index.ts) is first
   * brought up to date with every post committed so far.
   */
  async search(params: SearchParams): Promise<SearchResult> {
    return searchPosts(await this.searchDb(), this.dialect, params);
  }

  /**
   * SQLite: the connection searches run on (posts_fts and every store table), after indexing any
   * posts the full-text index has not seen. PostgreSQL: `db`.
   */
  async searchDb(): Promise<Kysely<Database>> {
    const sqlite = this.sqlite;
    if (sqlite === undefined) return this.db;
    const current = () => {
      const search = this.openSearch(sqlite);
      catchUp(search.index);
      return search.db;
    };
    // An in-memory store's index shares the store's connection: use it while Kysely holds it.
    return this.location === ':memory:' ? this.db.connection().execute(async () => current()) : current();
  }

  /**
   * SQLite file stores: indexes committed posts on a worker thread while a large import writes
   * more (`finish()` once it has committed the last). Null when there is nothing to run apart.
   */
  startSearchIndexing(bulk: boolean): BackgroundIndexer | null {
    if (this.sqlite === undefined || this.location === ':memory:') return null;
    return startBackgroundIndexing(this.location, bulk);
  }

  private openSearch(sqlite: BetterSqlite3.Database): { index: SearchIndex; db: Kysely<Database> } {
    if (this.searchIndex === undefined) {
      const index = openSearchIndex(this.location, sqlite);
      const db = index.ownsConnection ? new Kysely<Database>({ dialect: new SqliteDialect({ database: index.db }) }) : this.db;
      this.searchIndex = { index, db };
    }
    return this.searchIndex;
  }

  async close(): Promise<void> {
    if (this.searchIndex?.index.ownsConnection) await this.searchIndex.db.destroy();
    this.searchIndex = undefined;
    await this.db.destroy();
  }
}

/** Below this many rows the incremental index inserts cost less than rebuilding the indexes. */
export const BULK_MIN_ROWS = 20_000;

export function openStore(options: OpenOptions = {}): Promise<Store> {
  return Store.open(options);
}
