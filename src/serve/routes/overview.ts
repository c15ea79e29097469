import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { KevIndex } from '../../analyse/exploits/links.js';
import type { Store } from '../../store/index.js';
import { webDb } from '../web-db.js';
import { dailySeries } from './exploits.js';

const CVE_TYPES = ['cve', 'vulnerability'];
/** Thread titles that announce a leak; matched case-insensitively with LIKE (no regex on content). */
const LEAK_WORDS = ['leak', 'dump', 'database', 'combolist', 'breach', 'слив', 'база', '泄露', '数据库'];

const Item = z.object({ postId: z.string(), title: z.string().nullable(), site: z.string(), author: z.string(), authorId: z.string(), postedAt: z.string().nullable() });

/**
 * The overview page in one request: volumes per site/category/day, the newest high-signal items
 * and crawl health. Days are counted back from the newest stored post, so an imported archive
 * shows its own history rather than an empty "last 30 days".
 */
export const overviewRoutes: FastifyPluginAsyncZod<{ store: Store; kev: () => Promise<KevIndex | null> }> = async (app, { store, kev }) => {
  const db = webDb(store);
  const volumes = new VolumesCache();
  app.get('/overview', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Volumes and trends per site, category and day; newest high-signal items; crawl health', tags: ['stats'],
      querystring: z.object({ days: z.coerce.number().int().min(1).max(3650).default(30) }),
      response: {
        200: z.object({
          totals: z.object({ posts: z.number(), authors: z.number(), threads: z.number(), sites: z.number(), entities: z.number(), exploitLabels: z.number() }),
          perDay: z.object({ days: z.array(z.string()), series: z.array(z.object({ label: z.string(), counts: z.array(z.number()) })) }),
          categories: z.array(z.object({ board: z.string(), site: z.string(), posts: z.number() })),
          exploitsForKnownCves: z.array(Item.extend({ label: z.string(), confidence: z.number(), cves: z.array(z.string()), kev: z.boolean() })),
          keyActors: z.array(z.object({ authorId: z.string(), handle: z.string(), site: z.string(), rank: z.number(), score: z.number(), firstSeen: z.string().nullable() })),
          leaks: z.array(Item),
          crawl: z.object({
            sites: z.array(z.object({ site: z.string(), pending: z.number(), done: z.number(), failed: z.number(), other: z.number(), lastFetched: z.string().nullable(), lastError: z.string().nullable() })),
            imports: z.array(z.object({ path: z.string(), rowsOk: z.number(), rowsBad: z.number(), updatedAt: z.string(), completed: z.boolean() })),
          }),
          kevAvailable: z.boolean(),
        }),
      },
    },
  }, async (request) => {
    const count = async (table: 'posts' | 'authors' | 'threads' | 'sites' | 'entities' | 'exploit_labels') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const [posts, authors, threads, sites, entities, exploitLabels] = await Promise.all([
      count('posts'), count('authors'), count('threads'), count('sites'), count('entities'), count('exploit_labels')]);

    const newest = await db.selectFrom('posts').select((eb) => eb.fn.max('posts.posted_at').as('at')).executeTakeFirst();
    let perDay: Volumes['perDay'] = { days: [], series: [] };
    let categories: Volumes['categories'] = [];
    let windowStart: string | null = null;
    if (newest?.at != null) {
      const end = new Date(newest.at);
      const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() - request.query.days + 1));
      windowStart = start.toISOString();
      ({ perDay, categories } = await volumes.get(`${request.query.days}|${posts}|${newest.at}`, () => windowVolumes(db, start, end)));
    }

    const catalogue = await kev();
    const exploitRows = await db.selectFrom('exploit_labels')
      .innerJoin('posts', 'posts.id', 'exploit_labels.post_id')
      .innerJoin('threads', 'threads.id', 'posts.thread_id')
      .innerJoin('sites', 'sites.id', 'posts.site_id')
      .innerJoin('authors', 'authors.id', 'posts.author_id')
      .select(['posts.id as postId', 'threads.title', 'sites.name as site', 'authors.handle as author', 'authors.id as authorId', 'posts.posted_at as postedAt', 'exploit_labels.label', 'exploit_labels.confidence'])
      .where('posts.id', 'in', db.selectFrom('entities').select('entities.post_id').where('entities.type', 'in', CVE_TYPES))
      .orderBy('posts.posted_at', 'desc').limit(40).execute();
    const cveRows = exploitRows.length === 0 ? [] : await db.selectFrom('entities').select(['post_id', 'value'])
      .where('post_id', 'in', [...new Set(exploitRows.map((r) => r.postId))]).where('type', 'in', CVE_TYPES).execute();
    const exploitsForKnownCves = exploitRows.map((r) => {
      const cves = [...new Set(cveRows.filter((c) => c.post_id === r.postId).map((c) => c.value.toUpperCase()))].sort();
      return { ...r, cves, kev: catalogue !== null && cves.some((c) => catalogue.entries.has(c)) };
    }).sort((a, b) => Number(b.kev) - Number(a.kev)).slice(0, 10);

    const keyActors = await db.selectFrom('actor_scores').innerJoin('authors', 'authors.id', 'actor_scores.author_id').innerJoin('sites', 'sites.id', 'actor_scores.site_id')
      .select(['authors.id as authorId', 'authors.handle', 'sites.name as site', 'actor_scores.rank', 'actor_scores.score', 'authors.first_seen as firstSeen'])
      .where('actor_scores.rank', '<=', 25)
      .orderBy('authors.first_seen', 'desc').limit(10).execute();

    // Leak threads with activity in the window, newest first: walks the window's posts by the
    // posted_at index and stops at the first 50 hits, so the cost is bounded by the window.
    const like = store.dialect === 'postgres' ? 'ilike' : 'like'; // SQLite's LIKE already ignores ASCII case
    const leakRows = windowStart === null ? [] : await db.selectFrom('posts')
      .innerJoin('threads', 'threads.id', 'posts.thread_id').innerJoin('sites', 'sites.id', 'posts.site_id').innerJoin('authors', 'authors.id', 'posts.author_id')
      .select(['posts.id as postId', 'posts.thread_id as threadId', 'threads.title', 'sites.name as site', 'authors.handle as author', 'authors.id as authorId', 'posts.posted_at as postedAt'])
      .where('posts.posted_at', '>=', windowStart)
      .where((eb) => eb.or(LEAK_WORDS.map((w) => eb('threads.title', like, `%${w}%`))))
      .orderBy('posts.posted_at', 'desc').limit(50).execute();
    const seenThreads = new Set<string>();
    const leaks = leakRows.filter((r) => !seenThreads.has(r.threadId) && seenThreads.add(r.threadId)).slice(0, 10)
      .map(({ threadId: _threadId, ...rest }) => rest);

    const frontier = await db.selectFrom('crawl_frontier').innerJoin('sites', 'sites.id', 'crawl_frontier.site_id')
      .select((eb) => ['sites.name as site', 'crawl_frontier.state', eb.fn.countAll<number>().as('n'), eb.fn.max('crawl_frontier.fetched_at').as('lastFetched')])
      .groupBy(['sites.name', 'crawl_frontier.state']).execute();
    const errors = await db.selectFrom('crawl_frontier').innerJoin('sites', 'sites.id', 'crawl_frontier.site_id')
      .select(['sites.name as site', 'crawl_frontier.last_error as error']).where('crawl_frontier.last_error', 'is not', null)
      .orderBy('crawl_frontier.fetched_at', 'desc').limit(50).execute();
    const crawlSites = new Map<string, { site: string; pending: number; done: number; failed: number; other: number; lastFetched: string | null; lastError: string | null }>();
    for (const f of frontier) {
      const entry = crawlSites.get(f.site) ?? { site: f.site, pending: 0, done: 0, failed: 0, other: 0, lastFetched: null, lastError: null };
      const n = Number(f.n);
      if (f.state === 'pending' || f.state === 'done' || f.state === 'failed') entry[f.state] += n;
      else entry.other += n;
      if (f.lastFetched !== null && (entry.lastFetched === null || f.lastFetched > entry.lastFetched)) entry.lastFetched = f.lastFetched;
      crawlSites.set(f.site, entry);
    }
    for (const e of errors) {
      const entry = crawlSites.get(e.site);
      if (entry !== undefined && entry.lastError === null) entry.lastError = e.error;
    }
    const imports = await db.selectFrom('import_checkpoints').select(['path', 'rows_ok', 'rows_bad', 'updated_at', 'completed_at']).orderBy('updated_at', 'desc').limit(5).execute();

    return {
      totals: { posts, authors, threads, sites, entities, exploitLabels },
      perDay,
      categories,
      exploitsForKnownCves,
      keyActors,
      leaks,
      crawl: {
        sites: [...crawlSites.values()],
        // Only the file name: the server's directory layout is not the analyst's business.
        imports: imports.map((i) => ({ path: i.path.split('/').pop() ?? i.path, rowsOk: i.rows_ok, rowsBad: i.rows_bad, updatedAt: i.updated_at, completed: i.completed_at !== null })),
      },
      kevAvailable: catalogue !== null,
    };
  });
};

interface Volumes {
  perDay: { days: string[]; series: { label: string; counts: number[] }[] };
  categories: { board: string; site: string; posts: number }[];
}

/**
 * Posts per day and site and the busiest boards in the window. One pass over the window's posts
 * (by the covering posted_at index, no joins) feeds both; names come from the small sites/boards
 * tables. This is the overview's only costly query (tens of milliseconds at 100k posts, more on a
 * busy machine), and it runs synchronously on the server's one thread.
 */
async function windowVolumes(db: ReturnType<typeof webDb>, start: Date, end: Date): Promise<Volumes> {
  const day = sql<string>`substr(posts.posted_at, 1, 10)`;
  const groups = await db.selectFrom('posts')
    .select((eb) => ['posts.site_id', 'posts.board_id', day.as('day'), eb.fn.countAll<number>().as('n')])
    .where('posts.posted_at', '>=', start.toISOString())
    .groupBy(['posts.site_id', 'posts.board_id', day]).execute();
  const siteNames = new Map((await db.selectFrom('sites').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
  const perSiteDay = new Map<string, { key: string; day: string; n: number }>();
  const perBoard = new Map<string, { siteId: string; n: number }>();
  for (const g of groups) {
    const n = Number(g.n);
    const key = `${g.site_id}\u0000${g.day}`;
    const entry = perSiteDay.get(key) ?? { key: siteNames.get(g.site_id) ?? g.site_id, day: g.day, n: 0 };
    entry.n += n;
    perSiteDay.set(key, entry);
    const board = perBoard.get(g.board_id) ?? { siteId: g.site_id, n: 0 };
    board.n += n;
    perBoard.set(g.board_id, board);
  }
  const busiest = [...perBoard.entries()].sort((x, y) => y[1].n - x[1].n).slice(0, 12);
  const boardNames = busiest.length === 0 ? new Map<string, string>()
    : new Map((await db.selectFrom('boards').select(['id', 'name']).where('id', 'in', busiest.map(([id]) => id)).execute()).map((r) => [r.id, r.name]));
  return {
    perDay: dailySeries([...perSiteDay.values()], start, end),
    categories: busiest.map(([id, b]) => ({ board: boardNames.get(id) ?? id, site: siteNames.get(b.siteId) ?? b.siteId, posts: b.n })),
  };
}

/**
 * The window volumes, reused while the window's key (days, post count, newest post) is unchanged:
 * new or deleted posts change the key at once. An in-place edit that keeps both count and newest
 * date (a re-import correcting a date or board) shows after at most MAX_AGE_MS. Every other part of
 * the overview is cheap and read fresh on each request.
 */
export class VolumesCache {
  static readonly MAX_AGE_MS = 60_000;
  private readonly entries = new Map<string, { at: number; value: Promise<Volumes> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, compute: () => Promise<Volumes>): Promise<Volumes> {
    const hit = this.entries.get(key);
    if (hit !== undefined && this.now() - hit.at < VolumesCache.MAX_AGE_MS) return hit.value;
    // Few distinct keys are live at once (one per `days` the dashboard asks for): drop the rest.
    if (this.entries.size >= 16) this.entries.clear();
    const value = compute();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key)); // a failed query is not remembered
    return value;
  }
}
