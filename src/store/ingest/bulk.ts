import type BetterSqlite3 from 'better-sqlite3';
import { isProcessAlive } from '../../core/pid.js';

/**
 * Bulk import into SQLite: the secondary indexes of posts, post_links and authors are dropped
 * while a large file streams in and built once at the end, and authors' seen ranges are widened
 * once at the end instead of by an upsert per author per transaction (authorsSeenSql). Each incremental insert into a random-key
 * B-tree costs a probe and often a page split (~20 µs per post over six indexes, measured); a
 * CREATE INDEX sorts instead (~5 µs per post for all of them). The unique id index stays, so
 * idempotency and conflict detection work as always; searches stay correct meanwhile (the
 * indexes only speed up filters and joins).
 *
 * Crash safety: the DROP and the row recording its DDL commit together, and the rebuild and the
 * row's deletion commit together. A process that dies in between leaves rows owned by a dead
 * pid, and the next open of the store rebuilds them (restoreOrphanedIndexes).
 */
const DEFERRED_TABLES = ['posts', 'post_links', 'authors'];

/** Connections in bulk mode: their writer leaves authors' seen ranges to the end (see deferIndexes). */
const seenDeferred = new WeakSet<BetterSqlite3.Database>();

/**
 * WAL pages between checkpoints for an ingesting connection. SQLite's default checkpoints every
 * 4 MiB, each with an fsync; a bulk import on a disk spent much of its time there (150k posts
 * onto disk under load: 3,215/s with the default, 4,598/s with 64 MiB). In bulk mode 256 MiB:
 * each transaction rewrites most pages of the random-key indexes (post, thread and author ids),
 * and a checkpoint copies each page once however often it was rewritten since the last one.
 * Readers are unaffected; the WAL file may grow to about this size between checkpoints.
 */
const INGEST_CHECKPOINT_PAGES = 16_384;
const BULK_CHECKPOINT_PAGES = 65_536;

/** The wal_autocheckpoint an ingesting connection should use now. */
export function ingestCheckpointPages(db: BetterSqlite3.Database): number {
  return seenDeferred.has(db) ? BULK_CHECKPOINT_PAGES : INGEST_CHECKPOINT_PAGES;
}

/** Whether this connection's writer may skip author upserts that would only widen first_seen/last_seen. */
export function authorsSeenDeferred(db: BetterSqlite3.Database): boolean {
  return seenDeferred.has(db);
}

/**
 * Widens authors' seen ranges over the posts added after `afterSeq`: one sorted pass at the end of
 * a bulk import instead of one author upsert per author per transaction. A chronological dump
 * moves almost every author's last_seen in every transaction, and those upserts (random-key
 * seeks and row rewrites, ~0.75 per post at 1M generated posts) were a fifth of the writer.
 */
export function authorsSeenSql(afterSeq: number): string {
  return `UPDATE authors SET
    first_seen = CASE WHEN authors.first_seen IS NULL OR r.f < authors.first_seen THEN r.f ELSE authors.first_seen END,
    last_seen = CASE WHEN authors.last_seen IS NULL OR r.l > authors.last_seen THEN r.l ELSE authors.last_seen END
  FROM (SELECT author_id, min(posted_at) AS f, max(posted_at) AS l FROM posts WHERE seq > ${Math.trunc(afterSeq)} GROUP BY author_id) AS r
  WHERE authors.id = r.author_id`;
}

interface DeferredIndex {
  name: string;
  sql: string;
  owner_pid: number;
}

export function deferIndexes(db: BetterSqlite3.Database): number {
  const candidates = db
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${DEFERRED_TABLES.map(() => '?').join(', ')})`,
    )
    .all(...(DEFERRED_TABLES as []));
  // A unique index enforces something; only plain lookup indexes may go missing for a while.
  const plain = candidates.filter((c) => !/^\s*CREATE\s+UNIQUE\b/i.test(c.sql));
  if (plain.length === 0) return 0;
  const record = db.prepare('INSERT INTO deferred_indexes (name, sql, owner_pid, deferred_at) VALUES (?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const index of plain) {
      record.run(index.name, index.sql, process.pid, now);
      db.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
    }
    // Deferred work that is not an index: widening the seen ranges of the authors of every post
    // this import adds. Recorded with the indexes, so a crashed import's ranges are fixed on the
    // next open like its indexes. Read inside the write transaction, so no post can slip below.
    const after = approximatePostCount(db);
    record.run(`${AUTHORS_SEEN_PREFIX}${process.pid}_${after}`, authorsSeenSql(after), process.pid, now);
  }).immediate();
  seenDeferred.add(db);
  db.pragma(`wal_autocheckpoint = ${ingestCheckpointPages(db)}`);
  return plain.length;
}

/** Rebuilds the indexes this process deferred. */
export function restoreOwnIndexes(db: BetterSqlite3.Database): number {
  if (seenDeferred.delete(db)) db.pragma(`wal_autocheckpoint = ${ingestCheckpointPages(db)}`);
  return restore(db, (row) => row.owner_pid === process.pid);
}

/** Rebuilds indexes deferred by processes that no longer run (a crashed or killed import). */
export function restoreOrphanedIndexes(db: BetterSqlite3.Database): number {
  return restore(db, (row) => row.owner_pid !== process.pid && !isProcessAlive(row.owner_pid));
}

function restore(db: BetterSqlite3.Database, mine: (row: DeferredIndex) => boolean): number {
  // Indexes first: the other deferred statements may read through them.
  const rows = db
    .prepare<[], DeferredIndex>("SELECT name, sql, owner_pid FROM deferred_indexes ORDER BY sql NOT LIKE 'CREATE %INDEX%', name")
    .all()
    .filter(mine);
  if (rows.length === 0) return 0;
  const forget = db.prepare('DELETE FROM deferred_indexes WHERE name = ?');
  // The sorter spills to temporary storage; keep it in memory and let SQLite's sorter use a
  // helper thread (the import's worker has finished by now).
  const tempStore = db.pragma('temp_store', { simple: true });
  const threads = db.pragma('threads', { simple: true });
  db.pragma('temp_store = MEMORY');
  db.pragma('threads = 2');
  try {
    db.transaction(() => {
      for (const row of rows) {
        // The DDL is what sqlite_master held; IF NOT EXISTS covers someone having re-created it.
        // Other statements (the authors' seen ranges) run as recorded.
        db.exec(row.sql.replace(/^\s*CREATE\s+INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?/i, 'CREATE INDEX IF NOT EXISTS '));
        forget.run(row.name);
      }
    }).immediate();
  } finally {
    db.pragma(`temp_store = ${Number(tempStore)}`);
    db.pragma(`threads = ${Number(threads)}`);
  }
  return rows.length;
}

const AUTHORS_SEEN_PREFIX = 'authors_seen_';

/** Rows already in posts: max(seq) is one B-tree seek, close enough to a count for this choice. */
export function approximatePostCount(db: BetterSqlite3.Database): number {
  return db.prepare<[], number | null>('SELECT max(seq) FROM posts').pluck().get() ?? 0;
}
