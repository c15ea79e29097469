import { sql, type Kysely, type Transaction } from 'kysely';
import { chunks } from '../core/chunks.js';
import { contentHash, stableId } from '../core/ids.js';
import { htmlToText } from '../core/html-text.js';
import type { ForumRecord } from '../core/records.js';
import type { DialectName } from './dialect.js';
import type { Database, PostsTable } from './schema.js';
import { textForIndex } from './search-text.js';

export interface IngestResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Our ids of the posts in the batch, in record order. */
  ids: string[];
}

type PostRow = Omit<PostsTable, 'search'>;

interface NormalisedPost {
  row: PostRow;
  links: { kind: 'quote' | 'reply'; target_external_id: string; target_post_id: string }[];
}

export function siteIdOf(site: string): string {
  return stableId('s', site);
}
export function authorIdOf(site: string, handle: string): string {
  return stableId('a', site, handle.toLowerCase());
}
export function postIdOf(site: string, externalId: string): string {
  return stableId('p', site, externalId);
}

/** ISO-8601 UTC when the input parses as a date, else null (the raw string is kept apart). */
export function normaliseTimestamp(value: string | undefined): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function normalisePost(record: ForumRecord, now: string): NormalisedPost {
  const site = record.site;
  const boardName = record.board ?? '(none)';
  const threadKey = record.thread_id ?? record.thread_title ?? '';
  const bodyText = record.body_text ?? htmlToText(record.body_html ?? '');
  const codeBlocks = JSON.stringify(record.code_blocks ?? []);
  const attachments = JSON.stringify(record.attachments ?? []);
  const postedRaw = record.posted_at_raw ?? record.posted_at ?? null;
  const postedAt = normaliseTimestamp(record.posted_at);
  const id =
    record.post_id !== undefined
      ? postIdOf(site, record.post_id)
      : stableId('p', site, threadKey, record.author.toLowerCase(), postedRaw ?? '', bodyText);
  const row: PostRow = {
    id,
    site_id: siteIdOf(site),
    board_id: stableId('b', site, boardName),
    thread_id: stableId('t', site, threadKey),
    author_id: authorIdOf(site, record.author),
    external_id: record.post_id ?? null,
    posted_at: postedAt,
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
  const links: NormalisedPost['links'] = [];
  const seen = new Set<string>();
  const addLink = (kind: 'quote' | 'reply', target: string) => {
    const key = `${kind}\u0000${target}`;
    if (seen.has(key) || target === record.post_id) return;
    seen.add(key);
    links.push({ kind, target_external_id: target, target_post_id: postIdOf(site, target) });
  };
  for (const quoted of record.quotes ?? []) addLink('quote', quoted);
  if (record.reply_to !== undefined) addLink('reply', record.reply_to);
  return { row, links };
}

const POST_CHUNK = 400; // 17 columns × 400 rows stays far below both engines' parameter limits

/**
 * Writes one batch of records in a single transaction: either all of it lands or none of it.
 * Idempotent: a post whose content hash is unchanged is left alone; a changed one is updated
 * and its search entry and links replaced.
 */
export async function ingestBatch(
  db: Kysely<Database>,
  dialect: DialectName,
  records: readonly ForumRecord[],
): Promise<IngestResult> {
  const now = new Date().toISOString();
  const posts = new Map<string, NormalisedPost>();
  const ids: string[] = [];
  for (const record of records) {
    const post = normalisePost(record, now);
    posts.set(post.row.id, post);
    ids.push(post.row.id);
  }
  return db.transaction().execute(async (trx) => {
    await upsertContext(trx, records, now);
    const existing = new Map<string, string>();
    const allIds = [...posts.keys()];
    for (let i = 0; i < allIds.length; i += 900) {
      const rows = await trx
        .selectFrom('posts')
        .select(['id', 'content_hash'])
        .where('id', 'in', allIds.slice(i, i + 900))
        .execute();
      for (const row of rows) existing.set(row.id, row.content_hash);
    }
    const fresh: NormalisedPost[] = [];
    const changed: NormalisedPost[] = [];
    for (const post of posts.values()) {
      const hash = existing.get(post.row.id);
      if (hash === undefined) fresh.push(post);
      else if (hash !== post.row.content_hash) changed.push(post);
    }
    await insertPosts(trx, dialect, fresh);
    for (const post of changed) await updatePost(trx, dialect, post);
    await writeLinks(trx, [...fresh, ...changed], changed.map((p) => p.row.id));
    return { inserted: fresh.length, updated: changed.length, unchanged: posts.size - fresh.length - changed.length, ids };
  });
}

async function upsertContext(trx: Transaction<Database>, records: readonly ForumRecord[], now: string): Promise<void> {
  const sites = new Map<string, Database['sites']>();
  const boards = new Map<string, Database['boards']>();
  const threads = new Map<string, Database['threads']>();
  const authors = new Map<string, Database['authors']>();
  for (const r of records) {
    const siteId = siteIdOf(r.site);
    if (!sites.has(siteId)) {
      sites.set(siteId, {
        id: siteId, name: r.site, base_url: r.site_url ?? null, engine: r.site_engine ?? null,
        language: r.site_language ?? null, network: r.site_network ?? null, kind: r.site_kind ?? null, created_at: now,
      });
    }
    const boardName = r.board ?? '(none)';
    const boardId = stableId('b', r.site, boardName);
    if (!boards.has(boardId)) {
      boards.set(boardId, { id: boardId, site_id: siteId, name: boardName, parent_name: r.board_parent ?? null, url: r.board_url ?? null });
    }
    const threadKey = r.thread_id ?? r.thread_title ?? '';
    const threadId = stableId('t', r.site, threadKey);
    if (!threads.has(threadId)) {
      threads.set(threadId, {
        id: threadId, site_id: siteId, board_id: boardId, external_id: r.thread_id ?? null,
        title: r.thread_title ?? null, url: r.thread_url ?? null, created_at: now,
      });
    }
    const authorId = authorIdOf(r.site, r.author);
    const seen = normaliseTimestamp(r.posted_at);
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
  if (sites.size > 0) {
    await trx.insertInto('sites').values([...sites.values()]).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        base_url: eb.fn.coalesce('excluded.base_url', 'sites.base_url'),
        engine: eb.fn.coalesce('excluded.engine', 'sites.engine'),
        language: eb.fn.coalesce('excluded.language', 'sites.language'),
        network: eb.fn.coalesce('excluded.network', 'sites.network'),
        kind: eb.fn.coalesce('excluded.kind', 'sites.kind'),
      })),
    ).execute();
  }
  for (const chunk of chunks([...boards.values()], 500)) {
    await trx.insertInto('boards').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  for (const chunk of chunks([...threads.values()], 500)) {
    await trx.insertInto('threads').values(chunk).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        title: eb.fn.coalesce('threads.title', 'excluded.title'),
        url: eb.fn.coalesce('threads.url', 'excluded.url'),
      })),
    ).execute();
  }
  for (const chunk of chunks([...authors.values()], 500)) {
    await trx.insertInto('authors').values(chunk).onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        joined_at: eb.fn.coalesce('excluded.joined_at', 'authors.joined_at'),
        post_count: eb.fn.coalesce('excluded.post_count', 'authors.post_count'),
        reputation: eb.fn.coalesce('excluded.reputation', 'authors.reputation'),
        profile_url: eb.fn.coalesce('excluded.profile_url', 'authors.profile_url'),
        first_seen: sql<string | null>`CASE WHEN authors.first_seen IS NULL OR excluded.first_seen < authors.first_seen THEN excluded.first_seen ELSE authors.first_seen END`,
        last_seen: sql<string | null>`CASE WHEN authors.last_seen IS NULL OR excluded.last_seen > authors.last_seen THEN excluded.last_seen ELSE authors.last_seen END`,
      })),
    ).execute();
  }
}

async function insertPosts(trx: Transaction<Database>, dialect: DialectName, posts: readonly NormalisedPost[]): Promise<void> {
  for (const chunk of chunks(posts, POST_CHUNK)) {
    if (dialect === 'postgres') {
      await trx.insertInto('posts').values(chunk.map((p) => ({ ...p.row, search: tsvectorOf(p.row) }))).execute();
    } else {
      await trx.insertInto('posts').values(chunk.map((p) => p.row)).execute();
      await indexSqlite(trx, chunk.map((p) => p.row));
    }
  }
}

async function updatePost(trx: Transaction<Database>, dialect: DialectName, post: NormalisedPost): Promise<void> {
  const { id, imported_at: _keepOriginalImportTime, ...rest } = post.row;
  void _keepOriginalImportTime;
  if (dialect === 'postgres') {
    await trx.updateTable('posts').set({ ...rest, search: tsvectorOf(post.row) }).where('id', '=', id).execute();
  } else {
    await trx.updateTable('posts').set(rest).where('id', '=', id).execute();
    const seq = await trx.selectFrom('post_search_ids' as never).select(sql<number>`seq`.as('seq')).where(sql`post_id`, '=', id).executeTakeFirst();
    if (seq !== undefined) await sql`DELETE FROM posts_fts WHERE rowid = ${seq.seq}`.execute(trx);
    await sql`DELETE FROM post_search_ids WHERE post_id = ${id}`.execute(trx);
    await indexSqlite(trx, [post.row]);
  }
}

function tsvectorOf(row: PostRow) {
  return sql<unknown>`setweight(to_tsvector('simple', ${textForIndex(row.title)}), 'A') || to_tsvector('simple', ${textForIndex(row.body_text)})`;
}

async function indexSqlite(trx: Transaction<Database>, rows: readonly PostRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { rows: seqs } = await sql<{ seq: number; post_id: string }>`INSERT INTO post_search_ids (post_id) VALUES ${sql.join(
    rows.map((r) => sql`(${r.id})`),
  )} RETURNING seq, post_id`.execute(trx);
  const seqOf = new Map(seqs.map((s) => [s.post_id, s.seq]));
  await sql`INSERT INTO posts_fts (rowid, title, body) VALUES ${sql.join(
    rows.map((r) => sql`(${seqOf.get(r.id)}, ${textForIndex(r.title)}, ${textForIndex(r.body_text)})`),
  )}`.execute(trx);
}

async function writeLinks(trx: Transaction<Database>, posts: readonly NormalisedPost[], replacedPostIds: readonly string[]): Promise<void> {
  for (const chunk of chunks(replacedPostIds, 500)) {
    await trx.deleteFrom('post_links').where('post_id', 'in', chunk).execute();
  }
  const links = posts.flatMap((p) => p.links.map((l) => ({ post_id: p.row.id, ...l })));
  for (const chunk of chunks(links, 500)) {
    await trx.insertInto('post_links').values(chunk).onConflict((oc) => oc.doNothing()).execute();
  }
}

function minIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
