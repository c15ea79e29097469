import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { UserError, errorMessage } from '../core/errors.js';
import { MAX_INDEXED_CHARS, ftsTextFor } from './search-text.js';
import { isProcessAlive } from '../core/pid.js';

/**
 * SQLite's full-text index, kept in a file of its own next to the store (`<store>-search`) and
 * brought up to date from the posts table. SQLite lets one connection write a file at a time;
 * with the index in the store, the importer's single writer spent a third of its time on it
 * (docs/import.md). In its own file a second thread indexes the posts the importer has committed
 * while it writes the next ones.
 *
 * The index is derived data: it records how far it has got (the last post `seq` indexed and the
 * last entry of the store's `search_changes` redone) in the same transaction as the index rows,
 * so a crash at any point leaves it consistent with some earlier state of the store, and the
 * next catch-up continues from there. A missing, foreign (another store's id) or impossible
 * (ahead of the store) index file is rebuilt from posts.
 *
 * The connection opens the index file as `main` and attaches the store as `store`: searches and
 * catch-ups name tables unqualified and SQLite finds them in either. Catch-up transactions begin
 * with a write to the index file, so they lock that file only and never block the importer.
 * A `:memory:` store cannot be attached from a second connection; its index is an attached
 * in-memory database on the store's own connection instead.
 */
export interface SearchIndex {
  /** The connection searches run on (the index file with the store attached, or the store's own). */
  readonly db: BetterSqlite3.Database;
  /** Whether `db` belongs to the index (closed with it) rather than to the store. */
  readonly ownsConnection: boolean;
}

/** Suffix of the index file: `threatminer.db` → `threatminer.db-search` (with its own -wal and -shm). */
export const SEARCH_FILE_SUFFIX = '-search';

/** Bumped when the index's layout changes; a file with another version is rebuilt. */
const INDEX_VERSION = 1;

/** FTS5 settings while a bulk import is indexed: one segment per transaction, no merging until the end. */
const FTS_BULK = { automerge: 0, crisismerge: 64, hashsize: 64 * 1024 * 1024 } as const;
const FTS_DEFAULTS = { automerge: 4, crisismerge: 16, hashsize: 1024 * 1024 } as const;

export function searchIndexPath(storePath: string): string {
  return storePath + SEARCH_FILE_SUFFIX;
}

/**
 * Opens the search index of the store at `storePath` (an absolute path, or ':memory:' with the
 * store's connection), creating or rebuilding it when needed. It is not brought up to date:
 * call catchUp.
 */
export function openSearchIndex(storePath: string, storeDb?: BetterSqlite3.Database): SearchIndex {
  let index: SearchIndex;
  if (storePath === ':memory:') {
    if (storeDb === undefined) throw new Error('an in-memory store has no search index file; pass its connection');
    if (!storeDb.prepare<[], { name: string }>('PRAGMA database_list').all().some((d) => d.name === 'search')) {
      storeDb.exec("ATTACH DATABASE ':memory:' AS search");
    }
    index = { db: storeDb, ownsConnection: false };
    registerFunctions(storeDb);
    ensureSchema(index, 'search');
    return index;
  }
  const path = searchIndexPath(storePath);
  let opened: BetterSqlite3.Database | undefined;
  let db: BetterSqlite3.Database;
  try {
    db = opened = new BetterSqlite3(path);
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('cache_size = -65536');
    db.pragma(`mmap_size = ${4 * 1024 ** 3}`);
    db.prepare('ATTACH DATABASE ? AS store').run(storePath);
    // Cache and memory map are per schema: the attached store would otherwise get SQLite's
    // 2 MB default cache and no map, and every search reads its posts rows.
    db.pragma('store.cache_size = -65536');
    db.pragma(`store.mmap_size = ${4 * 1024 ** 3}`);
  } catch (err) {
    opened?.close();
    throw new UserError(`cannot open the search index ${path}: ${errorMessage(err)} (it holds nothing else: delete it and the next search rebuilds it from the store)`, { cause: err });
  }
  index = { db, ownsConnection: true };
  registerFunctions(db);
  try {
    ensureSchema(index, 'main');
  } catch (err) {
    db.close();
    throw err;
  }
  return index;
}

export function closeSearchIndex(index: SearchIndex): void {
  if (index.ownsConnection && index.db.open) index.db.close();
}

function registerFunctions(db: BetterSqlite3.Database): void {
  // What FTS5 indexes for a title or body: ASCII as it is, other text through textForIndex
  // (CJK split into characters), exactly as the importer prepared it before (search-text.ts).
  db.function('index_text', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? (ftsTextFor(text) ?? text) : ''));
}

interface IndexState {
  store_id: string;
  seq_done: number;
  change_done: number;
  bulk_pid: number | null;
}

function ensureSchema(index: SearchIndex, schema: 'main' | 'search'): void {
  const { db } = index;
  const storeId = db.prepare<[], string>("SELECT value FROM store_info WHERE key = 'store_id'").pluck().get();
  if (storeId === undefined) throw new UserError('the store has no id (store_info); run its migrations first');
  const version = db.pragma(`${schema}.user_version`, { simple: true });
  const hasState = db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = 'search_state'`).get() !== undefined;
  let state = hasState ? readState(db) : undefined;
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM posts').pluck().get() ?? 0;
  const maxChange = db.prepare<[], number | null>('SELECT max(id) FROM search_changes').pluck().get() ?? 0;
  const usable = state !== undefined && version === INDEX_VERSION && state.store_id === storeId && state.seq_done <= maxSeq && state.change_done <= maxChange;
  if (!usable) {
    db.transaction(() => {
      db.exec(`DROP TABLE IF EXISTS ${schema}.posts_fts; DROP TABLE IF EXISTS ${schema}.search_state;`);
      db.exec(`CREATE TABLE ${schema}.search_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), store_id TEXT NOT NULL, seq_done INTEGER NOT NULL,
        change_done INTEGER NOT NULL, bulk_pid INTEGER)`);
      db.exec(`CREATE VIRTUAL TABLE ${schema}.posts_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`);
      // Titles weigh twice as much as bodies in the ranking.
      db.exec("INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)')");
      // Edits before now are in the rows themselves: a rebuild starts after the last change.
      db.prepare('INSERT INTO search_state (id, store_id, seq_done, change_done, bulk_pid) VALUES (1, ?, 0, ?, NULL)').run(storeId, maxChange);
      db.pragma(`${schema}.user_version = ${INDEX_VERSION}`);
    })();
    state = readState(db);
  }
  // A bulk catch-up that died left merging off and its segments unmerged.
  if (state!.bulk_pid !== null && state!.bulk_pid !== process.pid && !isProcessAlive(state!.bulk_pid)) endBulkIndexing(index);
}

function readState(db: BetterSqlite3.Database): IndexState {
  return db.prepare<[], IndexState>('SELECT store_id, seq_done, change_done, bulk_pid FROM search_state WHERE id = 1').get()!;
}

interface CatchUpStatements {
  claim: BetterSqlite3.Statement;
  state: BetterSqlite3.Statement<[], IndexState>;
  changes: BetterSqlite3.Statement<[number, number], { id: number; seq: number }>;
  lastOfRange: BetterSqlite3.Statement<[number, number], number | null>;
  insertRange: BetterSqlite3.Statement<[number, number]>;
  insertOne: BetterSqlite3.Statement<[number]>;
  deleteOne: BetterSqlite3.Statement<[number]>;
  save: BetterSqlite3.Statement<[number, number]>;
}

const statements = new WeakMap<BetterSqlite3.Database, CatchUpStatements>();

function prepared(db: BetterSqlite3.Database): CatchUpStatements {
  let s = statements.get(db);
  if (s === undefined) {
    // ASCII text is indexed as it is (ftsTextFor); testing that in SQL (characters = bytes, and no
    // NUL, which length() stops at) saves a call into JS and two string copies per column:
    // the index thread's CPU at 1M posts fell from 18.5 to 15.4 s.
    const text = (column: string) =>
      `CASE WHEN length(${column}) = octet_length(${column}) AND length(${column}) <= ${MAX_INDEXED_CHARS} THEN ${column} ELSE index_text(${column}) END`;
    const select = `SELECT seq, ${text('title')}, ${text('body_text')} FROM posts`;
    s = {
      // A write to the index file first: it takes that file's lock (only) before anything is read.
      claim: db.prepare('UPDATE search_state SET seq_done = seq_done WHERE id = 1'),
      state: db.prepare<[], IndexState>('SELECT store_id, seq_done, change_done, bulk_pid FROM search_state WHERE id = 1'),
      changes: db.prepare<[number, number], { id: number; seq: number }>('SELECT id, seq FROM search_changes WHERE id > ? ORDER BY id LIMIT ?'),
      lastOfRange: db.prepare<[number, number], number | null>('SELECT max(seq) FROM (SELECT seq FROM posts WHERE seq > ? ORDER BY seq LIMIT ?)').pluck(),
      insertRange: db.prepare<[number, number]>(`INSERT INTO posts_fts (rowid, title, body) ${select} WHERE seq > ? AND seq <= ?`),
      insertOne: db.prepare<[number]>(`INSERT INTO posts_fts (rowid, title, body) ${select} WHERE seq = ?`),
      deleteOne: db.prepare<[number]>('DELETE FROM posts_fts WHERE rowid = ?'),
      save: db.prepare<[number, number]>('UPDATE search_state SET seq_done = ?, change_done = ? WHERE id = 1'),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Indexes up to `maxPosts` posts the index has not seen (edited posts first, then new ones in
 * seq order) in one transaction, and returns how many it indexed: 0 means the index was current
 * when the transaction began.
 */
export function catchUpOnce(index: SearchIndex, maxPosts: number): number {
  const { db } = index;
  const s = prepared(db);
  return db.transaction(() => {
    s.claim.run();
    const state = s.state.get()!;
    let done = 0;
    let changeDone = state.change_done;
    for (const change of s.changes.all(state.change_done, maxPosts)) {
      // A post above seq_done is indexed with its current text by the range below.
      if (change.seq <= state.seq_done) {
        s.deleteOne.run(change.seq);
        s.insertOne.run(change.seq);
      }
      changeDone = change.id;
      done++;
    }
    let seqDone = state.seq_done;
    if (done < maxPosts) {
      const last = s.lastOfRange.get(state.seq_done, maxPosts - done) ?? null;
      if (last !== null) {
        done += s.insertRange.run(state.seq_done, last).changes;
        seqDone = last;
      }
    }
    if (done > 0) s.save.run(seqDone, changeDone);
    return done;
  })();
}

/** Brings the index up to date with everything the store had committed when it began. */
export function catchUp(index: SearchIndex, postsPerTransaction = 50_000): number {
  let total = 0;
  for (;;) {
    const n = catchUpOnce(index, postsPerTransaction);
    total += n;
    if (n < postsPerTransaction) return total;
  }
}

/**
 * Before indexing a large import: FTS5 writes one segment per transaction and merges nothing
 * until endBulkIndexing, which merges them all into one (`optimize`). Merging as it goes rewrites
 * every posting once per level, ~4 levels at 1M posts. Recorded with this process's id, so if it
 * dies the next open of the index finishes the job.
 */
export function beginBulkIndexing(index: SearchIndex): void {
  const { db } = index;
  db.transaction(() => {
    setFts(db, FTS_BULK);
    db.prepare('UPDATE search_state SET bulk_pid = ? WHERE id = 1').run(process.pid);
  })();
}

export function endBulkIndexing(index: SearchIndex): void {
  const { db } = index;
  db.transaction(() => {
    setFts(db, FTS_DEFAULTS);
    db.exec("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')");
    db.prepare('UPDATE search_state SET bulk_pid = NULL WHERE id = 1').run();
  })();
}

function setFts(db: BetterSqlite3.Database, values: Readonly<Record<keyof typeof FTS_DEFAULTS, number>>): void {
  // Literals: FTS5 rejects bound parameters for configuration values.
  for (const key of Object.keys(values) as (keyof typeof FTS_DEFAULTS)[]) {
    db.exec(`INSERT INTO posts_fts (posts_fts, rank) VALUES ('${key}', ${Math.trunc(values[key])})`);
  }
}

/** Deletes an index file and its WAL (it is rebuilt from the store when next opened). */
export function removeSearchIndexFiles(storePath: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(searchIndexPath(storePath) + suffix, { force: true });
}
