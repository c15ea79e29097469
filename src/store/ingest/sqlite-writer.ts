import type BetterSqlite3 from 'better-sqlite3';
import { FIRST_SEEN, LAST_SEEN } from './kysely-writer.js';
import type { Batch, NormalisedPost, PostRow } from './normalise.js';
import { authorsSeenDeferred, ingestCheckpointPages } from './bulk.js';
import { ContextCache, mergeAuthors } from './context-cache.js';
import type { BatchCounts } from './types.js';

/**
 * The SQLite fast path: the same rows and upserts as the Kysely writer, through prepared
 * statements that are compiled once per database and run synchronously inside one
 * better-sqlite3 transaction. Building SQL per batch cost more than SQLite's own work
 * (measured: ~2.5× slower through the query builder), and bulk import is where it shows.
 */
const POST_COLUMNS = [
  'id', 'site_id', 'board_id', 'thread_id', 'author_id', 'external_id', 'posted_at', 'posted_at_raw', 'title', 'body_text',
  'body_html', 'code_blocks', 'attachments', 'url', 'content_hash', 'imported_at', 'updated_at',
] as const satisfies readonly (keyof PostRow)[];

interface Statements {
  site: BetterSqlite3.Statement;
  board: BetterSqlite3.Statement;
  thread: BetterSqlite3.Statement;
  author: BetterSqlite3.Statement;
  existing: BetterSqlite3.Statement<[string], { seq: number; content_hash: string }>;
  insertPost: BetterSqlite3.Statement;
  updatePost: BetterSqlite3.Statement;
  searchChange: BetterSqlite3.Statement<[number]>;
  deleteLinks: BetterSqlite3.Statement;
  widenSeen: BetterSqlite3.Statement<[{ seen: string; id: string }]>;
  insertLink: BetterSqlite3.Statement;
  dataVersion: BetterSqlite3.Statement<[], number>;
}

interface Writer {
  write: (batches: readonly Batch[]) => BatchCounts;
  cache: ContextCache;
}

const writers = new WeakMap<BetterSqlite3.Database, Writer>();

function prepare(db: BetterSqlite3.Database): Statements {
  return {
    site: db.prepare(`INSERT INTO sites (id, name, base_url, engine, language, network, kind, created_at)
      VALUES (@id, @name, @base_url, @engine, @language, @network, @kind, @created_at)
      ON CONFLICT (id) DO UPDATE SET base_url = coalesce(excluded.base_url, sites.base_url), engine = coalesce(excluded.engine, sites.engine),
        language = coalesce(excluded.language, sites.language), network = coalesce(excluded.network, sites.network), kind = coalesce(excluded.kind, sites.kind)`),
    board: db.prepare(`INSERT INTO boards (id, site_id, name, parent_name, url) VALUES (@id, @site_id, @name, @parent_name, @url) ON CONFLICT (id) DO NOTHING`),
    thread: db.prepare(`INSERT INTO threads (id, site_id, board_id, external_id, title, url, created_at)
      VALUES (@id, @site_id, @board_id, @external_id, @title, @url, @created_at)
      ON CONFLICT (id) DO UPDATE SET title = coalesce(threads.title, excluded.title), url = coalesce(threads.url, excluded.url)`),
    author: db.prepare(`INSERT INTO authors (id, site_id, handle, joined_at, post_count, reputation, profile_url, first_seen, last_seen)
      VALUES (@id, @site_id, @handle, @joined_at, @post_count, @reputation, @profile_url, @first_seen, @last_seen)
      ON CONFLICT (id) DO UPDATE SET joined_at = coalesce(excluded.joined_at, authors.joined_at), post_count = coalesce(excluded.post_count, authors.post_count),
        reputation = coalesce(excluded.reputation, authors.reputation), profile_url = coalesce(excluded.profile_url, authors.profile_url),
        first_seen = ${FIRST_SEEN}, last_seen = ${LAST_SEEN}`),
    existing: db.prepare<[string], { seq: number; content_hash: string }>('SELECT seq, content_hash FROM posts WHERE id = ?'),
    // New posts are the common case in a dump: inserting first and looking up only on conflict
    // saves one id-index probe per new post. Positional parameters bind faster than named ones.
    insertPost: db.prepare(`INSERT INTO posts (${POST_COLUMNS.join(', ')}) VALUES (${POST_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`),
    updatePost: db.prepare(`UPDATE posts SET ${POST_COLUMNS.filter((c) => c !== 'id' && c !== 'imported_at').map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`),
    // The search index lives in its own file and follows posts by seq (search-index.ts); an
    // edited post keeps its seq, so the edit is listed for the index to redo.
    searchChange: db.prepare<[number]>('INSERT INTO search_changes (seq) VALUES (?)'),
    deleteLinks: db.prepare('DELETE FROM post_links WHERE post_id = ?'),
    widenSeen: db.prepare<[{ seen: string; id: string }]>(`UPDATE authors SET
      first_seen = CASE WHEN first_seen IS NULL OR @seen < first_seen THEN @seen ELSE first_seen END,
      last_seen = CASE WHEN last_seen IS NULL OR @seen > last_seen THEN @seen ELSE last_seen END WHERE id = @id`),
    insertLink: db.prepare(`INSERT INTO post_links (post_id, kind, target_external_id, target_post_id)
      VALUES (@post_id, @kind, @target_external_id, @target_post_id) ON CONFLICT DO NOTHING`),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
}

function insertArgs(r: PostRow): unknown[] {
  return [r.id, r.site_id, r.board_id, r.thread_id, r.author_id, r.external_id, r.posted_at, r.posted_at_raw, r.title, r.body_text,
    r.body_html, r.code_blocks, r.attachments, r.url, r.content_hash, r.imported_at, r.updated_at];
}

function writePost(s: Statements, post: NormalisedPost, counts: BatchCounts, seenDeferred: boolean): void {
  const run = s.insertPost.run(...insertArgs(post.row));
  if (run.changes === 1) {
    counts.inserted++;
  } else {
    const existing = s.existing.get(post.row.id);
    if (existing === undefined) throw new Error(`post ${post.row.id} was neither inserted nor found`);
    if (existing.content_hash === post.row.content_hash) {
      counts.unchanged++;
      return;
    }
    // An edited post keeps its seq; search_changes tells the search index to redo it.
    s.updatePost.run(post.row);
    s.searchChange.run(existing.seq);
    s.deleteLinks.run(post.row.id);
    // In bulk mode the end-of-import pass widens seen ranges over new posts only (seq above the
    // start); an edited post keeps its older seq, so its author's range is widened here.
    if (seenDeferred && post.row.posted_at !== null) s.widenSeen.run({ seen: post.row.posted_at, id: post.row.author_id });
    counts.updated++;
  }
  for (const link of post.links) s.insertLink.run(link);
}

function makeWriter(db: BetterSqlite3.Database): Writer {
  const s = prepare(db);
  const cache = new ContextCache();
  const body = (batches: readonly Batch[]): BatchCounts => {
    // data_version changes when another connection commits: whatever it wrote may have changed
    // the rows the cache remembers, so the cache starts over.
    cache.validate(s.dataVersion.get()!);
    const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
    // Every parent row first (see the foreign-key note below), then the posts.
    for (const b of batches) {
      for (const site of b.sites) if (cache.needsSite(site)) s.site.run(site);
      for (const board of b.boards) if (cache.needsBoard(board)) s.board.run(board);
      for (const thread of b.threads) if (cache.needsThread(thread)) s.thread.run(thread);
    }
    // An author's seen range widens in nearly every batch of a chronological dump: one upsert per
    // author per transaction instead of one per batch (authors were ~20% of the writer at 1M).
    // In bulk mode an upsert that would only widen the seen range is left to the end (bulk.ts).
    const seenDeferred = authorsSeenDeferred(db);
    for (const author of mergeAuthors(batches.map((b) => b.authors))) if (cache.needsAuthor(author, seenDeferred)) s.author.run(author);
    for (const b of batches) for (const post of b.posts.values()) writePost(s, post, counts, seenDeferred);
    return counts;
  };
  const transaction = db.transaction(body);
  const write = (batches: readonly Batch[]): BatchCounts => {
    try {
      // IMMEDIATE takes the write lock before the data_version read, so no other writer can
      // commit between the cache check and our writes.
      const counts = transaction.immediate(batches);
      cache.committed(s.dataVersion.get()!);
      return counts;
    } catch (err) {
      cache.clear(); // the rolled-back rows it recorded are not in the database
      throw err;
    }
  };
  return { write, cache };
}

/** One transaction over one or more batches (the importer groups batches that queued up). */
export function writeBatchesSqlite(db: BetterSqlite3.Database, batches: readonly Batch[]): BatchCounts {
  let writer = writers.get(db);
  if (writer === undefined) {
    writer = makeWriter(db);
    writers.set(db, writer);
    // Random-key inserts into the id and author indexes touch pages all over the file; once the
    // indexes outgrow the default 64 MiB cache every batch re-reads them (measured: −20% write
    // time at 200k posts with a larger cache). The cache only grows as pages are used.
    db.pragma(`cache_size = -${INGEST_CACHE_KIB}`);
    // Checkpoints every 64 MiB (256 MiB in bulk mode) instead of SQLite's 4 MiB: see bulk.ts.
    db.pragma(`wal_autocheckpoint = ${ingestCheckpointPages(db)}`);
  }
  // The transaction writes every parent row (site, board, thread, author) before the posts and
  // links that reference it, so the foreign keys hold by construction; SQLite's own check costs
  // four index probes per post (measured ~15 µs of ~105 µs). PRAGMA foreign_keys is a no-op inside
  // a transaction, so a caller's outer transaction keeps the checks on: slower, never wrong.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) db.pragma('foreign_keys = OFF');
  try {
    return writer.write(batches);
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

export function writeBatchSqlite(db: BetterSqlite3.Database, batch: Batch): BatchCounts {
  return writeBatchesSqlite(db, [batch]);
}

const INGEST_CACHE_KIB = 512 * 1024;
