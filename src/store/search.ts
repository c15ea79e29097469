import { CompiledQuery, sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { parseInput } from '../core/validate.js';
import type { DialectName } from './dialect.js';
import { postsWithContext } from './post-context.js';
import { makeSnippet, type Snippet } from './highlight.js';
import { highlightWords, isEmptyQuery, parseQuery, toFts5, toTsquery } from './query.js';
import type { Database } from './schema.js';

const isoDate = z.string().refine((v) => Number.isFinite(Date.parse(v)), 'must be an ISO date or date-time');

export const SearchParams = z.object({
  q: z.string().max(500).optional(),
  site: z.string().max(1000).optional(),
  board: z.string().max(1000).optional(),
  author: z.string().max(1000).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  hasIndicator: z.boolean().optional(),
  label: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(10_000).default(0),
});
export type SearchParams = z.input<typeof SearchParams>;

export interface SearchHit {
  id: string;
  site: string;
  board: string;
  threadId: string;
  threadTitle: string | null;
  author: string;
  postedAt: string | null;
  snippet: Snippet;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Matching posts, counted up to `COUNT_CAP`; `totalCapped` says the real number is larger. */
  total: number;
  totalCapped: boolean;
}

// Counting every match of a common word costs more than the search itself; beyond this the UI
// shows "1000+" (totalCapped), as search engines do.
const COUNT_CAP = 1_000;
/** SQLite ranks at most this many matches per query (see rankSqlite); above COUNT_CAP so counts stay exact up to it. */
export const RANK_WINDOW = 2_000;

type PostsQuery = SelectQueryBuilder<Database, 'posts', object>;

interface Filters {
  siteIds?: string[];
  boardIds?: string[];
  authorIds?: string[];
  since?: string;
  until?: string;
  hasIndicator?: boolean;
  label?: string;
}

/**
 * Searches in three steps so that the expensive part touches only what it must: names in the
 * filters resolve to ids first (a handful of index lookups), the matching and ranking run over
 * posts (and the FTS index) alone, and only the page of results is joined with sites, boards,
 * threads and authors for display.
 */
export async function searchPosts(db: Kysely<Database>, dialect: DialectName, input: SearchParams): Promise<SearchResult> {
  const params = parseInput(SearchParams, input, 'search parameters');
  const query = parseQuery(params.q ?? '');
  const fulltext = !isEmptyQuery(query);
  const filters = await resolveFilters(db, params);
  if (filters === null) return { hits: [], total: 0, totalCapped: false };
  const hasPostFilters = Object.values(filters).some((v) => v !== undefined);

  let pageIds: { id: string; score: number }[];
  let total: number;
  if (fulltext && dialect === 'sqlite') {
    ({ pageIds, total } = await rankSqlite(db, toFts5(query), filters, hasPostFilters, params.limit, params.offset));
  } else {
    let base: PostsQuery = fulltext
      ? db.selectFrom('posts').where(sql<boolean>`posts.search @@ to_tsquery('simple', ${toTsquery(query)})`)
      : db.selectFrom('posts');
    base = applyFilters(base, filters);
    if (fulltext) {
      ({ pageIds, total } = await rankPostgres(db, base, toTsquery(query), params.limit, params.offset));
    } else {
      total = await countCapped(db, base);
      pageIds = await base.select(['posts.id as id', sql<number>`0`.as('score')])
        .orderBy('posts.posted_at', 'desc')
        .orderBy('posts.id')
        .limit(params.limit)
        .offset(params.offset)
        .execute();
    }
  }

  const details = pageIds.length === 0 ? [] : await postsWithContext(db)
    .select([
      'posts.id as id', 'sites.name as site', 'boards.name as board', 'threads.id as threadId', 'threads.title as threadTitle',
      'authors.handle as author', 'posts.posted_at as postedAt', 'posts.body_text as body',
    ])
    .where('posts.id', 'in', pageIds.map((p) => p.id))
    .execute();
  const byId = new Map(details.map((d) => [d.id, d]));
  const rows = pageIds.flatMap((p) => {
    const detail = byId.get(p.id);
    return detail === undefined ? [] : [{ ...detail, score: p.score }];
  });
  const words = highlightWords(query);
  return {
    total: Math.min(total, COUNT_CAP),
    totalCapped: total > COUNT_CAP,
    hits: rows.map((row) => ({
      id: row.id,
      site: row.site,
      board: row.board,
      threadId: row.threadId,
      threadTitle: row.threadTitle,
      author: row.author,
      postedAt: row.postedAt,
      snippet: makeSnippet(row.body, words),
      score: Number(row.score),
    })),
  };
}

/**
 * SQLite ranking over a bounded candidate window. bm25 must score every match before ORDER BY
 * rank … LIMIT can return, so a word found in half of a million posts cost ~1 s. Instead one
 * statement walks the matches newest-indexed first (FTS5 serves rowid order straight from its
 * doclists and stops at the LIMIT), joined with the post filters, and reads bm25 (`rank`) only for
 * the rows that pass them; the first `window` are sorted by score here.
 * When a query matches fewer posts than the window (rare words, any selective filter that keeps
 * few), the candidates are every match and the ranking is exact; otherwise it is exact within the
 * most recently indexed `window` matches, which is what an analyst sorting fresh chatter wants.
 * (Scoring in a second statement over the candidates' rowid range was up to 10× slower: FTS5 does
 * not seek a huge doclist to a range's lower bound, it walks it from the start.)
 */
async function rankSqlite(
  db: Kysely<Database>, match: string, filters: Filters, hasPostFilters: boolean, limit: number, offset: number,
): Promise<{ pageIds: { id: string; score: number }[]; total: number }> {
  const window = Math.max(RANK_WINDOW, offset + limit);
  let candidates: { seq: number; id: string; rank: number }[];
  if (hasPostFilters) {
    const base = db
      .selectFrom('posts_fts')
      .innerJoin('posts', 'posts.seq', 'posts_fts.rowid')
      .where(sql<boolean>`posts_fts MATCH ${match}`) as unknown as PostsQuery;
    candidates = (await applyFilters(base, filters)
      .select([sql<number>`posts_fts.rowid`.as('seq'), 'posts.id as id', sql<number>`posts_fts.rank`.as('rank')])
      .orderBy(sql`posts_fts.rowid`, 'desc')
      .limit(window)
      .execute()) as { seq: number; id: string; rank: number }[];
  } else {
    const rows = await sql<{ seq: number; id: string; rank: number }>`
      SELECT t.rowid AS seq, posts.id AS id, t.rank AS rank
      FROM (SELECT rowid, rank FROM posts_fts WHERE posts_fts MATCH ${match} ORDER BY rowid DESC LIMIT ${window}) AS t
      JOIN posts ON posts.seq = t.rowid`.execute(db);
    candidates = rows.rows;
  }
  const ranked = candidates
    .map((c) => ({ id: c.id, seq: Number(c.seq), score: -Number(c.rank) }))
    .sort((a, b) => b.score - a.score || b.seq - a.seq);
  return { pageIds: ranked.slice(offset, offset + limit).map(({ id, score }) => ({ id, score })), total: candidates.length };
}

/** Matching posts counted up to COUNT_CAP + 1, enough to say "1000+". */
async function countCapped(db: Kysely<Database>, base: PostsQuery): Promise<number> {
  const counted = await db
    .selectFrom(base.select('posts.id').limit(COUNT_CAP + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/**
 * PostgreSQL ranks the same window as SQLite (see rankSqlite) in one statement: the newest
 * `window` matches by seq, counted with a window function and scored with ts_rank_cd, which reads
 * each candidate's tsvector and is therefore kept off every other match. The planner walks the seq
 * index backwards for common words (stopping at the window) and the GIN index for rare ones.
 */
async function rankPostgres(
  db: Kysely<Database>, base: PostsQuery, tsquery: string, limit: number, offset: number,
): Promise<{ pageIds: { id: string; score: number }[]; total: number }> {
  const window = Math.max(RANK_WINDOW, offset + limit);
  // `seq + 0` hides the seq index from ORDER BY, so the planner must fetch the matches from GIN.
  const gin = planOverride ?? (await preferGinScan(db, base, window) ? 'gin' : 'walk');
  const order = gin === 'gin' ? sql`posts.seq + 0` : sql`posts.seq`;
  const candidates = base.select(['posts.id as id', 'posts.seq as seq', 'posts.search as search']).orderBy(order, 'desc').limit(window);
  const ranked = await db
    .selectFrom(candidates.as('c'))
    .select([
      'c.id as id',
      sql<number>`ts_rank_cd(c.search, to_tsquery('simple', ${tsquery}))`.as('score'),
      sql<string>`count(*) over ()`.as('total'),
    ])
    .orderBy('score', 'desc')
    .orderBy('c.seq', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  // A page past the end has no row to carry the count.
  const total = ranked.length > 0 ? Number(ranked[0]!.total) : offset > 0 ? await countCapped(db, base) : 0;
  return { pageIds: ranked.map(({ id, score }) => ({ id, score: Number(score) })), total };
}

/** Tests pin the PostgreSQL plan to show both return the same results; `null` lets the store choose. */
let planOverride: 'gin' | 'walk' | null = null;
export function pinPostgresSearchPlan(plan: 'gin' | 'walk' | null): void {
  planOverride = plan;
}

/**
 * Whether to fetch every match through the GIN index and sort, rather than walk the seq index
 * newest first and test each post until `window` match. The planner chooses between them on a
 * cost model that prices the tsvector test like a cheap comparison, so for a word pair in ~1% of
 * posts it walked 170k posts (400 ms) instead of fetching 11k matches (50 ms). Its row estimate is
 * good, though, so the choice is made here from it: the GIN path costs about one heap fetch per
 * match m, the walk about window·N/m tests, and (measured at 1M posts) a fetch costs ~1.7 tests, so
 * GIN wins while m² < window·N / 1.7.
 */
export async function preferGinScan(db: Kysely<Database>, base: PostsQuery, window: number): Promise<boolean> {
  const compiled = base.select('posts.id').compile();
  const explained = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
    CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
  );
  const matches = planRows(explained.rows[0]?.['QUERY PLAN']);
  const posts = await postsEstimate(db);
  if (matches === null || posts <= 0) return false;
  return matches * matches * 1.7 < window * posts;
}

// The planner's own estimate of the posts count (pg_class.reltuples, kept by ANALYZE and
// autovacuum), re-read at most once a minute per store: the choice needs its order of magnitude only.
const postsCountCache = new WeakMap<Kysely<Database>, { n: number; at: number }>();
async function postsEstimate(db: Kysely<Database>): Promise<number> {
  const cached = postsCountCache.get(db);
  if (cached !== undefined && Date.now() - cached.at < 60_000) return cached.n;
  const table = await sql<{ n: number | string }>`SELECT GREATEST(reltuples, 0) AS n FROM pg_class WHERE oid = 'posts'::regclass`.execute(db);
  const n = Number(table.rows[0]?.n ?? 0);
  postsCountCache.set(db, { n, at: Date.now() });
  return n;
}

function planRows(plan: unknown): number | null {
  const parsed = typeof plan === 'string' ? (JSON.parse(plan) as unknown) : plan;
  const rows = Array.isArray(parsed) ? (parsed[0] as { Plan?: { 'Plan Rows'?: unknown } } | undefined)?.Plan?.['Plan Rows'] : undefined;
  return typeof rows === 'number' ? rows : null;
}

async function resolveFilters(db: Kysely<Database>, params: z.output<typeof SearchParams>): Promise<Filters | null> {
  const filters: Filters = {};
  if (params.site !== undefined) {
    filters.siteIds = (await db.selectFrom('sites').select('id').where('name', '=', params.site).execute()).map((r) => r.id);
    if (filters.siteIds.length === 0) return null;
  }
  if (params.board !== undefined) {
    let boards = db.selectFrom('boards').select('id').where('name', '=', params.board);
    if (filters.siteIds !== undefined) boards = boards.where('site_id', 'in', filters.siteIds);
    filters.boardIds = (await boards.execute()).map((r) => r.id);
    if (filters.boardIds.length === 0) return null;
  }
  if (params.author !== undefined) {
    let authors = db.selectFrom('authors').select('id').where(sql`lower(handle)`, '=', params.author.toLowerCase());
    if (filters.siteIds !== undefined) authors = authors.where('site_id', 'in', filters.siteIds);
    filters.authorIds = (await authors.execute()).map((r) => r.id);
    if (filters.authorIds.length === 0) return null;
  }
  if (params.since !== undefined) filters.since = new Date(params.since).toISOString();
  if (params.until !== undefined) filters.until = new Date(params.until).toISOString();
  if (params.hasIndicator !== undefined) filters.hasIndicator = params.hasIndicator;
  if (params.label !== undefined) filters.label = params.label;
  return filters;
}

function applyFilters(query: PostsQuery, filters: Filters): PostsQuery {
  let q = query;
  if (filters.siteIds !== undefined) q = q.where('posts.site_id', 'in', filters.siteIds);
  if (filters.boardIds !== undefined) q = q.where('posts.board_id', 'in', filters.boardIds);
  if (filters.authorIds !== undefined) q = q.where('posts.author_id', 'in', filters.authorIds);
  if (filters.since !== undefined) q = q.where('posts.posted_at', '>=', filters.since);
  if (filters.until !== undefined) q = q.where('posts.posted_at', '<=', filters.until);
  if (filters.hasIndicator !== undefined) {
    const hasIndicator = filters.hasIndicator;
    q = q.where(({ exists, not, selectFrom }) => {
      const any = exists(selectFrom('entities').select('entities.id').whereRef('entities.post_id', '=', 'posts.id'));
      return hasIndicator ? any : not(any);
    });
  }
  if (filters.label !== undefined) {
    const label = filters.label;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('exploit_labels').select('exploit_labels.post_id').whereRef('exploit_labels.post_id', '=', 'posts.id').where('exploit_labels.label', '=', label)),
    );
  }
  return q;
}
