import type { Database } from '../schema.js';
import type { Batch, LinkRow, NormalisedPost, PostRow } from './normalise.js';

type Author = Database['authors'];
type Thread = Database['threads'];

/**
 * A batch flattened for postMessage. Structured clone of thousands of small objects costs more
 * than writing them: deserialising a 2,000-post batch of objects took ~9 µs per post on the
 * receiving (writer) thread (v8.deserialize, measured). Here every string value of a table is
 * concatenated into one string with an Int32Array of lengths (one copy each way), numbers and
 * other values travel in a short side list, and rows are rebuilt on arrival from substrings.
 */
export interface PackedTable {
  readonly columns: readonly string[];
  readonly rows: number;
  readonly text: string;
  /** per value: its length in `text`, or NULL_VALUE, or OTHER_VALUE (next item of `others`) */
  readonly lengths: Int32Array;
  readonly others: readonly unknown[];
}

export interface PackedBatch {
  readonly sites: PackedTable;
  readonly boards: PackedTable;
  readonly threads: PackedTable;
  readonly authors: PackedTable;
  /** post row columns, then the two index texts and the number of links */
  readonly posts: PackedTable;
  readonly links: PackedTable;
  readonly ids: readonly string[];
}

const NULL_VALUE = -1;
const OTHER_VALUE = -2;

class TableWriter {
  // Appending builds a rope (V8 cons strings, O(1) each) that is flattened once, when the batch is
  // serialised for postMessage. An array of parts joined at the end, and a growing array of
  // lengths, each grew past 128 KiB per batch: V8 puts such objects in fresh memory-mapped
  // chunks, and the worker spent over a third of its time packing, mostly in page faults
  // (perf, docs/import.md).
  private text = '';
  private lengths: Int32Array;
  private count = 0;
  private readonly others: unknown[] = [];
  private rows = 0;
  constructor(private readonly columns: readonly string[], expectedValues = 1024) {
    this.lengths = new Int32Array(Math.max(16, expectedValues));
  }

  value(v: unknown): void {
    if (this.count === this.lengths.length) {
      const grown = new Int32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    if (typeof v === 'string') {
      this.text += v;
      this.lengths[this.count++] = v.length;
    } else if (v === null || v === undefined) {
      this.lengths[this.count++] = NULL_VALUE;
    } else {
      this.lengths[this.count++] = OTHER_VALUE;
      this.others.push(v);
    }
  }

  row(): void {
    this.rows++;
  }

  done(): PackedTable {
    return { columns: this.columns, rows: this.rows, text: this.text, lengths: this.lengths.subarray(0, this.count), others: this.others };
  }
}

class TableReader {
  private offset = 0;
  private index = 0;
  private other = 0;
  constructor(private readonly table: PackedTable) {}

  value(): unknown {
    const length = this.table.lengths[this.index++]!;
    if (length === NULL_VALUE) return null;
    if (length === OTHER_VALUE) return this.table.others[this.other++];
    const start = this.offset;
    this.offset += length;
    return this.table.text.slice(start, this.offset);
  }
}

/** All rows of one table share the key set of the first (buildBatch builds each from one literal). */
function packRows<T extends object>(rows: readonly T[]): PackedTable {
  const columns = rows.length === 0 ? [] : (Object.keys(rows[0]!) as (keyof T & string)[]);
  const out = new TableWriter(columns, rows.length * columns.length);
  for (const row of rows) {
    for (const c of columns) out.value(row[c]);
    out.row();
  }
  return out.done();
}

function unpackRows<T>(table: PackedTable): T[] {
  const input = new TableReader(table);
  const rows: T[] = [];
  for (let r = 0; r < table.rows; r++) {
    const row: Record<string, unknown> = {};
    for (const c of table.columns) row[c] = input.value();
    rows.push(row as T);
  }
  return rows;
}

// Posts, authors and threads are most of a batch: their fields are read and written by name
// (a keyed loop over column names is several times slower in V8). POST_COLUMNS fixes the order.
const POST_COLUMNS = [
  'id', 'site_id', 'board_id', 'thread_id', 'author_id', 'external_id', 'posted_at', 'posted_at_raw', 'title', 'body_text',
  'body_html', 'code_blocks', 'attachments', 'url', 'content_hash', 'imported_at', 'updated_at',
] as const satisfies readonly (keyof PostRow)[];
const AUTHOR_COLUMNS = ['id', 'site_id', 'handle', 'joined_at', 'post_count', 'reputation', 'profile_url', 'first_seen', 'last_seen'] as const satisfies readonly (keyof Author)[];
const THREAD_COLUMNS = ['id', 'site_id', 'board_id', 'external_id', 'title', 'url', 'created_at'] as const satisfies readonly (keyof Thread)[];

function packAuthors(authors: readonly Author[]): PackedTable {
  const out = new TableWriter(AUTHOR_COLUMNS, authors.length * AUTHOR_COLUMNS.length);
  for (const a of authors) {
    out.value(a.id); out.value(a.site_id); out.value(a.handle); out.value(a.joined_at); out.value(a.post_count);
    out.value(a.reputation); out.value(a.profile_url); out.value(a.first_seen); out.value(a.last_seen);
    out.row();
  }
  return out.done();
}

function unpackAuthors(table: PackedTable): Author[] {
  const v = new TableReader(table);
  const rows: Author[] = [];
  for (let r = 0; r < table.rows; r++) {
    rows.push({
      id: v.value() as string, site_id: v.value() as string, handle: v.value() as string, joined_at: v.value() as string | null,
      post_count: v.value() as number | null, reputation: v.value() as number | null, profile_url: v.value() as string | null,
      first_seen: v.value() as string | null, last_seen: v.value() as string | null,
    });
  }
  return rows;
}

function packThreads(threads: readonly Thread[]): PackedTable {
  const out = new TableWriter(THREAD_COLUMNS, threads.length * THREAD_COLUMNS.length);
  for (const t of threads) {
    out.value(t.id); out.value(t.site_id); out.value(t.board_id); out.value(t.external_id); out.value(t.title); out.value(t.url); out.value(t.created_at);
    out.row();
  }
  return out.done();
}

function unpackThreads(table: PackedTable): Thread[] {
  const v = new TableReader(table);
  const rows: Thread[] = [];
  for (let r = 0; r < table.rows; r++) {
    rows.push({
      id: v.value() as string, site_id: v.value() as string, board_id: v.value() as string, external_id: v.value() as string | null,
      title: v.value() as string | null, url: v.value() as string | null, created_at: v.value() as string,
    });
  }
  return rows;
}

export function packBatch(batch: Batch): PackedBatch {
  // Each post: its columns, the two index texts and its number of links.
  const out = new TableWriter(POST_COLUMNS, batch.posts.size * (POST_COLUMNS.length + 3));
  const links: LinkRow[] = [];
  for (const p of batch.posts.values()) {
    const r = p.row;
    out.value(r.id); out.value(r.site_id); out.value(r.board_id); out.value(r.thread_id); out.value(r.author_id);
    out.value(r.external_id); out.value(r.posted_at); out.value(r.posted_at_raw); out.value(r.title); out.value(r.body_text);
    out.value(r.body_html); out.value(r.code_blocks); out.value(r.attachments); out.value(r.url); out.value(r.content_hash);
    out.value(r.imported_at); out.value(r.updated_at);
    out.value(p.search.title);
    out.value(p.search.body);
    out.value(p.links.length);
    out.row();
    for (const link of p.links) links.push(link);
  }
  return {
    sites: packRows(batch.sites), boards: packRows(batch.boards), threads: packThreads(batch.threads), authors: packAuthors(batch.authors),
    posts: out.done(), links: packRows(links), ids: batch.ids,
  };
}

export function unpackBatch(packed: PackedBatch): Batch {
  const links = unpackRows<LinkRow>(packed.links);
  let nextLink = 0;
  const posts = new Map<string, NormalisedPost>();
  const v = new TableReader(packed.posts);
  for (let r = 0; r < packed.posts.rows; r++) {
    const row: PostRow = {
      id: v.value() as string, site_id: v.value() as string, board_id: v.value() as string, thread_id: v.value() as string,
      author_id: v.value() as string, external_id: v.value() as string | null, posted_at: v.value() as string | null,
      posted_at_raw: v.value() as string | null, title: v.value() as string | null, body_text: v.value() as string,
      body_html: v.value() as string | null, code_blocks: v.value() as string, attachments: v.value() as string,
      url: v.value() as string | null, content_hash: v.value() as string, imported_at: v.value() as string, updated_at: v.value() as string,
    };
    const title = v.value() as string | null;
    const body = v.value() as string | null;
    const count = v.value() as number;
    posts.set(row.id, { row, links: count === 0 ? [] : links.slice(nextLink, nextLink + count), search: { title, body } });
    nextLink += count;
  }
  return {
    sites: unpackRows(packed.sites), boards: unpackRows(packed.boards), threads: unpackThreads(packed.threads), authors: unpackAuthors(packed.authors),
    posts, ids: [...packed.ids],
  };
}
