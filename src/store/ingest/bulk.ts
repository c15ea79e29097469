import type BetterSqlite3 from 'better-sqlite3';

/**
 * Bulk import into SQLite: the secondary indexes of posts and post_links are dropped while a
 * large file streams in and built once at the end. Each incremental insert into a random-key
 * B-tree costs a probe and often a page split (~20 µs per post over six indexes, measured); a
 * CREATE INDEX sorts instead (~5 µs per post for all of them). The unique id index stays, so
 * idempotency and conflict detection work as always; searches stay correct meanwhile (the
 * indexes only speed up filters and joins).
 *
 * Crash safety: the DROP and the row recording its DDL commit together, and the rebuild and the
 * row's deletion commit together. A process that dies in between leaves rows owned by a dead
 * pid, and the next open of the store rebuilds them (restoreOrphanedIndexes).
 */
const DEFERRED_TABLES = ['posts', 'post_links'];

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
  const record = db.prepare('INSERT INTO deferred_indexes (name, sql, owner_pid, deferred_at) VALUES (?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const index of plain) {
      record.run(index.name, index.sql, process.pid, now);
      db.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
    }
  }).immediate();
  return plain.length;
}

/** Rebuilds the indexes this process deferred. */
export function restoreOwnIndexes(db: BetterSqlite3.Database): number {
  return restore(db, (row) => row.owner_pid === process.pid);
}

/** Rebuilds indexes deferred by processes that no longer run (a crashed or killed import). */
export function restoreOrphanedIndexes(db: BetterSqlite3.Database): number {
  return restore(db, (row) => row.owner_pid !== process.pid && !isAlive(row.owner_pid));
}

function restore(db: BetterSqlite3.Database, mine: (row: DeferredIndex) => boolean): number {
  const rows = db.prepare<[], DeferredIndex>('SELECT name, sql, owner_pid FROM deferred_indexes ORDER BY name').all().filter(mine);
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Rows already in posts: max(seq) is one B-tree seek, close enough to a count for this choice. */
export function approximatePostCount(db: BetterSqlite3.Database): number {
  return db.prepare<[], number | null>('SELECT max(seq) FROM posts').pluck().get() ?? 0;
}
