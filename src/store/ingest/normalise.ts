import { contentHash, stableId } from '../../core/ids.js';
import { htmlToText } from '../../core/html-text.js';
import type { ForumRecord } from '../../core/records.js';
import type { Database, PostsTable } from '../schema.js';
import { ftsTextFor, textForIndex } from '../search-text.js';

/**
 * Turns validated records into the rows of one batch: deduplicated sites, boards, threads and
 * authors, and one row per post. Pure, shared by both writers (Kysely and the SQLite fast path).
 */
export type PostRow = Omit<PostsTable, 'search' | 'seq'>;
export type LinkRow = { post_id: string; kind: 'quote' | 'reply'; target_external_id: string; target_post_id: string };

export interface NormalisedPost {
  row: PostRow;
  links: LinkRow[];
  /**
   * Title and body as SQLite's full-text index needs them (ftsTextFor), prepared with the rest so
   * a worker thread can do it and the writer only writes; null means the row's own title or
   * body_text is indexed as it is (ASCII). See ftsText and searchText below.
   */
  search: { title: string | null; body: string | null };
}

export interface Batch {
  sites: Database['sites'][];
  boards: Database['boards'][];
  threads: Database['threads'][];
  authors: Database['authors'][];
  /** by post id; a post repeated within a batch keeps its last version */
  posts: Map<string, NormalisedPost>;
  /** post ids in record order */
  ids: string[];
}

// Context ids repeat on almost every record of a dump (same site, board, thread, author); a
// bounded memo saves most of the hashing on bulk imports.
const memo = new Map<string, string>();
function memoId(prefix: string, ...parts: string[]): string {
  const key = `${prefix}\u0000${parts.join('\u0000')}`;
  let id = memo.get(key);
  if (id === undefined) {
    if (memo.size > 200_000) memo.clear();
    id = stableId(prefix, ...parts);
    memo.set(key, id);
  }
  return id;
}

export const siteIdOf = (site: string): string => memoId('s', site);
export const boardIdOf = (site: string, board: string): string => memoId('b', site, board);
export const threadIdOf = (site: string, threadKey: string): string => memoId('t', site, threadKey);
export const authorIdOf = (site: string, handle: string): string => memoId('a', site, handle.toLowerCase());
export const postIdOf = (site: string, externalId: string): string => stableId('p', site, externalId);

/** ISO-8601 UTC when the input parses as a date, else null (the raw string is kept apart). */
export function normaliseTimestamp(value: string | undefined): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const NO_BOARD = '(none)';

export function normalisePost(record: ForumRecord, now: string): NormalisedPost {
  const site = record.site;
  const threadKey = record.thread_id ?? record.thread_title ?? '';
  const bodyText = record.body_text ?? htmlToText(record.body_html ?? '');
  const codeBlocks = record.code_blocks && record.code_blocks.length > 0 ? JSON.stringify(record.code_blocks) : '[]';
  const attachments = record.attachments && record.attachments.length > 0 ? JSON.stringify(record.attachments) : '[]';
  const postedRaw = record.posted_at_raw ?? record.posted_at ?? null;
  const id =
    record.post_id !== undefined
      ? postIdOf(site, record.post_id)
      : stableId('p', site, threadKey, record.author.toLowerCase(), postedRaw ?? '', bodyText);
  const row: PostRow = {
    id,
    site_id: siteIdOf(site),
    board_id: boardIdOf(site, record.board ?? NO_BOARD),
    thread_id: threadIdOf(site, threadKey),
    author_id: authorIdOf(site, record.author),
    external_id: record.post_id ?? null,
    posted_at: normaliseTimestamp(record.posted_at),
    posted_at_raw: postedRaw,
    title: record.thread_title ?? null,
    body_text: bodyText,
    body_html: record.body_html ?? null,
    code_blocks: codeBlocks,
    attachments,
    url: record.url ?? null,
    content_hash: contentHash(record.thread_title, bodyText, record.body_html, codeBlocks, attachments, postedRaw ?? undefined),
    imported_at: now,
    updated_at: now,
  };
  const links: LinkRow[] = [];
  const seen = new Set<string>();
  const addLink = (kind: 'quote' | 'reply', target: string) => {
    const key = `${kind}\u0000${target}`;
    if (seen.has(key) || target === record.post_id) return;
    seen.add(key);
    links.push({ post_id: id, kind, target_external_id: target, target_post_id: postIdOf(site, target) });
  };
  for (const quoted of record.quotes ?? []) addLink('quote', quoted);
  if (record.reply_to !== undefined) addLink('reply', record.reply_to);
  return { row, links, search: { title: ftsTextFor(row.title), body: ftsTextFor(bodyText) } };
}

/** The title and body to insert into SQLite's FTS5 index for a post. */
export function ftsText(post: NormalisedPost): { title: string; body: string } {
  return { title: post.search.title ?? post.row.title ?? '', body: post.search.body ?? post.row.body_text };
}

/** The title and body as words for PostgreSQL's tsvector, which splits ASCII differently from FTS5. */
export function searchText(post: NormalisedPost): { title: string; body: string } {
  return { title: post.search.title ?? textForIndex(post.row.title), body: post.search.body ?? textForIndex(post.row.body_text) };
}

export function buildBatch(records: readonly ForumRecord[], now: string): Batch {
  const sites = new Map<string, Database['sites']>();
  const boards = new Map<string, Database['boards']>();
  const threads = new Map<string, Database['threads']>();
  const authors = new Map<string, Database['authors']>();
  const posts = new Map<string, NormalisedPost>();
  const ids: string[] = [];
  for (const r of records) {
    const post = normalisePost(r, now);
    posts.set(post.row.id, post);
    ids.push(post.row.id);
    const { site_id: siteId, board_id: boardId, thread_id: threadId, author_id: authorId, posted_at: seen } = post.row;
    if (!sites.has(siteId)) {
      sites.set(siteId, {
        id: siteId, name: r.site, base_url: r.site_url ?? null, engine: r.site_engine ?? null,
        language: r.site_language ?? null, network: r.site_network ?? null, kind: r.site_kind ?? null, created_at: now,
      });
    }
    if (!boards.has(boardId)) {
      boards.set(boardId, { id: boardId, site_id: siteId, name: r.board ?? NO_BOARD, parent_name: r.board_parent ?? null, url: r.board_url ?? null });
    }
    if (!threads.has(threadId)) {
      threads.set(threadId, {
        id: threadId, site_id: siteId, board_id: boardId, external_id: r.thread_id ?? null,
        title: r.thread_title ?? null, url: r.thread_url ?? null, created_at: now,
      });
    }
    const prior = authors.get(authorId);
    authors.set(authorId, {
      id: authorId, site_id: siteId, handle: r.author,
      joined_at: r.author_joined_at ?? prior?.joined_at ?? null,
      post_count: r.author_post_count ?? prior?.post_count ?? null,
      reputation: r.author_reputation ?? prior?.reputation ?? null,
      profile_url: r.author_profile_url ?? prior?.profile_url ?? null,
      first_seen: minIso(prior?.first_seen ?? null, seen),
      last_seen: maxIso(prior?.last_seen ?? null, seen),
    });
  }
  return { sites: [...sites.values()], boards: [...boards.values()], threads: [...threads.values()], authors: [...authors.values()], posts, ids };
}

/** The earlier of two ISO timestamps; null means unknown. */
export function minIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
/** The later of two ISO timestamps; null means unknown. */
export function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
