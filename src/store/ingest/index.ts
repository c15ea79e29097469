import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { ForumRecord } from '../../core/records.js';
import type { Database } from '../schema.js';
import { writeBatchKysely } from './kysely-writer.js';
import { buildBatch, type Batch } from './normalise.js';
import { writeBatchesSqlite } from './sqlite-writer.js';
import type { BatchCounts, IngestResult } from './types.js';

export type { IngestResult, BatchCounts } from './types.js';
export type { Batch } from './normalise.js';
export { authorIdOf, buildBatch, normaliseTimestamp, postIdOf, siteIdOf } from './normalise.js';

/**
 * Writes one batch of records in a single transaction: either all of it lands or none of it.
 * Idempotent: a post whose content hash is unchanged is left alone; a changed one is updated
 * and its search entry and links replaced.
 */
export async function ingestBatch(
  db: Kysely<Database>,
  sqlite: BetterSqlite3.Database | undefined,
  records: readonly ForumRecord[],
): Promise<IngestResult> {
  const batch = buildBatch(records, new Date().toISOString());
  return { ...(await writeBatches(db, sqlite, [batch])), ids: batch.ids };
}

/**
 * Writes batches normalised elsewhere (the importer normalises in a worker thread). SQLite
 * writes them all in one transaction; PostgreSQL one transaction per batch. Either way each
 * batch lands whole or not at all.
 */
export async function writeBatches(
  db: Kysely<Database>,
  sqlite: BetterSqlite3.Database | undefined,
  batches: readonly Batch[],
): Promise<BatchCounts> {
  if (sqlite !== undefined) {
    // Hold Kysely's connection so no other query of ours can interleave with the transaction.
    return db.connection().execute(async () => writeBatchesSqlite(sqlite, batches));
  }
  const total: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const batch of batches) {
    const counts = await writeBatchKysely(db, batch);
    total.inserted += counts.inserted;
    total.updated += counts.updated;
    total.unchanged += counts.unchanged;
  }
  return total;
}
