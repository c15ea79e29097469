import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { parseInput } from '../core/validate.js';
import type { DialectName } from './dialect.js';
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

const COUNT_CAP = 10_000;

type PostQuery = SelectQueryBuilder<Database, 'posts' | 'sites' | 'boards' | 'authors' | 'threads', object>;

export async function searchPosts(db: Kysely<Database>, dialect: DialectName, input: SearchParams): Promise<SearchResult> {
  const params = parseInput(SearchParams, input, 'search parameters');
  const query = parseQuery(params.q ?? '');
  const fulltext = !isEmptyQuery(query);

  const sqliteFulltext = fulltext && dialect === 'sqlite';
  // SQLite: drive the query from the FTS index so bm25 is computed once per match during the
  // index scan. PostgreSQL: filter posts by the tsvector GIN index.
  const start = sqliteFulltext
    ? (db
        .selectFrom('posts_fts')
        .innerJoin('post_search_ids', 'post_search_ids.seq', 'posts_fts.rowid')
        .innerJoin('posts', 'posts.id', 'post_search_ids.post_id') as unknown as SelectQueryBuilder<Database, 'posts', object>)
    : db.selectFrom('posts');
  let base: PostQuery = start
    .innerJoin('sites', 'sites.id', 'posts.site_id')
    .innerJoin('boards', 'boards.id', 'posts.board_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .innerJoin('authors', 'authors.id', 'posts.author_id');

  if (params.site !== undefined) base = base.where('sites.name', '=', params.site);
  if (params.board !== undefined) base = base.where('boards.name', '=', params.board);
  if (params.author !== undefined) base = base.where(sql`lower(authors.handle)`, '=', params.author.toLowerCase());
  if (params.since !== undefined) base = base.where('posts.posted_at', '>=', new Date(params.since).toISOString());
  if (params.until !== undefined) base = base.where('posts.posted_at', '<=', new Date(params.until).toISOString());
  if (params.hasIndicator === true) {
    base = base.where(({ exists, selectFrom }) => exists(selectFrom('entities').select('entities.id').whereRef('entities.post_id', '=', 'posts.id')));
  } else if (params.hasIndicator === false) {
    base = base.where(({ not, exists, selectFrom }) => not(exists(selectFrom('entities').select('entities.id').whereRef('entities.post_id', '=', 'posts.id'))));
  }
  if (params.label !== undefined) {
    const label = params.label;
    base = base.where(({ exists, selectFrom }) =>
      exists(selectFrom('exploit_labels').select('exploit_labels.post_id').whereRef('exploit_labels.post_id', '=', 'posts.id').where('exploit_labels.label', '=', label)),
    );
  }

  let scoreExpression = sql<number>`0`;
  if (sqliteFulltext) {
    base = base.where(sql<boolean>`posts_fts MATCH ${toFts5(query)}`);
    scoreExpression = sql<number>`-bm25(posts_fts, 2.0, 1.0)`;
  } else if (fulltext) {
    const tsquery = toTsquery(query);
    base = base.where(sql<boolean>`posts.search @@ to_tsquery('simple', ${tsquery})`);
    scoreExpression = sql<number>`ts_rank_cd(posts.search, to_tsquery('simple', ${tsquery}))`;
  }

  const counted = await db
    .selectFrom(base.select('posts.id').limit(COUNT_CAP + 1).as('matches'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);

  let page = base.select([
    'posts.id as id',
    'sites.name as site',
    'boards.name as board',
    'threads.id as threadId',
    'threads.title as threadTitle',
    'authors.handle as author',
    'posts.posted_at as postedAt',
    'posts.body_text as body',
    scoreExpression.as('score'),
  ]);
  page = fulltext
    ? page.orderBy('score', 'desc').orderBy('posts.posted_at', 'desc')
    : page.orderBy('posts.posted_at', 'desc').orderBy('posts.id');
  const rows = await page.limit(params.limit).offset(params.offset).execute();
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
