import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { ForumRecord } from '../../core/records.js';
import type { Database } from '../schema.js';
import { writeBatchKysely } from './kysely-writer.js';
import { buildBatch } from './normalise.js';
import { writeBatchSqlite } from './sqlite-writer.js';
import type { IngestResult } from './types.js';

export type { IngestResult } from './types.js';
export { authorIdOf, normaliseTimestamp, postIdOf, siteIdOf } from './normalise.js';

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
  if (sqlite !== undefined) {
    // Hold Kysely's connection so no other query of ours can interleave with the transaction.
    const counts = await db.connection().execute(async () => writeBatchSqlite(sqlite, batch));
    return { ...counts, ids: batch.ids };
  }
  return { ...(await writeBatchKysely(db, batch)), ids: batch.ids };
}
