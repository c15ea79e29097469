import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { UserError, errorMessage } from '../core/errors.js';
import type { DialectName } from './dialect.js';
import { restoreOrphanedIndexes } from './ingest/bulk.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export const DEFAULT_SQLITE_PATH = '.threatminer/threatminer.db';

export interface StoreConnection {
  readonly db: Kysely<Database>;
  /** The SQLite handle behind `db`, for the bulk-ingest fast path. */
  readonly sqlite?: BetterSqlite3.Database;
  readonly schema?: string | undefined;
  readonly dialect: DialectName;
  /** Where the data lives, with any password removed, for messages. */
  readonly location: string;
}

export interface OpenOptions {
  /** `postgres://…`, a SQLite file path, or `:memory:`. Default: $THREATMINER_DB or the local file. */
  readonly url?: string | undefined;
  /** PostgreSQL schema to use (tests isolate themselves with one); created when missing. */
  readonly schema?: string | undefined;
  readonly migrate?: boolean | undefined;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

export async function connect(options: OpenOptions = {}): Promise<StoreConnection> {
  const url = options.url ?? process.env.THREATMINER_DB ?? DEFAULT_SQLITE_PATH;
  let connection: StoreConnection;
  if (isPostgresUrl(url)) {
    connection = await connectPostgres(url, options.schema);
  } else {
    connection = connectSqlite(url);
  }
  if (options.migrate !== false) {
    await migrate(connection);
    // A bulk import that died left its deferred indexes unbuilt: build them now.
    if (connection.sqlite !== undefined) restoreOrphanedIndexes(connection.sqlite);
  }
  return connection;
}

/**
 * Page size of a new SQLite store: 16 KiB instead of SQLite's 4 KiB. A bulk import writes most
 * pages of the random-key id indexes in every transaction, and each page is one WAL frame (one
 * pwrite, one checksum, one page-cache slot); a quarter as many pages means a quarter as many
 * frames, B-tree splits and page faults. Measured on 300k generated posts (docs/import.md): the
 * writer thread's CPU fell from 86 to 61–68 µs per post; 32 and 64 KiB were no better.
 */
const SQLITE_PAGE_BYTES = 16_384;

/** Address space SQLite may map for reads; a larger file is read normally beyond it. */
const SQLITE_MMAP_BYTES = 4 * 1024 ** 3;

function connectSqlite(path: string): StoreConnection {
  const location = path === ':memory:' ? path : resolve(path);
  if (path !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(location);
    // Takes effect only while the file is still empty (a new store); an existing store keeps the
    // page size it was created with. See SQLITE_PAGE_BYTES.
    database.pragma(`page_size = ${SQLITE_PAGE_BYTES}`);
    database.pragma('journal_mode = WAL');
    // NORMAL with WAL keeps every committed transaction across a process crash (only an OS
    // crash can lose the last ones) and is several times faster than FULL for bulk import.
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    database.pragma('cache_size = -65536');
    // Reads through a memory map skip a read() and a copy per page: a filtered search that probes
    // ~15k posts rows at 1M posts took half the CPU time. Only address space is reserved; pages
    // stay in the OS cache, and writes still go through the WAL.
    database.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  } catch (err) {
    throw new UserError(`cannot open SQLite database ${location}: ${errorMessage(err)}`, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', location, sqlite: database };
}

async function connectPostgres(url: string, schema: string | undefined): Promise<StoreConnection> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new UserError(`invalid PostgreSQL schema name: ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new UserError(`cannot connect to PostgreSQL at ${redact(url)}: ${errorMessage(err)}`, { cause: err });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', schema, location: redact(url) + (schema ? ` (schema ${schema})` : '') };
}

async function migrate(connection: StoreConnection): Promise<void> {
  // Kysely looks for its bookkeeping tables across all schemas unless told which one is ours.
  const migrator = new Migrator({
    db: connection.db,
    provider: migrationProvider,
    ...(connection.schema === undefined ? {} : { migrationTableSchema: connection.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    throw new UserError(
      `migration ${failed?.migrationName ?? '(unknown)'} failed on ${connection.location}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}
