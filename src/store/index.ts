import type { Kysely } from 'kysely';
import type { ForumRecord } from '../core/records.js';
import type { DialectName } from './dialect.js';
import type BetterSqlite3 from 'better-sqlite3';
import { ingestBatch, type IngestResult } from './ingest/index.js';
import { connect, type OpenOptions } from './open.js';
import type { Database } from './schema.js';
import { searchPosts, type SearchParams, type SearchResult } from './search.js';

export type { Database } from './schema.js';
export type { DialectName } from './dialect.js';
export type { IngestResult } from './ingest/index.js';
export type { SearchHit, SearchParams, SearchResult } from './search.js';
export { DEFAULT_SQLITE_PATH, isPostgresUrl, type OpenOptions } from './open.js';

/**
 * The store: one typed Kysely handle over SQLite or PostgreSQL plus the operations whose SQL
 * differs between them. Everything else queries `store.db` directly with Kysely.
 */
export class Store {
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

  search(params: SearchParams): Promise<SearchResult> {
    return searchPosts(this.db, this.dialect, params);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

export function openStore(options: OpenOptions = {}): Promise<Store> {
  return Store.open(options);
}
